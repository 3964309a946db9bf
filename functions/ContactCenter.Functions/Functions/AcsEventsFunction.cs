using System.Text.Json.Nodes;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Functions;

/// <summary>
/// Event Grid trigger for ACS events (calls, SMS, email): validates the event, puts it in the provider-neutral
/// envelope and hands it to the inbound-events queue. It does no domain work, so Event Grid gets its answer fast
/// and the work is retried by Service Bus, not by Event Grid.
/// </summary>
public sealed class AcsEventsFunction(ILogger<AcsEventsFunction> logger) : ITriggeredFunction
{
    public Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var trigger = FunctionCatalog.AcsEvents.Trigger.Name;
        var inbound = EventGridEventReader.Read(invocation.BindingJson(trigger));
        logger.LogInformation("Accepted {EventType} event {EventId}.", inbound.Type, inbound.Id);
        ContactCenterTelemetry.RecordInboundEvent(inbound.Type, "accepted");
        var result = new InvocationResult()
            .Output(FunctionCatalog.InboundEventsOutput, JsonValue.Create(inbound.ToJson()))
            .Log($"Accepted {inbound.Type} event {inbound.Id}.");
        return Task.FromResult(result);
    }
}
