using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Acd;

/// <summary>The workspace endpoints' refusals as problem+json: unknown ids 404, stale actions 409, bad input 400.</summary>
internal static class WorkspaceGuard
{
    public static async Task<IResult> RunAsync(HttpContext context, Func<HttpContext, Task<IResult>> handler)
    {
        try
        {
            return await handler(context);
        }
        catch (Exception ex) when (ex is UnknownQueueException or UnknownAgentException or UnknownContactException or UnknownConversationException or UnknownCustomerException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (Exception ex) when (ex is StaleActionException or ConversationConflictException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "No longer possible", ex.Message);
        }
        catch (InvalidDispositionException ex)
        {
            // The valid codes ride along as a list of their own, so a client can offer them without parsing the detail.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["disposition"] = [ex.Message],
                ["validDispositions"] = ex.Valid.Select(d => d.Code).ToArray(),
            }, detail: ex.Message, title: "Invalid disposition");
        }
        catch (ArgumentException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message);
        }
    }

    public static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    /// <summary>An optional JSON body: none at all is null, anything else must be JSON of the right shape.</summary>
    public static async Task<(T? Value, IResult? Problem)> OptionalBodyAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        // An empty body is no body, whatever its content type says (clients often send Content-Type with nothing).
        context.Request.ContentLength == 0 || context.Request.ContentLength is null && !context.Request.HasJsonContentType() && context.Request.Headers.TransferEncoding.Count == 0
            ? (null, null)
            : await JsonBody.ReadAsync(context, type);
}
