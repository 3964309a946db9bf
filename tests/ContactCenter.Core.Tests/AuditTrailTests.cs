using ContactCenter.Core.Audit;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Tests;

public sealed class AuditTrailTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static AuditEntry Entry(string id, DateTimeOffset at, string actor = "ann", string? subject = "ann", int status = 200) =>
        new(id, at, actor, "Agent", "AgentPresence", $"PUT /api/agents/{subject}/presence", subject, status, AuditEntry.OutcomeOf(status));

    private static async Task<List<AuditEntry>> ReadAsync(IAuditTrail trail, DateTimeOffset from, DateTimeOffset to, string? agentId = null, int limit = 1000)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in trail.ReadAsync(from, to, agentId, limit, TestContext.Current.CancellationToken))
        {
            entries.Add(entry);
        }
        return entries;
    }

    [Fact]
    public async Task Entries_come_back_oldest_first_across_days_within_the_range_and_nothing_outside_it()
    {
        var trail = new StateStoreAuditTrail(new InMemoryStateStore());
        // Written out of order and on both sides of midnight (two partitions).
        await trail.RecordAsync(Entry("late", Midnight.AddMinutes(5)));
        await trail.RecordAsync(Entry("early", Midnight.AddMinutes(-5)));
        await trail.RecordAsync(Entry("before-range", Midnight.AddHours(-2)));
        await trail.RecordAsync(Entry("at-end", Midnight.AddHours(1)));
        await trail.RecordAsync(Entry("same-tick", Midnight.AddMinutes(5)));

        var entries = await ReadAsync(trail, Midnight.AddHours(-1), Midnight.AddHours(1));

        // "to" is exclusive and "before-range" is out; two entries in one tick keep apart, ordered by id.
        Assert.Equal(["early", "late", "same-tick"], entries.Select(e => e.Id));
        Assert.Equal(Midnight.AddMinutes(5), entries[1].At);
        Assert.Equal("PUT /api/agents/ann/presence", entries[1].Target);
    }

    [Fact]
    public async Task Reading_for_an_agent_finds_what_they_did_and_what_was_done_to_them_up_to_the_limit()
    {
        var trail = new StateStoreAuditTrail(new InMemoryStateStore());
        await trail.RecordAsync(Entry("ann-self", Midnight.AddMinutes(1)));
        await trail.RecordAsync(Entry("sup-on-bob", Midnight.AddMinutes(2), actor: "sup", subject: "bob"));
        await trail.RecordAsync(Entry("bob-self", Midnight.AddMinutes(3), actor: "bob", subject: "bob", status: 403));
        await trail.RecordAsync(Entry("bob-reply", Midnight.AddMinutes(4), actor: "bob", subject: null));

        var bob = await ReadAsync(trail, Midnight, Midnight.AddHours(1), "bob");
        var firstTwo = await ReadAsync(trail, Midnight, Midnight.AddHours(1), limit: 2);

        Assert.Equal(["sup-on-bob", "bob-self", "bob-reply"], bob.Select(e => e.Id));
        Assert.Equal("denied", bob[1].Outcome);
        Assert.Null(bob[2].SubjectAgentId);
        Assert.Equal(["ann-self", "sup-on-bob"], firstTwo.Select(e => e.Id));
    }

    [Fact]
    public async Task Ranges_that_are_backwards_or_longer_than_a_month_are_refused()
    {
        var trail = new StateStoreAuditTrail(new InMemoryStateStore());

        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(trail, Midnight, Midnight.AddDays(-1)));
        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(trail, Midnight, Midnight.AddDays(32)));
    }

    [Theory]
    [InlineData(200, "succeeded")]
    [InlineData(202, "succeeded")]
    [InlineData(400, "rejected")]
    [InlineData(409, "rejected")]
    [InlineData(403, "denied")]
    [InlineData(500, "failed")]
    public void Outcomes_follow_the_status(int status, string outcome) => Assert.Equal(outcome, AuditEntry.OutcomeOf(status));
}
