using ContactCenter.Core.Routing;
using ContactCenter.Functions.Documents;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Acd;

/// <summary>The routing rules every instance shares, applied to this instance's <see cref="RoutingRulesCatalog"/>.</summary>
public sealed class RoutingRulesSync(RoutingRulesStore store, RoutingRulesCatalog catalog, IOptions<RoutingRulesOptions> options,
    TimeProvider timeProvider, ILogger<RoutingRulesSync> logger)
    : VersionedDocumentSync<RoutingRules>(store.Documents, new RoutingRulesTarget(catalog), options.Value.Settings, timeProvider, logger);

/// <summary>Publishes the deployed routing rules file (Routing:RulesPath) at start-up and on every edit.</summary>
public sealed class RoutingRulesWatcher(RoutingRulesSync sync, RoutingRulesCatalog catalog, IOptions<RoutingRulesOptions> options,
    ILogger<RoutingRulesWatcher> logger)
    : VersionedDocumentWatcher<RoutingRules>(sync, new RoutingRulesTarget(catalog), RoutingRulesStore.Kind, options.Value.Settings, logger);

internal sealed class RoutingRulesTarget(RoutingRulesCatalog catalog) : IDocumentTarget
{
    public int ActiveVersion => catalog.Current.Version;

    public DocumentUpdate TryApply(string text, string source, bool replaceSameVersion)
    {
        var update = catalog.TryApply(text, source, replaceSameVersion);
        return new DocumentUpdate(update.Applied, update.ActiveVersion, update.Outcome,
            update.Errors.Select(e => new Core.Documents.DocumentError(e.Line, e.Column, e.Pointer, e.Message)).ToList());
    }
}
