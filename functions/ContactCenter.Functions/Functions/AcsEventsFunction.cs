using System.Text.Json.Nodes;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Events;
using ContactCenter.Core.Operations;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Functions;

/// <summary>
/// Event Grid trigger for ACS events (calls, SMS, email): validates the event, puts it in the provider-neutral
/// envelope and hands it to the inbound-events queue. It does no domain work, so Event Grid gets its answer fast
/// and the work is retried by Service Bus, not by Event Grid.
/// </summary>
/// <remarks>
/// An event that is not a readable Event Grid event is parked on the unprocessable list and the invocation succeeds:
/// retrying cannot make it readable, and Event Grid would only dead-letter it where nobody looks.
/// </remarks>
public sealed class AcsEventsFunction(IUnprocessableEvents unprocessable, ILogger<AcsEventsFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var trigger = FunctionCatalog.AcsEvents.Trigger.Name;
        var eventJson = invocation.Binding(trigger);
        InboundEvent inbound;
        try
        {
            // The host may hand an Event Grid event over as a JSON string literal; BindingJson undoes that.
            inbound = EventGridEventReader.Read(invocation.BindingJson(trigger));
        }
        catch (Exception ex) when (ex is InvalidInboundEventException or InvalidInvocationException)
        {
            logger.LogWarning("Parked an unreadable Event Grid event: {Reason}", ex.Message);
            await unprocessable.ParkAsync(FunctionCatalog.AcsEvents.Name, null, null, ex.Message, eventJson.GetRawText(), cancellationToken);
            ContactCenterTelemetry.RecordInboundEvent("unreadable", "parked");
            return new InvocationResult().Log($"Parked an unreadable event: {ex.Message}");
        }
        logger.LogInformation("Accepted {EventType} event {EventId}.", inbound.Type, inbound.Id);
        ContactCenterTelemetry.RecordInboundEvent(inbound.Type, "accepted");
        return new InvocationResult()
            .Output(FunctionCatalog.InboundEventsOutput, JsonValue.Create(inbound.ToJson()))
            .Log($"Accepted {inbound.Type} event {inbound.Id}.");
    }
}
