using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests;

/// <summary>
/// The campaign dialer on the embedded store and virtual time. Monday 2026-11-23 14:00 UTC is 09:00 in New York (EST),
/// 15:00 in Berlin: inside the default Monday-Friday 09:00-20:00 window in both.
/// </summary>
public sealed class CampaignDialerTests
{
    private static readonly DateTimeOffset Monday0900NewYork = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Monday0900NewYork);
    private readonly InMemoryStateStore _store;
    private readonly FakePlacer _placer = new();

    public CampaignDialerTests() => _store = new InMemoryStateStore(_clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CampaignDialer Dialer(IStateStore? store = null) =>
        new(store ?? _store, _placer, _clock, new StaticQueueCatalog([new QueueDefinition("sales")]));

    private static CampaignSettings Settings(string id = "spring", int pacing = 5, RetryPolicy? retry = null, CallingWindow? hours = null) =>
        new(id, "Spring renewals", "sales", "+18005550199", "America/New_York", hours, retry, pacing, "Hello from Contoso.");

    private async Task<CampaignDialer> RunningAsync(params string[] numbers) => await RunningAsync(Settings(), numbers);

    private async Task<CampaignDialer> RunningAsync(CampaignSettings settings, params string[] numbers)
    {
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(settings, Ct);
        if (numbers.Length > 0)
        {
            await dialer.AddEntriesAsync(settings.Id!, numbers.Select(n => new NewEntry(n)).ToList(), Ct);
        }
        await dialer.SetStatusAsync(settings.Id!, CampaignStatus.Running, Ct);
        return dialer;
    }

    private async Task<CampaignEntry> EntryAsync(CampaignDialer dialer, string number, string campaign = "spring") =>
        await dialer.GetEntryAsync(campaign, number, Ct) ?? throw new InvalidOperationException($"no entry {number}");

    private static void AssertSame(CampaignEntry expected, CampaignEntry actual)
    {
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected with { Attempts = Array.Empty<CallAttempt>() }, actual with { Attempts = Array.Empty<CallAttempt>() });
    }

    [Fact]
    public async Task A_due_entry_is_called_with_the_campaigns_caller_id_greeting_and_queue()
    {
        var dialer = await RunningAsync("+14255550100");

        var report = await dialer.DialDueAsync(Ct);

        Assert.Equal(1, report.Placed);
        var request = Assert.Single(_placer.Requests);
        Assert.Equal(new OutboundCallRequest("spring", "+14255550100", "+14255550100", "sales") { CallerId = "+18005550199", Greeting = "Hello from Contoso." }, request);
        var entry = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Dialing, entry.State);
        Assert.Equal("call-1", Assert.Single(entry.Attempts).CallId);
        Assert.Equal(new OutboundCallRecord("call-1", "spring", "+14255550100", 1, null), await dialer.FindCallAsync("call-1", Ct));
    }

    [Fact]
    public async Task Only_a_running_campaign_is_dialed()
    {
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(Settings(), Ct);
        await dialer.AddEntriesAsync("spring", [new NewEntry("+14255550100")], Ct);

        await dialer.DialDueAsync(Ct);
        await dialer.SetStatusAsync("spring", CampaignStatus.Running, Ct);
        await dialer.SetStatusAsync("spring", CampaignStatus.Paused, Ct);
        await dialer.DialDueAsync(Ct);
        Assert.Empty(_placer.Requests);

        await dialer.SetStatusAsync("spring", CampaignStatus.Running, Ct);
        await dialer.DialDueAsync(Ct);
        Assert.Single(_placer.Requests);
    }

    [Fact]
    public async Task The_calling_window_is_the_callees_local_time_so_each_time_zone_is_called_when_it_opens()
    {
        // A week on, 07:00 UTC Monday: 08:00 in Berlin (closed), 02:00 in New York (closed). 08:00 UTC: 09:00 Berlin opens.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero));
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(Settings(), Ct);
        await dialer.AddEntriesAsync("spring", [new NewEntry("+14255550100"), new NewEntry("+4930123456", TimeZone: "Europe/Berlin")], Ct);
        await dialer.SetStatusAsync("spring", CampaignStatus.Running, Ct);

        var closed = await dialer.DialDueAsync(Ct);
        Assert.Equal(0, closed.Placed);
        Assert.Equal(2, closed.Deferred);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), (await EntryAsync(dialer, "+4930123456")).NextAttemptAt);
        Assert.Equal(Monday0900NewYork.AddDays(7), (await EntryAsync(dialer, "+14255550100")).NextAttemptAt);

        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 7, 59, 59, TimeSpan.Zero));
        Assert.Equal(0, (await dialer.DialDueAsync(Ct)).Placed);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await dialer.DialDueAsync(Ct);
        Assert.Equal(["+4930123456"], _placer.Requests.Select(r => r.PhoneNumber));

        _clock.SetUtcNow(Monday0900NewYork.AddDays(7));
        await dialer.DialDueAsync(Ct);
        Assert.Equal(["+4930123456", "+14255550100"], _placer.Requests.Select(r => r.PhoneNumber));
    }

    [Fact]
    public async Task Daylight_saving_time_moves_the_window_in_utc()
    {
        var window = CallingWindow.Default;
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // 13:30 UTC is 09:30 in July (EDT, UTC-4) but 08:30 in January (EST, UTC-5).
        Assert.True(window.In(newYork).IsOpen(new DateTimeOffset(2026, 7, 6, 13, 30, 0, TimeSpan.Zero)));
        Assert.False(window.In(newYork).IsOpen(new DateTimeOffset(2026, 1, 5, 13, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero), window.NextOpening(newYork, new DateTimeOffset(2026, 1, 5, 13, 30, 0, TimeSpan.Zero)));

        // Across the March change: Friday 6 March closes at 20:00 EST (01:00 UTC), Monday 9 March opens at 09:00 EDT (13:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero), window.NextOpening(newYork, new DateTimeOffset(2026, 3, 7, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_window_opening_inside_the_spring_forward_gap_opens_when_the_gap_ends()
    {
        // London skips 01:00-02:00 on Sunday 29 March 2026; a range from 01:30 can first call at 02:00 BST = 01:00 UTC.
        var window = new CallingWindow(new Dictionary<string, IReadOnlyList<string>> { ["sun"] = ["01:30-03:00"] });
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

        var opening = window.NextOpening(london, new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), opening);
        Assert.True(window.In(london).IsOpen(opening!.Value));
    }

    [Fact]
    public async Task A_number_put_on_the_do_not_call_list_after_it_was_added_is_never_dialed()
    {
        var dialer = await RunningAsync("+14255550100", "+14255550101");
        await dialer.AddDoNotCallAsync("+1 425 555 0100", Ct);

        var report = await dialer.DialDueAsync(Ct);

        Assert.Equal(1, report.DoNotCall);
        Assert.Equal(["+14255550101"], _placer.Requests.Select(r => r.PhoneNumber));
        Assert.Equal(EntryState.DoNotCall, (await EntryAsync(dialer, "+14255550100")).State);
    }

    [Fact]
    public async Task Adding_a_listed_number_marks_it_do_not_call_and_removing_it_from_the_list_affects_only_new_entries()
    {
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(Settings(), Ct);
        await dialer.AddDoNotCallAsync("+14255550100", Ct);

        var results = await dialer.AddEntriesAsync("spring", [new NewEntry("+14255550100")], Ct);
        Assert.True(await dialer.RemoveDoNotCallAsync("+14255550100", Ct));
        Assert.False(await dialer.RemoveDoNotCallAsync("+14255550100", Ct));

        Assert.Equal(EntryAddStatus.DoNotCall, Assert.Single(results).Status);
        Assert.Equal(EntryState.DoNotCall, (await EntryAsync(dialer, "+14255550100")).State);
        Assert.Null((await dialer.GetDoNotCallAsync("+14255550100", Ct)).Since);
    }

    [Fact]
    public async Task Entries_are_validated_one_by_one_and_numbers_deduplicated_after_normalizing()
    {
        var dialer = Dialer();
        await dialer.SaveCampaignAsync(Settings(), Ct);
        await dialer.AddEntriesAsync("spring", [new NewEntry("+14255550100")], Ct);

        var results = await dialer.AddEntriesAsync("spring", [
            new NewEntry("+1 (425) 555-0101"),
            new NewEntry("4255550102"),
            new NewEntry("+14255550101"),
            new NewEntry("+1-425-555-0100"),
            new NewEntry("+14255550103", TimeZone: "Mars/Olympus_Mons"),
        ], Ct);

        Assert.Equal([EntryAddStatus.Added, EntryAddStatus.Invalid, EntryAddStatus.Duplicate, EntryAddStatus.Duplicate, EntryAddStatus.Invalid], results.Select(r => r.Status));
        Assert.Equal("+14255550101", results[0].PhoneNumber);
        Assert.Contains("E.164", results[1].Error);
        Assert.Contains("earlier in this request", results[2].Error);
        Assert.Contains("already in the campaign", results[3].Error);
        Assert.Contains("Mars/Olympus_Mons", results[4].Error);
        Assert.Equal(2, (await dialer.CountEntriesAsync("spring", Ct))[EntryState.Pending]);
    }

    [Fact]
    public async Task Pacing_limits_the_calls_in_progress_and_a_finished_call_frees_its_line()
    {
        var dialer = await RunningAsync(Settings(pacing: 2), "+14255550100", "+14255550101", "+14255550102", "+14255550103");

        Assert.Equal(2, (await dialer.DialDueAsync(Ct)).Placed);
        Assert.Equal(0, (await dialer.DialDueAsync(Ct)).Placed);
        await dialer.RecordOutcomeAsync("spring", _placer.Requests[0].EntryId, "call-1", OutboundOutcome.Answered, Ct);
        Assert.Equal(1, (await dialer.DialDueAsync(Ct)).Placed);

        Assert.Equal(["+14255550100", "+14255550101", "+14255550102"], _placer.Requests.Select(r => r.PhoneNumber));
    }

    [Theory]
    [InlineData(OutboundOutcome.NoAnswer, 60)]
    [InlineData(OutboundOutcome.Voicemail, 240)]
    [InlineData(OutboundOutcome.Failed, 15)]
    public async Task An_unanswered_attempt_is_retried_after_the_delay_for_its_outcome(OutboundOutcome outcome, int minutes)
    {
        var dialer = await RunningAsync("+14255550100");
        await dialer.DialDueAsync(Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", outcome, Ct);

        var entry = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Pending, entry.State);
        Assert.Equal(Monday0900NewYork.AddMinutes(minutes), entry.NextAttemptAt);
        Assert.Equal(outcome, Assert.Single(entry.Attempts).Outcome);

        _clock.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await dialer.DialDueAsync(Ct)).Placed);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await dialer.DialDueAsync(Ct)).Placed);
        Assert.Equal(2, (await EntryAsync(dialer, "+14255550100")).Attempts.Count);
    }

    [Fact]
    public async Task After_the_last_allowed_attempt_the_entry_is_exhausted_and_the_campaign_completes()
    {
        var retry = RetryPolicy.Default with { MaxAttempts = 2 };
        var dialer = await RunningAsync(Settings(retry: retry), "+14255550100");

        await dialer.DialDueAsync(Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.NoAnswer, Ct);
        _clock.Advance(retry.NoAnswerDelay);
        await dialer.DialDueAsync(Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-2", OutboundOutcome.Voicemail, Ct);

        var entry = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Exhausted, entry.State);
        Assert.Null(entry.NextAttemptAt);
        Assert.Equal([OutboundOutcome.NoAnswer, OutboundOutcome.Voicemail], entry.Attempts.Select(a => a.Outcome!.Value));
        Assert.Equal(CampaignStatus.Completed, (await dialer.GetCampaignAsync("spring", Ct)).Status);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await dialer.DialDueAsync(Ct)).Placed);
    }

    [Fact]
    public async Task An_answered_call_finishes_the_entry_and_the_last_one_completes_the_campaign()
    {
        var dialer = await RunningAsync("+14255550100", "+14255550101");
        await dialer.DialDueAsync(Ct);

        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.Answered, Ct);
        Assert.Equal(CampaignStatus.Running, (await dialer.GetCampaignAsync("spring", Ct)).Status);
        await dialer.RecordOutcomeAsync("spring", "+14255550101", "call-2", OutboundOutcome.Answered, Ct);

        Assert.Equal(CampaignStatus.Completed, (await dialer.GetCampaignAsync("spring", Ct)).Status);
        var counts = await dialer.CountEntriesAsync("spring", Ct);
        Assert.Equal(2, counts[EntryState.Answered]);
        Assert.Equal(OutboundOutcome.Answered, (await dialer.FindCallAsync("call-2", Ct))!.Outcome);
    }

    [Fact]
    public async Task A_repeated_or_late_outcome_changes_nothing()
    {
        var dialer = await RunningAsync("+14255550100");
        await dialer.DialDueAsync(Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.NoAnswer, Ct);
        var afterFirst = await EntryAsync(dialer, "+14255550100");

        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.NoAnswer, Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.Answered, Ct);
        AssertSame(afterFirst, await EntryAsync(dialer, "+14255550100"));

        // The retry is being placed (no call id yet) when call-1's outcome arrives once more: it must not end attempt 2.
        _clock.Advance(TimeSpan.FromHours(1));
        _placer.Gate = new TaskCompletionSource();
        var placing = dialer.DialDueAsync(Ct);
        await _placer.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.Voicemail, Ct);
        _placer.Gate.SetResult();
        await placing;

        var entry = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Dialing, entry.State);
        Assert.Equal([("call-1", (OutboundOutcome?)OutboundOutcome.NoAnswer), ("call-2", null)], entry.Attempts.Select(a => (a.CallId!, a.Outcome)));

        // Unknown calls, entries and campaigns are ignored too.
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-99", OutboundOutcome.Answered, Ct);
        await dialer.RecordOutcomeAsync("spring", "+19995550100", "call-2", OutboundOutcome.Answered, Ct);
        await dialer.RecordOutcomeAsync("nowhere", "+14255550100", "call-2", OutboundOutcome.Answered, Ct);
        Assert.Equal(EntryState.Dialing, (await EntryAsync(dialer, "+14255550100")).State);
    }

    [Fact]
    public async Task An_outcome_that_arrives_before_placing_returned_is_kept()
    {
        var dialer = await RunningAsync("+14255550100");
        _placer.Gate = new TaskCompletionSource();
        var placing = dialer.DialDueAsync(Ct);
        await _placer.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.Answered, Ct);
        _placer.Gate.SetResult();
        await placing;

        var entry = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Answered, entry.State);
        Assert.Equal("call-1", Assert.Single(entry.Attempts).CallId);
    }

    [Fact]
    public async Task A_placer_failure_counts_a_failed_attempt_frees_the_line_and_retries_later()
    {
        var dialer = await RunningAsync(Settings(pacing: 1), "+14255550100", "+14255550101");
        _placer.FailNext = new HttpRequestException("provider down");

        var report = await dialer.DialDueAsync(Ct);

        Assert.Equal(1, report.PlacingFailed);
        var failed = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(EntryState.Pending, failed.State);
        Assert.Equal(Monday0900NewYork.AddMinutes(15), failed.NextAttemptAt);
        var attempt = Assert.Single(failed.Attempts);
        Assert.Equal(OutboundOutcome.Failed, attempt.Outcome);
        Assert.Contains("provider down", attempt.Note);
        // The line is free again: the next due entry is called in the same run... or the next one.
        await dialer.DialDueAsync(Ct);
        Assert.Equal(EntryState.Dialing, (await EntryAsync(dialer, "+14255550101")).State);
    }

    [Fact]
    public async Task A_call_whose_outcome_never_arrives_times_out_as_failed_and_its_late_outcome_is_ignored()
    {
        var dialer = await RunningAsync(Settings(pacing: 1), "+14255550100", "+14255550101");
        await dialer.DialDueAsync(Ct);

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, (await dialer.DialDueAsync(Ct)).Placed);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var report = await dialer.DialDueAsync(Ct);

        Assert.Equal(1, report.TimedOut);
        Assert.Equal(1, report.Placed);
        var timedOut = await EntryAsync(dialer, "+14255550100");
        Assert.Equal(OutboundOutcome.Failed, Assert.Single(timedOut.Attempts).Outcome);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.Answered, Ct);
        AssertSame(timedOut, await EntryAsync(dialer, "+14255550100"));
    }

    [Fact]
    public async Task Cancelling_cancels_pending_entries_and_a_call_in_progress_ends_cancelled_unless_answered()
    {
        var dialer = await RunningAsync(Settings(pacing: 1), "+14255550100", "+14255550101");
        await dialer.DialDueAsync(Ct);

        await dialer.SetStatusAsync("spring", CampaignStatus.Cancelled, Ct);
        await dialer.RecordOutcomeAsync("spring", "+14255550100", "call-1", OutboundOutcome.NoAnswer, Ct);

        Assert.Equal(EntryState.Cancelled, (await EntryAsync(dialer, "+14255550100")).State);
        Assert.Equal(EntryState.Cancelled, (await EntryAsync(dialer, "+14255550101")).State);
        await Assert.ThrowsAsync<CampaignStateException>(() => dialer.SetStatusAsync("spring", CampaignStatus.Running, Ct));
        await Assert.ThrowsAsync<CampaignStateException>(() => dialer.AddEntriesAsync("spring", [new NewEntry("+14255550102")], Ct));
        _clock.Advance(TimeSpan.FromDays(1));
        await dialer.DialDueAsync(Ct);
        Assert.Single(_placer.Requests);
    }

    [Fact]
    public async Task Adding_entries_to_a_completed_campaign_runs_it_again()
    {
        var dialer = await RunningAsync();
        await dialer.DialDueAsync(Ct);
        Assert.Equal(CampaignStatus.Completed, (await dialer.GetCampaignAsync("spring", Ct)).Status);

        await dialer.AddEntriesAsync("spring", [new NewEntry("+14255550100")], Ct);

        Assert.Equal(CampaignStatus.Running, (await dialer.GetCampaignAsync("spring", Ct)).Status);
        Assert.Equal(1, (await dialer.DialDueAsync(Ct)).Placed);
    }

    [Fact]
    public async Task Invalid_settings_are_reported_by_field()
    {
        var dialer = Dialer();

        var ex = await Assert.ThrowsAsync<CampaignValidationException>(() => dialer.SaveCampaignAsync(
            new CampaignSettings("bad id", "", "nowhere", "5550199", "Nowhere/City", Retry: RetryPolicy.Default with { MaxAttempts = 0, FailedDelay = TimeSpan.Zero }, MaxConcurrentCalls: 0), Ct));

        Assert.Equal(["callerId", "id", "maxConcurrentCalls", "name", "queueId", "retry.failedDelay", "retry.maxAttempts", "timeZone"], ex.Errors.Keys.Order());
        Assert.Contains("known queues: sales", ex.Errors["queueId"][0]);
    }

    [Fact]
    public async Task Saving_again_updates_settings_and_keeps_status_and_entries()
    {
        var dialer = await RunningAsync("+14255550100");

        var (updated, created) = await dialer.SaveCampaignAsync(Settings(pacing: 7) with { Name = "Renewals" }, Ct);

        Assert.False(created);
        Assert.Equal(("Renewals", 7, CampaignStatus.Running), (updated.Name, updated.MaxConcurrentCalls, updated.Status));
        Assert.Equal(1, (await dialer.CountEntriesAsync("spring", Ct))[EntryState.Pending]);
    }

    [Fact]
    public async Task Two_dialers_running_at_once_on_one_store_never_call_a_number_twice_nor_exceed_pacing()
    {
        var store = new YieldingStore(_store);
        var numbers = Enumerable.Range(0, 30).Select(i => $"+1425555{i:D4}").ToArray();
        await RunningAsync(Settings(pacing: 8), numbers);
        var first = Dialer(store);
        var second = Dialer(store);

        for (var round = 0; round < 20 && _placer.Requests.Count < numbers.Length; round++)
        {
            var before = _placer.Requests.Count;
            await Task.WhenAll(Task.Run(() => first.DialDueAsync(Ct), Ct), Task.Run(() => second.DialDueAsync(Ct), Ct), Task.Run(() => first.DialDueAsync(Ct), Ct));
            var placed = _placer.Requests.Skip(before).ToList();
            Assert.InRange(placed.Count, 1, 8);
            Assert.Equal(placed.Count, (await first.CountEntriesAsync("spring", Ct))[EntryState.Dialing]);
            foreach (var request in placed)
            {
                await second.RecordOutcomeAsync("spring", request.EntryId, _placer.CallIdOf(request), OutboundOutcome.Answered, Ct);
            }
        }

        Assert.Equal(numbers.Order(), _placer.Requests.Select(r => r.PhoneNumber).Order());
        Assert.Equal(30, (await first.CountEntriesAsync("spring", Ct))[EntryState.Answered]);
    }

    /// <summary>Answers with call-1, call-2, ...; can fail the next call or hold calls until released.</summary>
    private sealed class FakePlacer : IOutboundCallPlacer
    {
        private readonly ConcurrentQueue<OutboundCallRequest> _requests = new();
        private readonly ConcurrentDictionary<OutboundCallRequest, string> _ids = new();
        private int _count;

        public IReadOnlyList<OutboundCallRequest> Requests => _requests.ToArray();
        public Exception? FailNext { get; set; }
        public TaskCompletionSource? Gate { get; set; }
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string CallIdOf(OutboundCallRequest request) => _ids[request];

        public async Task<string> PlaceAsync(OutboundCallRequest request, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (FailNext is { } failure)
            {
                FailNext = null;
                throw failure;
            }
            var id = $"call-{Interlocked.Increment(ref _count)}";
            _requests.Enqueue(request);
            _ids[request] = id;
            if (Gate is { } gate)
            {
                Entered.TrySetResult();
                await gate.Task;
            }
            return id;
        }
    }

    /// <summary>The embedded store, yielding before every call so concurrent runs interleave as they would over the network.</summary>
    private sealed class YieldingStore(IStateStore inner) : IStateStore
    {
        public string Kind => inner.Kind;

        public async Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
        }

        public async Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.InsertAsync(table, entity, cancellationToken);
        }

        public async Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.ReplaceAsync(table, entity, ifMatchETag, cancellationToken);
        }

        public async Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.UpsertAsync(table, entity, cancellationToken);
        }

        public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await inner.DeleteAsync(table, partitionKey, rowKey, ifMatchETag, cancellationToken);
        }

        public async IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var entity in inner.QueryPartitionAsync(table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken))
            {
                await Task.Yield();
                yield return entity;
            }
        }

        public async Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            await inner.SubmitBatchAsync(table, operations, cancellationToken);
        }

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
