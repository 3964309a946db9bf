using System.Globalization;
using ContactCenter.Core.Operations;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Functions;

/// <summary>What /api/supervisor/unprocessable answers: how many events are parked and the latest, newest first, with payloads.</summary>
public sealed record UnprocessableView(int Count, IReadOnlyList<UnprocessableEvent> Events);

/// <summary>
/// GET /api/supervisor/unprocessable[?limit=N]: the events the app could not process (parse errors), each with its
/// source, reason and payload as received, for supervisors to see and act on (see docs/acs-payloads.md).
/// </summary>
public static class UnprocessableApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static readonly FunctionDefinition SupervisorUnprocessable =
        new("SupervisorUnprocessable", new HttpTrigger("supervisor/unprocessable", ["get"])) { Access = WorkspaceAccess.Supervisor };

    public static IEndpointRouteBuilder MapUnprocessableApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(SupervisorUnprocessable, ListAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var limit = DefaultLimit;
        if (context.Request.Query["limit"].FirstOrDefault() is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."] });
        }
        var summary = await context.RequestServices.GetRequiredService<IUnprocessableEvents>().SummaryAsync(limit, context.RequestAborted);
        return TypedResults.Json(new UnprocessableView(summary.Count, summary.Latest), ApiJsonContext.Default.UnprocessableView);
    }
}
