using ContactCenter.Core.Events;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Voice;

/// <summary>Service Bus trigger on the session-enabled call-work queue: one call's events and timers, one at a time, in order.</summary>
public sealed class CallWorkFunction(VoiceService voice, ILogger<CallWorkFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var work = CallWork.FromJson(invocation.BindingText(VoiceFunctions.CallWork.Trigger.Name));
        var call = await voice.HandleAsync(work, cancellationToken);
        logger.LogInformation("Call {CallId}: {Kind} → {Stage} ({Outcome}); delivery {DeliveryCount}.",
            work.CallId, work.Kind, call?.Stage.ToString() ?? "unknown call", call?.Outcome ?? "-", invocation.MetadataText("DeliveryCount") ?? "?");
        return new InvocationResult().Log($"{work.Kind} {work.CallId}: {call?.Stage.ToString() ?? "unknown call"}");
    }
}

/// <summary>Answers calls offered to the contact center (the IncomingCall event, via the inbound-events queue).</summary>
public sealed class IncomingCallHandler(VoiceService voice, ICallEventReader reader, ILogger<IncomingCallHandler> logger) : IInboundEventHandler
{
    public const string EventType = "Microsoft.Communication.IncomingCall";

    public bool Handles(string eventType) => eventType == EventType;

    public async Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
    {
        IncomingCall incoming;
        try
        {
            incoming = reader.ReadIncomingCall(inboundEvent);
        }
        catch (FormatException ex)
        {
            // A malformed offer will not improve on retry; the ledger records it and the call rings out.
            logger.LogWarning("IncomingCall event {EventId} is not readable: {Reason}", inboundEvent.Id, ex.Message);
            return;
        }
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
