using ContactCenter.Core.Events;
using ContactCenter.Core.Operations;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// Service Bus trigger on the session-enabled call-work queue: one call's events and timers, one at a time, in order.
/// Work that cannot be read (not call work, a provider event of a shape we cannot parse) is parked on the unprocessable
/// list and the invocation succeeds, after whatever of it could be applied was applied: a retry would fail the same way,
/// and a dead-lettered message would stall nobody's attention. Other failures still fail, so Service Bus redelivers.
/// </summary>
public sealed class CallWorkFunction(VoiceService voice, IUnprocessableEvents unprocessable, ILogger<CallWorkFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var body = invocation.BindingText(VoiceFunctions.CallWork.Trigger.Name);
        CallWork? work = null;
        try
        {
            work = CallWork.FromJson(body);
            var call = await voice.HandleAsync(work, cancellationToken);
            logger.LogInformation("Call {CallId}: {Kind} → {Stage} ({Outcome}); delivery {DeliveryCount}.",
                work.CallId, work.Kind, call?.Stage.ToString() ?? "unknown call", call?.Outcome ?? "-", invocation.MetadataText("DeliveryCount") ?? "?");
            return new InvocationResult().Log($"{work.Kind} {work.CallId}: {call?.Stage.ToString() ?? "unknown call"}");
        }
        catch (Exception ex) when (ex is InvalidCallWorkException or FormatException)
        {
            logger.LogWarning("Parked call work {MessageId} for call {CallId}: {Reason}", invocation.MetadataText("MessageId"), work?.CallId, ex.Message);
            await unprocessable.ParkAsync(VoiceFunctions.CallWork.Name, work is null ? null : $"CallWork.{work.Kind}",
                invocation.MetadataText("MessageId") ?? work?.CallId, ex.Message, body, cancellationToken);
            return new InvocationResult().Log($"Parked: {ex.Message}");
        }
    }
}

/// <summary>Answers calls offered to the contact center (the IncomingCall event, via the inbound-events queue).</summary>
public sealed class IncomingCallHandler(VoiceService voice, ICallEventReader reader, ILogger<IncomingCallHandler> logger) : IInboundEventHandler
{
    public const string EventType = "Microsoft.Communication.IncomingCall";

    public bool Handles(string eventType) => eventType == EventType;

    public async Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
    {
        // A malformed offer will not improve on retry: its FormatException makes the processor park it, visibly.
        var incoming = reader.ReadIncomingCall(inboundEvent);
        if (!voice.IsForUs(incoming))
        {
            // Another application on the same ACS resource owns this number.
            logger.LogInformation("Call to {To} is not for the contact center (Voice:Numbers); left to ring.", incoming.To);
            return;
        }
        var call = await voice.AnswerAsync(incoming, cancellationToken);
        logger.LogInformation("Answered call {CallId} from {From} ({Stage}).", call.Id, call.Customer, call.Stage);
    }
}
