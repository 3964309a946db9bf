using System.Globalization;
using System.Text;
using ContactCenter.Core.Routing;
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
/// The routing rules over HTTP: the active rules, publishing a new version for every instance, and the history of
/// published versions with their text. Refusals are problem+json: invalid rules 400 (every error with its line and
/// column), a version that is not higher 409.
/// </summary>
public static class RoutingRulesApi
{
    /// <summary>Recorded as the source of versions published over HTTP.</summary>
    public const string PublishSource = "PUT /api/routing/rules";

    private const int DefaultHistory = 20;

    public static IEndpointRouteBuilder MapRoutingRulesApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(AcdFunctions.RoutingRules, context => HttpMethods.IsGet(context.Request.Method) ? Task.FromResult(Active(context)) : PublishAsync(context));
        app.MapHttpFunction(AcdFunctions.RoutingRulesVersions, VersionsAsync);
        app.MapHttpFunction(AcdFunctions.RoutingRulesVersion, VersionAsync);
        return app;
    }

    private static IResult Active(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<RoutingRulesCatalog>();
        var rules = catalog.Current;
        return TypedResults.Json(new RulesView(rules.Version, catalog.Source, QueueIds(rules)), ApiJsonContext.Default.RulesView);
    }

    /// <summary>The body is the rules text itself, whatever its content type: JSON with comments is not application/json.</summary>
    private static async Task<IResult> PublishAsync(HttpContext context)
    {
        var text = await ReadTextAsync(context.Request, RoutingRulesStore.MaxTextLength, context.RequestAborted);
        if (text is null)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Rules too large",
                $"The routing rules may be at most {RoutingRulesStore.MaxTextLength} characters.");
        }
        var result = await context.RequestServices.GetRequiredService<RoutingRulesSync>().PublishAsync(text, PublishSource, context.RequestAborted);
        return result.Outcome switch
        {
            RulesPublishOutcome.Invalid => TypedResults.ValidationProblem(
                result.Errors.GroupBy(e => e.Pointer.Length == 0 ? "/" : e.Pointer)
                    .ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToArray()),
                detail: $"The routing rules were {result.Message}.", title: "Invalid routing rules"),
            RulesPublishOutcome.NotNewer => FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "Version not higher", $"The routing rules were {result.Message}."),
            _ => TypedResults.Json(new RulesPublished(result.Current!.Version, result.Current.Source, QueueIds(result.Rules!),
                result.Outcome == RulesPublishOutcome.Published ? "published" : "unchanged"), ApiJsonContext.Default.RulesPublished),
        };
    }

    private static async Task<IResult> VersionsAsync(HttpContext context)
    {
        var limit = DefaultHistory;
        if (context.Request.Query["limit"] is { Count: > 0 } raw
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RoutingRulesStore.MaxListLimit))
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", $"limit must be a whole number from 1 to {RoutingRulesStore.MaxListLimit}.");
        }
        var versions = await context.RequestServices.GetRequiredService<RoutingRulesStore>().ListVersionsAsync(limit, context.RequestAborted);
        // History starts at the current version.
        return TypedResults.Json(new RulesHistoryView(versions.Count > 0 ? versions[0].Version : null,
            versions.Select(v => new RulesVersionView(v.Version, v.Source, v.PublishedAt)).ToList()), ApiJsonContext.Default.RulesHistoryView);
    }

    /// <summary>The text of a published version exactly as it was published, comments included.</summary>
    private static async Task<IResult> VersionAsync(HttpContext context)
    {
        var raw = (string)context.Request.RouteValues["version"]!;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", $"'{raw}' is not a version number.");
        }
        var stored = await context.RequestServices.GetRequiredService<RoutingRulesStore>().GetVersionAsync(version, context.RequestAborted);
        if (stored is null)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", $"Routing rules version {version} was never published.");
        }
        context.Response.Headers.LastModified = stored.Info.PublishedAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Text(stored.Text, "application/json", Encoding.UTF8);
    }

    private static List<string> QueueIds(RoutingRules rules) => rules.Queues.Select(q => q.Id).ToList();

    /// <summary>The body as text, or null when it is longer than <paramref name="maxLength"/> characters (read no further).</summary>
    private static async Task<string?> ReadTextAsync(HttpRequest request, int maxLength, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > maxLength)
            {
                return null;
            }
        }
        return text.ToString();
    }
}
