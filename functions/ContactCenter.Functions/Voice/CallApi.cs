using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Operations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Voice;

public sealed record CallCommandRequest(string? AgentId, string? QueueId, string? TargetAgentId, string? PhoneNumber);

/// <summary>
/// The voice channel over HTTP: the provider's callbacks (authenticated, checked, then queued in the call's session so
/// they are applied in order and retried on failure) and the agents' controls for their calls.
/// </summary>
public static class CallApi
{
    /// <summary>ACS posts small batches; anything near this is not a callback.</summary>
    private const int MaxCallbackBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapCallApi(this IEndpointRouteBuilder app)
    {
        app.MapHttpFunction(VoiceFunctions.CallEvents, CallbackAsync);
        app.MapHttpFunction(VoiceFunctions.Call, GetAsync);
        app.MapHttpFunction(VoiceFunctions.CallCommand, CommandAsync);
        return app;
    }

    private static async Task<IResult> CallbackAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var verdict = await services.GetRequiredService<CallbackAuthentication>().AuthenticateAsync(context.Request, context.RequestAborted);
        if (verdict.CallId is not { } callId)
        {
            return verdict.ToProblem();
        }
        if (context.Request.ContentLength > MaxCallbackBytes)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Too large", $"A callback is at most {MaxCallbackBytes} bytes.");
        }
        string payload;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            payload = await reader.ReadToEndAsync(context.RequestAborted);
        }
        // What cannot be read is parked (with its reason) and answered 200, so ACS does not resend it forever; the
        // readable events of the same batch still go to the call.
        var unprocessable = services.GetRequiredService<IUnprocessableEvents>();
        CallEventBatch batch;
        try
        {
            batch = services.GetRequiredService<ICallEventReader>().ReadBatch(payload);
        }
        catch (FormatException ex)
        {
            await unprocessable.ParkAsync(VoiceFunctions.CallEvents.Name, null, null, $"Call {callId}: {ex.Message}", payload, context.RequestAborted);
            return TypedResults.Ok();
        }
        foreach (var unreadable in batch.Unreadable)
        {
            await unprocessable.ParkAsync(VoiceFunctions.CallEvents.Name, null, unreadable.EventId, $"Call {callId}: {unreadable.Reason}", unreadable.Json, context.RequestAborted);
        }
        var events = batch.Events;
        if (events.Count > 0)
        {
            if (batch.Unreadable.Count > 0)
            {
                payload = ReadablePart(payload, batch);
            }
            // Queued as delivered; the message id (the events' ids) lets Service Bus drop a redelivered batch.
            var ids = string.Join('|', events.Select(e => e.EventId));
            await services.GetRequiredService<IMessageSender>().SendAsync(QueueNames.CallWork, new OutgoingMessage(new CallWork(CallWorkKind.ProviderEvent, callId) { Payload = payload }.ToJson())
            {
                SessionId = callId,
                MessageId = "evt|" + (ids.Length <= 100 ? ids : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))),
            }, context.RequestAborted);
        }
        return TypedResults.Ok();
    }

    /// <summary>The batch without its unreadable events (matched by their JSON as sent), so call work only sees what it can apply.</summary>
    private static string ReadablePart(string payload, CallEventBatch batch)
    {
        using var document = System.Text.Json.JsonDocument.Parse(payload);
        var skip = batch.Unreadable.Select(u => u.Json).ToList();
        var kept = new List<string>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var json = element.GetRawText();
            if (!skip.Remove(json))
            {
                kept.Add(json);
            }
        }
        return "[" + string.Join(",", kept) + "]";
    }

    private static async Task<IResult> GetAsync(HttpContext context)
    {
        var callId = (string)context.Request.RouteValues["callId"]!;
        var stored = await context.RequestServices.GetRequiredService<VoiceService>().GetAsync(callId, context.RequestAborted);
        return stored is null
            ? FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", $"There is no call '{callId}'.")
            : TypedResults.Text(stored.Call.ToJson(), "application/json");
    }

    private static async Task<IResult> CommandAsync(HttpContext context)
    {
        var callId = (string)context.Request.RouteValues["callId"]!;
        var action = ((string)context.Request.RouteValues["action"]!).ToLowerInvariant();
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.CallCommandRequest);
        if (problem is not null)
        {
            return problem;
        }
        // The signed-in agent gives the command unless the body names another (which only supervisors may), on a call of theirs.
        request = request! with { AgentId = string.IsNullOrWhiteSpace(request.AgentId) ? context.GetWorkspaceUser().AgentId : request.AgentId };
        context.RequireActingAs(request.AgentId!);
        await context.RequireAssignedCallAsync(callId);
        var command = new CallCommand(action, request.AgentId) { QueueId = request.QueueId, TargetAgentId = request.TargetAgentId, PhoneNumber = request.PhoneNumber };
        try
        {
            var call = await context.RequestServices.GetRequiredService<VoiceService>().SubmitCommandAsync(callId, command, context.RequestAborted);
            return TypedResults.Text(call.ToJson(), "application/json", statusCode: StatusCodes.Status202Accepted);
        }
        catch (Exception ex) when (ex is UnknownCallException or UnknownQueueException or UnknownAgentException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (CallCommandException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status409Conflict, "Not possible on this call", ex.Message);
        }
    }
}
