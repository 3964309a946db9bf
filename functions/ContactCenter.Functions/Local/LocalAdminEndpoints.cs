using System.Text.Json.Nodes;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Local;

public sealed record AdminInvocation(string? Input);

/// <summary>
/// Local mode's version of the Functions host admin API: POST /admin/functions/{name} {"input": "..."} runs a
/// non-HTTP function (a timer now, a queue message, an Event Grid event), and the dead-letter list is inspectable.
/// </summary>
public static class LocalAdminEndpoints
{
    public static IEndpointRouteBuilder MapLocalAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin");
        group.MapPost("/functions/{name}", RunFunctionAsync);
        group.MapGet("/local/dead-letters", context =>
        {
            var host = context.RequestServices.GetRequiredService<LocalFunctionsHost>();
            return TypedResults.Json(host.DeadLetters.ToArray(), ApiJsonContext.Default.DeadLetterArray).ExecuteAsync(context);
        });
        return app;
    }

    private static async Task RunFunctionAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var function = FunctionCatalog.Find(name);
        if (function is null)
        {
            await FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown function", $"There is no function named '{name}'.").ExecuteAsync(context);
            return;
        }
        if (function.IsHttp)
        {
            await FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "HTTP function",
                $"{function.Name} is HTTP-triggered; call {function.HandlerPath} directly.").ExecuteAsync(context);
            return;
        }
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.AdminInvocation);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var host = context.RequestServices.GetRequiredService<LocalFunctionsHost>();
        switch (function.Trigger)
        {
            case TimerTrigger:
                await host.FireTimerAsync(function, cancellationToken: context.RequestAborted);
                break;
            case ServiceBusTrigger queue when !string.IsNullOrEmpty(request!.Input):
                host.SendToQueue(queue.QueueName, request.Input);
                break;
            case EventGridTrigger when TryParseObject(request!.Input) is { } gridEvent:
                host.PublishEvent(gridEvent);
                break;
            default:
                await FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Input required",
                    $"{function.Name} needs an 'input': a message body for a queue trigger, an event JSON object for an Event Grid trigger.").ExecuteAsync(context);
                return;
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static JsonObject? TryParseObject(string? input)
    {
        try
        {
            return string.IsNullOrEmpty(input) ? null : JsonNode.Parse(input) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
