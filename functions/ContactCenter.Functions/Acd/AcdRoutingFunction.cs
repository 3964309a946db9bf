using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// Service Bus trigger on the session-enabled acd-routing queue: routes a queue, expires an offer or applies an overflow
/// step. The host holds one session (one ACD queue) per worker at a time, so a queue is matched by one router.
/// </summary>
public sealed class AcdRoutingFunction(AcdDispatcher dispatcher, ILogger<AcdRoutingFunction> logger) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var work = AcdWork.FromJson(invocation.BindingText(AcdFunctions.Routing.Trigger.Name));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await dispatcher.HandleAsync(work, cancellationToken);
        AcdMetrics.RoutingHandled(work.Kind, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        logger.LogInformation("ACD {Kind} for queue {QueueId} (contact {ContactId}): {Summary}; delivery {DeliveryCount}.",
            work.Kind, work.QueueId, work.ContactId ?? "-", outcome.Summary, invocation.MetadataText("DeliveryCount") ?? "?");
        return new InvocationResult().Log($"{work.Kind} {work.QueueId}: {outcome.Summary}");
    }
}

/// <summary>Timer trigger: the safety net that returns offers whose scheduled expiry message was lost.</summary>
public sealed class OfferSweepFunction(AcdDispatcher dispatcher, IQueueCatalog queues, TimeProvider timeProvider) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var returned = await dispatcher.SweepOverdueOffersAsync(cancellationToken);
        // Once a minute is often enough for the wallboard gauges (queue length, longest wait, agents by state).
        await AcdMetrics.ObserveAsync(dispatcher.Acd, queues, timeProvider, cancellationToken);
        return new InvocationResult().Log($"{returned} overdue offer(s) returned to their queues.");
    }
}
