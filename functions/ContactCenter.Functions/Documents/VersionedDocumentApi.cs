using System.Globalization;
using System.Text;
using ContactCenter.Core.Documents;
using ContactCenter.Functions.Acd;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Documents;

/// <summary>How one kind of versioned document is served over HTTP.</summary>
/// <param name="Name">As people call it, lower case: "routing rules", "IVR flows".</param>
/// <param name="PublishSource">Recorded as the source of versions published over HTTP ("PUT /api/routing/rules").</param>
/// <param name="Active">The document this instance runs, as JSON.</param>
/// <param name="Published">The answer to a successful PUT (published or unchanged).</param>
public sealed record DocumentEndpoints<TDocument>(
    string Name,
    string PublishSource,
    Func<IServiceProvider, VersionedDocumentSync<TDocument>> Sync,
    Func<IServiceProvider, VersionedDocumentStore<TDocument>> Store,
    Func<HttpContext, IResult> Active,
    Func<DocumentPublishResult<TDocument>, IResult> Published) where TDocument : class;

/// <summary>
/// A versioned document over HTTP: GET the active version, PUT a new version for every instance, GET the history and
/// each version's text. Refusals are problem+json: an invalid text 400 (every error with its line and column), a
/// version that is not higher 409, a text too long 413.
/// </summary>
public static class VersionedDocumentApi
{
    private const int DefaultHistory = 20;

    public static IEndpointRouteBuilder MapVersionedDocumentApi<TDocument>(this IEndpointRouteBuilder app, DocumentEndpoints<TDocument> document,
        FunctionDefinition current, FunctionDefinition versions, FunctionDefinition version) where TDocument : class
    {
        app.MapHttpFunction(current, context => HttpMethods.IsGet(context.Request.Method) ? Task.FromResult(document.Active(context)) : PublishAsync(context, document));
        app.MapHttpFunction(versions, context => VersionsAsync(context, document));
        app.MapHttpFunction(version, context => VersionAsync(context, document));
        return app;
    }

    /// <summary>The body is the text itself, whatever its content type: JSON with comments is not application/json.</summary>
    private static async Task<IResult> PublishAsync<TDocument>(HttpContext context, DocumentEndpoints<TDocument> document) where TDocument : class
    {
        var maxLength = VersionedDocumentStore<TDocument>.MaxTextLength;
        var text = await ReadTextAsync(context.Request, maxLength, context.RequestAborted);
        if (text is null)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, $"{Capitalized(document.Name)} too large",
                $"The {document.Name} may be at most {maxLength} characters.");
        }
        var result = await document.Sync(context.RequestServices).PublishAsync(text, document.PublishSource, context.RequestAborted);
        return result.Outcome switch
        {
            DocumentPublishOutcome.Invalid => TypedResults.ValidationProblem(
                result.Errors.GroupBy(e => e.Pointer.Length == 0 ? "/" : e.Pointer)
                    .ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToArray()),
                detail: $"The {document.Name} were {result.Message}.", title: $"Invalid {document.Name}"),
            DocumentPublishOutcome.NotNewer => FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "Version not higher", $"The {document.Name} were {result.Message}."),
            _ => document.Published(result),
        };
    }

    private static async Task<IResult> VersionsAsync<TDocument>(HttpContext context, DocumentEndpoints<TDocument> document) where TDocument : class
    {
        const int maxLimit = VersionedDocumentStore<TDocument>.MaxListLimit;
        var limit = DefaultHistory;
        if (context.Request.Query["limit"] is { Count: > 0 } raw
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > maxLimit))
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", $"limit must be a whole number from 1 to {maxLimit}.");
        }
        var versions = await document.Store(context.RequestServices).ListVersionsAsync(limit, context.RequestAborted);
        // History starts at the current version.
        return TypedResults.Json(new RulesHistoryView(versions.Count > 0 ? versions[0].Version : null,
            versions.Select(v => new RulesVersionView(v.Version, v.Source, v.PublishedAt)).ToList()), ApiJsonContext.Default.RulesHistoryView);
    }

    /// <summary>The text of a published version exactly as it was published, comments included.</summary>
    private static async Task<IResult> VersionAsync<TDocument>(HttpContext context, DocumentEndpoints<TDocument> document) where TDocument : class
    {
        var raw = (string)context.Request.RouteValues["version"]!;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", $"'{raw}' is not a version number.");
        }
        var stored = await document.Store(context.RequestServices).GetVersionAsync(version, context.RequestAborted);
        if (stored is null)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", $"{Capitalized(document.Name)} version {version} was never published.");
        }
        context.Response.Headers.LastModified = stored.Info.PublishedAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Text(stored.Text, "application/json", Encoding.UTF8);
    }

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name[1..];

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
