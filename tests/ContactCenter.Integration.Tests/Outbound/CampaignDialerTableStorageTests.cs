using System.Collections.Concurrent;
using ContactCenter.Azure.Tables;
using ContactCenter.Core.Outbound;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Outbound;

/// <summary>
/// The campaign dialer on Table Storage (Azurite): the keys, range queries, batches and ETag races it relies on behave as
/// on the embedded store. Each test uses a campaign of its own, since Azurite keeps state for the whole run.
/// </summary>
public sealed class CampaignDialerTableStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Monday0900NewYork = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Monday0900NewYork);
    private readonly CountingPlacer _placer = new();
    private readonly string _campaign = $"c-{Guid.NewGuid():N}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CampaignDialer Dialer() => new(new TableStateStore(azurite.ServiceClient), _placer, _clock);

    [Fact]
    public async Task Concurrent_dialers_on_table_storage_call_each_number_once_within_pacing_and_retry_per_policy()
    {
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(new CampaignSettings(_campaign, "Azurite", "general", "+18005550199", "America/New_York",
            Retry: RetryPolicy.Default with { MaxAttempts = 2 }, MaxConcurrentCalls: 3), Ct);
        var numbers = Enumerable.Range(0, 6).Select(i => $"+1425555{i:D4}").ToArray();
        await dialer.AddEntriesAsync(_campaign, numbers.Select(n => new NewEntry(n)).ToList(), Ct);
        await dialer.SetStatusAsync(_campaign, CampaignStatus.Running, Ct);

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Dialer().DialDueAsync(Ct), Ct)));

        Assert.Equal(3, reports.Sum(r => r.Placed));
        Assert.Equal(3, _placer.Calls.Select(c => c.Request.PhoneNumber).Distinct().Count());
        var counts = await dialer.CountEntriesAsync(_campaign, Ct);
        Assert.Equal((3, 3), (counts[EntryState.Dialing], counts[EntryState.Pending]));

        foreach (var (request, id) in _placer.Calls)
        {
            await dialer.RecordOutcomeAsync(_campaign, request.EntryId, id, OutboundOutcome.NoAnswer, Ct);
            await dialer.RecordOutcomeAsync(_campaign, request.EntryId, id, OutboundOutcome.NoAnswer, Ct); // a duplicate
        }
        Assert.Equal(3, (await dialer.DialDueAsync(Ct)).Placed);
        _clock.Advance(RetryPolicy.Default.NoAnswerDelay);
        foreach (var (request, id) in _placer.Calls.Skip(3))
        {
            await dialer.RecordOutcomeAsync(_campaign, request.EntryId, id, OutboundOutcome.Answered, Ct);
        }
        Assert.Equal(3, (await dialer.DialDueAsync(Ct)).Placed);
        foreach (var (request, id) in _placer.Calls.Skip(6))
        {
            await dialer.RecordOutcomeAsync(_campaign, request.EntryId, id, OutboundOutcome.Voicemail, Ct);
        }

        counts = await dialer.CountEntriesAsync(_campaign, Ct);
        Assert.Equal((3, 3), (counts[EntryState.Answered], counts[EntryState.Exhausted]));
        Assert.Equal(CampaignStatus.Completed, (await dialer.GetCampaignAsync(_campaign, Ct)).Status);
        Assert.Equal(numbers.Order(), _placer.Calls.GroupBy(c => c.Request.PhoneNumber).Select(g => g.Key).Order());
        Assert.All(_placer.Calls.GroupBy(c => c.Request.PhoneNumber), g => Assert.True(g.Count() <= 2));

        var (page, next) = await dialer.ListEntriesAsync(_campaign, null, 4, Ct);
        var (rest, end) = await dialer.ListEntriesAsync(_campaign, next, 4, Ct);
        Assert.Equal(numbers, page.Concat(rest).Select(e => e.PhoneNumber));
        Assert.Null(end);
    }

    [Fact]
    public async Task The_do_not_call_list_and_call_lookup_work_on_table_storage()
    {
        var dialer = Dialer();
        // Sorts before the other entry, so the do-not-call one is looked at before pacing (1 line) is used up.
        var number = $"+120600{Random.Shared.Next(10000, 99999)}";
        await dialer.SaveCampaignAsync(new CampaignSettings(_campaign, "Azurite", "general", "+18005550199", "UTC",
            CallingHours: new CallingWindow(CallingWindow.DayNames.ToDictionary(d => d, _ => (IReadOnlyList<string>)["00:00-23:59"]))), Ct);
        await dialer.AddEntriesAsync(_campaign, [new NewEntry(number), new NewEntry("+12065550000")], Ct);
        await dialer.AddDoNotCallAsync(number, Ct);
        await dialer.SetStatusAsync(_campaign, CampaignStatus.Running, Ct);

        var report = await dialer.DialDueAsync(Ct);

        Assert.Equal((1, 1), (report.Placed, report.DoNotCall));
        var (request, id) = Assert.Single(_placer.Calls);
        Assert.Equal(new OutboundCallRecord(id, _campaign, "+12065550000", 1, null), await dialer.FindCallAsync(id, Ct));
        Assert.True(await dialer.RemoveDoNotCallAsync(number, Ct));
        Assert.Equal(EntryState.DoNotCall, (await dialer.GetEntryAsync(_campaign, number, Ct))!.State);
    }

    private sealed class CountingPlacer : IOutboundCallPlacer
    {
        private readonly ConcurrentQueue<(OutboundCallRequest Request, string Id)> _calls = new();

        public IReadOnlyList<(OutboundCallRequest Request, string Id)> Calls => _calls.ToArray();

        public Task<string> PlaceAsync(OutboundCallRequest request, CancellationToken cancellationToken = default)
        {
            var id = Guid.NewGuid().ToString();
            _calls.Enqueue((request, id));
            return Task.FromResult(id);
        }
    }
}
