using ContactCenter.Core.Events;
using ContactCenter.Core.Operations;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Functions;

/// <summary>
/// Service Bus trigger: applies one inbound event exactly once in effect (see <see cref="InboundEventProcessor"/>). A
/// message that is no inbound event, or an event no handler can read, is parked on the unprocessable list and the
/// invocation succeeds, so a parse error is never redelivered into the dead-letter queue; any other failure still
/// fails the invocation and Service Bus redelivers.
/// </summary>
public sealed class InboundEventsFunction(InboundEventProcessor processor, IUnprocessableEvents unprocessable, ILogger<InboundEventsFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var body = invocation.BindingText(FunctionCatalog.InboundEvents.Trigger.Name);
        InboundEvent inbound;
        try
        {
            inbound = InboundEvent.FromJson(body);
        }
        catch (InvalidInboundEventException ex)
        {
            logger.LogWarning("Parked an inbound-events message that is no event: {Reason}", ex.Message);
            await unprocessable.ParkAsync(FunctionCatalog.InboundEvents.Name, null, invocation.MetadataText("MessageId"), ex.Message, body, cancellationToken);
            ContactCenterTelemetry.RecordInboundEvent("unreadable", "parked");
            return new InvocationResult().Log($"Parked: {ex.Message}");
        }
        var outcome = await processor.ProcessAsync(inbound, cancellationToken);
        logger.LogInformation("Inbound event {EventId} ({EventType}): {Outcome}; delivery {DeliveryCount}.",
            inbound.Id, inbound.Type, outcome, invocation.MetadataText("DeliveryCount") ?? "?");
        ContactCenterTelemetry.RecordInboundEvent(inbound.Type, outcome.ToString().ToLowerInvariant());
        return new InvocationResult().Log($"{inbound.Type} {inbound.Id}: {outcome}");
    }
}
