using ContactCenter.Core.State;

namespace ContactCenter.Core.Operations;

/// <summary>The last time a scheduled job ran, as health reports it.</summary>
public sealed record HeartbeatStatus(string Job, DateTimeOffset LastRunAt, long Runs, bool LastRunWasLate);

/// <summary>
/// Records that a scheduled job ran, so operators can see that timers (and the host that fires them) are alive.
/// Concurrent runs (two instances, a late duplicate) merge with optimistic concurrency and count every run.
/// </summary>
public sealed class Heartbeats(IStateStore store, TimeProvider timeProvider)
{
    private const string Partition = "heartbeat";

    public async Task<HeartbeatStatus> RecordAsync(string job, bool wasLate, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var current = await store.GetAsync(TableNames.Operations, Partition, job, cancellationToken);
            var runs = (current?.GetInt64("Runs") ?? 0) + 1;
            var entity = new StateEntity(Partition, job, new Dictionary<string, object?>
            {
                ["LastRunAt"] = now,
                ["Runs"] = runs,
                ["LastRunWasLate"] = wasLate,
            });
            try
            {
                if (current is null)
                {
                    await store.InsertAsync(TableNames.Operations, entity, cancellationToken);
                }
                else
                {
                    await store.ReplaceAsync(TableNames.Operations, entity, current.ETag!, cancellationToken);
                }
                return new HeartbeatStatus(job, now, runs, wasLate);
            }
            catch (StateStoreException) when (attempt < 50)
            {
                // Another run wrote first: read again and merge.
            }
        }
    }

    public async Task<HeartbeatStatus?> GetAsync(string job, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(TableNames.Operations, Partition, job, cancellationToken);
        return entity is null ? null : new HeartbeatStatus(
            job, entity.GetDateTimeOffset("LastRunAt") ?? DateTimeOffset.MinValue, entity.GetInt64("Runs") ?? 0, entity.GetBoolean("LastRunWasLate") ?? false);
    }
}
