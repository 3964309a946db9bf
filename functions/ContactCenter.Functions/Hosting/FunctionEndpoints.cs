using ContactCenter.Core.Routing;
using System.Diagnostics;
using System.Text.Json;
using ContactCenter.Core.Events;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Hosting;

/// <summary>
/// Maps declared functions to handler endpoints: HTTP functions at their forwarded route, every other trigger at
/// POST /{FunctionName} speaking the host's {Data, Metadata} -> {Outputs, Logs, ReturnValue} protocol.
/// Each endpoint carries its <see cref="FunctionDefinition"/> so tests can check declarations against endpoints.
/// </summary>
public static class FunctionEndpoints
{
    /// <summary>The host names the invocation in this header; local mode sends it too.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    public static IEndpointConventionBuilder MapHttpFunction<TFunction>(this IEndpointRouteBuilder app, FunctionDefinition function)
        where TFunction : IHttpFunction =>
        app.MapHttpFunction(function, context => context.RequestServices.GetRequiredService<TFunction>().HandleAsync(context));

    /// <summary>An HTTP function whose handler is a delegate (for small groups of related endpoints).</summary>
    public static IEndpointConventionBuilder MapHttpFunction(this IEndpointRouteBuilder app, FunctionDefinition function, Func<HttpContext, Task<IResult>> handler)
    {
        var trigger = function.Trigger as HttpTrigger
            ?? throw new ArgumentException($"Function {function.Name} is not HTTP-triggered.", nameof(function));
        // Workspace functions all pass the same authentication, authorization and audit, declared by their Access.
        if (function.Access is { } access)
        {
            var inner = handler;
            handler = context => Security.WorkspaceEndpoint.InvokeAsync(context, function, access, inner);
        }
        return app.MapMethods(function.HandlerPath, trigger.Methods.Select(m => m.ToUpperInvariant()), async context =>
            {
                var result = await handler(context);
                await result.ExecuteAsync(context);
            })
            .WithName(function.Name)
            .WithMetadata(function);
    }

    public static IEndpointConventionBuilder MapTriggeredFunction<TFunction>(this IEndpointRouteBuilder app, FunctionDefinition function)
        where TFunction : ITriggeredFunction
    {
        if (function.IsHttp)
        {
            throw new ArgumentException($"Function {function.Name} is HTTP-triggered; map it with MapHttpFunction.", nameof(function));
        }
        return app.MapPost(function.HandlerPath, context => InvokeAsync<TFunction>(context, function))
            .WithName(function.Name)
            .WithMetadata(function);
    }

    private static async Task InvokeAsync<TFunction>(HttpContext context, FunctionDefinition function) where TFunction : ITriggeredFunction
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ContactCenter.Functions.Invocation");
        var invocationId = context.Request.Headers[InvocationIdHeader].FirstOrDefault() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["FunctionName"] = function.Name, ["InvocationId"] = invocationId });
        using var activity = ContactCenterTelemetry.ActivitySource.StartActivity($"Invoke {function.Name}", ActivityKind.Server);
        activity?.SetTag("faas.name", function.Name);
        activity?.SetTag("faas.invocation_id", invocationId);
        var started = Stopwatch.GetTimestamp();
        string outcome;
        IResult result;
        try
        {
            var invocation = await ReadInvocationAsync(context, function, invocationId);
            var output = await context.RequestServices.GetRequiredService<TFunction>().InvokeAsync(invocation, context.RequestAborted);
            result = TypedResults.Json(output.ToResponse(), ProtocolJsonContext.Default.InvocationResponse);
            outcome = "succeeded";
        }
        catch (Exception ex) when (ex is InvalidInvocationException or InvalidInboundEventException or InvalidAcdWorkException or Core.Voice.InvalidCallWorkException)
        {
            logger.LogWarning("Rejected invocation of {FunctionName}: {Reason}", function.Name, ex.Message);
            result = Problem(StatusCodes.Status400BadRequest, "Invalid invocation payload", ex.Message, function, invocationId);
            outcome = "rejected";
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Invocation of {FunctionName} was cancelled by the caller.", function.Name);
            outcome = "cancelled";
            result = Problem(499, "Invocation cancelled", "The caller went away before the function finished.", function, invocationId);
        }
        catch (Exception ex)
        {
            // A non-2xx answer tells the host the invocation failed, so it retries (Service Bus redelivers, Event Grid
            // retries) and finally dead-letters: the work is never silently dropped.
            logger.LogError(ex, "Function {FunctionName} failed.", function.Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            result = Problem(StatusCodes.Status500InternalServerError, "Function failed",
                $"{function.Name} failed: {ex.GetType().Name}. The host will retry it; see the logs for invocation {invocationId}.", function, invocationId);
            outcome = "failed";
        }
        ContactCenterTelemetry.RecordInvocation(function.Name, outcome, Stopwatch.GetElapsedTime(started));
        await result.ExecuteAsync(context);
    }

    private static async Task<FunctionInvocation> ReadInvocationAsync(HttpContext context, FunctionDefinition function, string invocationId)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        return FunctionInvocation.Parse(function.Name, function.Trigger.Name, body.GetBuffer().AsSpan(0, (int)body.Length), invocationId);
    }

    internal static IResult Problem(int status, string title, string detail, FunctionDefinition? function = null, string? invocationId = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (function is not null)
        {
            extensions["function"] = function.Name;
        }
        if (invocationId is not null)
        {
            extensions["invocationId"] = invocationId;
        }
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }
}
