using ContactCenter.Core.Documents;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Documents;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Acd;

/// <summary>The rules this instance routes with.</summary>
public sealed record RulesView(int Version, string Source, IReadOnlyList<string> Queues);

/// <param name="Outcome">"published", or "unchanged" when this text was already published at this version.</param>
public sealed record RulesPublished(int Version, string Source, IReadOnlyList<string> Queues, string Outcome);

public sealed record RulesVersionView(int Version, string Source, DateTimeOffset PublishedAt);

/// <param name="Current">The shared current version; null while nothing is published.</param>
public sealed record RulesHistoryView(int? Current, IReadOnlyList<RulesVersionView> Versions);

/// <summary>
/// The routing rules over HTTP (the shared <see cref="VersionedDocumentApi"/>): the active rules, publishing a new
/// version for every instance, and the history of published versions with their text.
/// </summary>
public static class RoutingRulesApi
{
    /// <summary>Recorded as the source of versions published over HTTP.</summary>
    public const string PublishSource = "PUT /api/routing/rules";

    private static readonly DocumentEndpoints<RoutingRules> Endpoints = new(
        "routing rules",
        PublishSource,
        services => services.GetRequiredService<RoutingRulesSync>(),
        services => services.GetRequiredService<RoutingRulesStore>().Documents,
        Active,
        result => TypedResults.Json(new RulesPublished(result.Current!.Version, result.Current.Source, QueueIds(result.Document!),
            result.Outcome == DocumentPublishOutcome.Published ? "published" : "unchanged"), ApiJsonContext.Default.RulesPublished));

    public static IEndpointRouteBuilder MapRoutingRulesApi(this IEndpointRouteBuilder app) =>
        app.MapVersionedDocumentApi(Endpoints, AcdFunctions.RoutingRules, AcdFunctions.RoutingRulesVersions, AcdFunctions.RoutingRulesVersion);

    private static IResult Active(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<RoutingRulesCatalog>();
        var rules = catalog.Current;
        return TypedResults.Json(new RulesView(rules.Version, catalog.Source, QueueIds(rules)), ApiJsonContext.Default.RulesView);
    }

    private static List<string> QueueIds(RoutingRules rules) => rules.Queues.Select(q => q.Id).ToList();
}
