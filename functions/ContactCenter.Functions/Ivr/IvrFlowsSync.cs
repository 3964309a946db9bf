using ContactCenter.Core.Documents;
using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Functions.Documents;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Ivr;

/// <summary>
/// The IVR flows every instance shares: the "ivr-flows" kind of versioned document, validated against the queues of
/// the routing rules this instance runs, so a version naming an unknown queue is refused and the previous one stays.
/// </summary>
public sealed class IvrFlowsStore(IStateStore store, TimeProvider timeProvider, RoutingRulesCatalog routing)
{
    public VersionedDocumentStore<IvrFlows> Documents { get; } = new(store, timeProvider, IvrFlowsDocument.Kind(() => routing.QueueIds));
}

public sealed class IvrFlowsSync(IvrFlowsStore store, IvrFlowCatalog catalog, RoutingRulesCatalog routing, IOptions<IvrFlowsOptions> options,
    TimeProvider timeProvider, ILogger<IvrFlowsSync> logger)
    : VersionedDocumentSync<IvrFlows>(store.Documents, new IvrFlowsTarget(catalog, routing), options.Value.Settings, timeProvider, logger);

/// <summary>Publishes the deployed flows file (Ivr:FlowsPath) at start-up and on every edit.</summary>
public sealed class IvrFlowsWatcher(IvrFlowsSync sync, IvrFlowsStore store, IvrFlowCatalog catalog, RoutingRulesCatalog routing,
    IOptions<IvrFlowsOptions> options, ILogger<IvrFlowsWatcher> logger)
    : VersionedDocumentWatcher<IvrFlows>(sync, new IvrFlowsTarget(catalog, routing), store.Documents.Kind, options.Value.Settings, logger);

internal sealed class IvrFlowsTarget(IvrFlowCatalog catalog, RoutingRulesCatalog routing) : IDocumentTarget
{
    public int ActiveVersion => catalog.Current.Version;

    public DocumentUpdate TryApply(string text, string source, bool replaceSameVersion)
    {
        var update = catalog.TryApply(text, source, routing.QueueIds, replaceSameVersion);
        return new DocumentUpdate(update.Applied, update.ActiveVersion, update.Outcome,
            update.Errors.Select(e => new DocumentError(e.Line, e.Column, e.Pointer, e.Message)).ToList());
    }
}
