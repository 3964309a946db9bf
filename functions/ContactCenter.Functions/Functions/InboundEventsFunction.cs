using ContactCenter.Core.Events;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Telemetry;

namespace ContactCenter.Functions.Functions;

/// <summary>Service Bus trigger: applies one inbound event exactly once in effect (see <see cref="InboundEventProcessor"/>).</summary>
public sealed class InboundEventsFunction(InboundEventProcessor processor, ILogger<InboundEventsFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var inbound = InboundEvent.FromJson(invocation.BindingText(FunctionCatalog.InboundEvents.Trigger.Name));
        var outcome = await processor.ProcessAsync(inbound, cancellationToken);
        logger.LogInformation("Inbound event {EventId} ({EventType}): {Outcome}; delivery {DeliveryCount}.",
            inbound.Id, inbound.Type, outcome, invocation.MetadataText("DeliveryCount") ?? "?");
        ContactCenterTelemetry.RecordInboundEvent(inbound.Type, outcome.ToString().ToLowerInvariant());
        return new InvocationResult().Log($"{inbound.Type} {inbound.Id}: {outcome}");
    }
}
