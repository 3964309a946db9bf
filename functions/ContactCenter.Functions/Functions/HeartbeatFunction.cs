using System.Text.Json;
using ContactCenter.Core.Operations;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Functions;

/// <summary>Timer trigger: records that scheduled work runs, which health reports to operators.</summary>
public sealed class HeartbeatFunction(Heartbeats heartbeats) : ITriggeredFunction
{
    public const string JobName = "Heartbeat";

    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var timer = invocation.Binding(FunctionCatalog.Heartbeat.Trigger.Name);
        var isPastDue = timer.ValueKind == JsonValueKind.Object
            && timer.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;
        var status = await heartbeats.RecordAsync(JobName, isPastDue, cancellationToken);
        return new InvocationResult().Log($"Heartbeat {status.Runs} at {status.LastRunAt:O}{(isPastDue ? " (past due)" : "")}.");
    }
}
