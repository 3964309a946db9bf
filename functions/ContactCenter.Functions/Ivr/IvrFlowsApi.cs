using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Documents;
using ContactCenter.Core.Ivr;
using ContactCenter.Functions.Documents;

namespace ContactCenter.Functions.Ivr;

/// <summary>The flows this instance answers calls with.</summary>
public sealed record IvrFlowsView(int Version, string Source, IReadOnlyList<string> Flows);

/// <param name="Outcome">"published", or "unchanged" when this text was already published at this version.</param>
public sealed record IvrFlowsPublished(int Version, string Source, IReadOnlyList<string> Flows, string Outcome);

/// <summary>
/// The IVR flows over HTTP, like the routing rules: GET/PUT /api/ivr/flows, GET /api/ivr/flows/versions[/{version}].
/// A PUT naming a queue the routing rules lack is a 400 with the line of that queue; the active flows stay.
/// </summary>
public static class IvrFlowsApi
{
    /// <summary>Recorded as the source of versions published over HTTP.</summary>
    public const string PublishSource = "PUT /api/ivr/flows";

    private static readonly DocumentEndpoints<IvrFlows> Endpoints = new(
        "IVR flows",
        PublishSource,
        services => services.GetRequiredService<IvrFlowsSync>(),
        services => services.GetRequiredService<IvrFlowsStore>().Documents,
        Active,
        result => TypedResults.Json(new IvrFlowsPublished(result.Current!.Version, result.Current.Source, FlowIds(result.Document!),
            result.Outcome == DocumentPublishOutcome.Published ? "published" : "unchanged"), IvrJsonContext.Default.IvrFlowsPublished));

    public static IEndpointRouteBuilder MapIvrFlowsApi(this IEndpointRouteBuilder app) =>
        app.MapVersionedDocumentApi(Endpoints, IvrFunctions.IvrFlows, IvrFunctions.IvrFlowsVersions, IvrFunctions.IvrFlowsVersion);

    private static IResult Active(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<IvrFlowCatalog>();
        return TypedResults.Json(new IvrFlowsView(catalog.Current.Version, catalog.Source, FlowIds(catalog.Current)), IvrJsonContext.Default.IvrFlowsView);
    }

    private static List<string> FlowIds(IvrFlows flows) => flows.Flows.Select(f => f.Id).ToList();
}

/// <summary>Source-generated JSON for the IVR endpoints (kept here so the shared ApiJsonContext needs no edit).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IvrFlowsView))]
[JsonSerializable(typeof(IvrFlowsPublished))]
internal sealed partial class IvrJsonContext : JsonSerializerContext;
