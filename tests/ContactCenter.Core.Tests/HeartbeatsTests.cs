using ContactCenter.Core.Operations;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Tests;

public sealed class HeartbeatsTests
{
    [Fact]
    public async Task Concurrent_runs_are_all_counted()
    {
        var heartbeats = new Heartbeats(new InMemoryStateStore(), TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => heartbeats.RecordAsync("job", wasLate: false))));

        var status = await heartbeats.GetAsync("job");
        Assert.NotNull(status);
        Assert.Equal(20, status.Runs);
    }

    [Fact]
    public async Task An_unknown_job_has_no_heartbeat_and_a_late_run_is_reported()
    {
        var heartbeats = new Heartbeats(new InMemoryStateStore(), TimeProvider.System);
        Assert.Null(await heartbeats.GetAsync("job"));

        await heartbeats.RecordAsync("job", wasLate: true);
        Assert.True((await heartbeats.GetAsync("job"))!.LastRunWasLate);
    }
}
