using System.Text.RegularExpressions;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Outbound;

/// <summary>What a caller asks a campaign to be; every field is checked and all problems are reported together.</summary>
public sealed record CampaignSettings(
    string? Id,
    string? Name,
    string? QueueId,
    string? CallerId,
    string? TimeZone,
    CallingWindow? CallingHours = null,
    RetryPolicy? Retry = null,
    int? MaxConcurrentCalls = null,
    string? Greeting = null);

public sealed class CampaignDialerOptions
{
    /// <summary>A call whose outcome has not arrived after this long counts as Failed and frees its line (a lost event, a crash after claiming).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Due entries looked at per campaign per run; bounds a run's work when many are outside their calling hours.</summary>
    public int MaxDueScannedPerRun { get; set; } = 200;
}

/// <summary>What one dialer run did.</summary>
public sealed record DialReport(int Placed, int PlacingFailed, int DoNotCall, int Deferred, int TimedOut, int CompletedCampaigns)
{
    public static DialReport Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static DialReport operator +(DialReport a, DialReport b) => new(a.Placed + b.Placed, a.PlacingFailed + b.PlacingFailed,
        a.DoNotCall + b.DoNotCall, a.Deferred + b.Deferred, a.TimedOut + b.TimedOut, a.CompletedCampaigns + b.CompletedCampaigns);
}

public sealed class UnknownCampaignException(string campaignId) : Exception($"There is no campaign '{campaignId}'.");

/// <summary>The request does not fit the campaign's status (adding to a cancelled campaign, pausing a completed one).</summary>
public sealed class CampaignStateException(string message) : Exception(message);

/// <summary>Settings that do not validate, by field.</summary>
public sealed class CampaignValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The campaign is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// The outbound campaign use cases: campaigns and their entries, the do-not-call list, the dialer run and the outcome of
/// each call. Every write is conditional (ETag) or an insert, so two dialer runs at once (a slow timer run overlapping the
/// next, two instances) never call a number twice: an entry is claimed — marked Dialing, its due row removed and a pacing
/// slot taken, in one batch — before its call is placed, and only the run whose claim succeeded places it.
/// </summary>
public sealed partial class CampaignDialer : IOutboundOutcomeSink
{
    public const int MaxEntriesPerRequest = 1000;
    public const int MaxConcurrentCallsLimit = 100;
    private const int MaxTextLength = 200;
    private const int MaxGreetingLength = 1000;
    private const int MaxWriteAttempts = 10;

    private readonly CampaignRepository _repository;
    private readonly IOutboundCallPlacer _placer;
    private readonly TimeProvider _time;
    private readonly IQueueCatalog? _queues;
    private readonly CampaignDialerOptions _options;

    /// <param name="queues">When given, a campaign's queue must exist in it.</param>
    public CampaignDialer(IStateStore store, IOutboundCallPlacer placer, TimeProvider timeProvider, IQueueCatalog? queues = null, CampaignDialerOptions? options = null)
    {
        _repository = new CampaignRepository(store);
        _placer = placer;
        _time = timeProvider;
        _queues = queues;
        _options = options ?? new CampaignDialerOptions();
    }

    // Campaigns

    /// <summary>Creates a campaign (as Draft) or updates an existing one's settings, keeping its status and entries.</summary>
    public async Task<(Campaign Campaign, bool Created)> SaveCampaignAsync(CampaignSettings settings, CancellationToken cancellationToken = default)
    {
        var valid = Validate(settings);
        for (var attempt = 1; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var existing = await _repository.GetCampaignAsync(valid.Id, cancellationToken);
            try
            {
                if (existing is null)
                {
                    var created = valid with { CreatedAt = now, UpdatedAt = now };
                    await _repository.InsertCampaignAsync(created, cancellationToken);
                    return (created, true);
                }
                var updated = valid with { Status = existing.Value.Status, CreatedAt = existing.Value.CreatedAt, UpdatedAt = now };
                await _repository.ReplaceCampaignAsync(updated, existing.ETag, cancellationToken);
                return (updated, false);
            }
            catch (StateStoreException) when (attempt < MaxWriteAttempts)
            {
                // Created or changed by someone else meanwhile: read again.
            }
        }
    }

    public async Task<Campaign> GetCampaignAsync(string campaignId, CancellationToken cancellationToken = default) =>
        (await _repository.GetCampaignAsync(campaignId, cancellationToken) ?? throw new UnknownCampaignException(campaignId)).Value;

    /// <summary>Entries per state. Reads every entry row (a small property of each): fine for tens of thousands of entries.</summary>
    public async Task<IReadOnlyDictionary<EntryState, int>> CountEntriesAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        _ = await GetCampaignAsync(campaignId, cancellationToken);
        return await _repository.CountAsync(campaignId, cancellationToken);
    }

    /// <summary>A page of entries in number order, after <paramref name="afterEntryId"/>; the next page starts after the last returned.</summary>
    public async Task<(IReadOnlyList<CampaignEntry> Entries, string? NextAfter)> ListEntriesAsync(string campaignId, string? afterEntryId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _ = await GetCampaignAsync(campaignId, cancellationToken);
        var page = new List<CampaignEntry>(limit);
        var more = false;
        await foreach (var entry in _repository.EntriesAsync(campaignId, afterEntryId, cancellationToken))
        {
            if (page.Count == limit)
            {
                more = true;
                break;
            }
            page.Add(entry.Value);
        }
        return (page, more ? page[^1].Id : null);
    }

    public async Task<CampaignEntry?> GetEntryAsync(string campaignId, string entryId, CancellationToken cancellationToken = default) =>
        (await _repository.GetEntryAsync(campaignId, entryId, cancellationToken))?.Value;

    /// <summary>
    /// Starts or resumes (<see cref="CampaignStatus.Running"/>), pauses, or cancels a campaign. Cancelling marks every pending
    /// entry Cancelled; calls already in progress finish and are recorded. Setting the status it already has changes nothing.
    /// </summary>
    public async Task<Campaign> SetStatusAsync(string campaignId, CampaignStatus target, CancellationToken cancellationToken = default)
    {
        if (target is not (CampaignStatus.Running or CampaignStatus.Paused or CampaignStatus.Cancelled))
        {
            throw new ArgumentException($"A campaign can be set running, paused or cancelled, not {target.ToString().ToLowerInvariant()}.", nameof(target));
        }
        for (var attempt = 1; ; attempt++)
        {
            var current = await _repository.GetCampaignAsync(campaignId, cancellationToken) ?? throw new UnknownCampaignException(campaignId);
            var from = current.Value.Status;
            var allowed = (target, from) switch
            {
                (_, _) when target == from => true,
                (CampaignStatus.Running, CampaignStatus.Cancelled) => false,
                (CampaignStatus.Paused, CampaignStatus.Completed or CampaignStatus.Cancelled) => false,
                (CampaignStatus.Cancelled, CampaignStatus.Completed) => false,
                _ => true,
            };
            if (!allowed)
            {
                throw new CampaignStateException($"Campaign '{campaignId}' is {from.ToString().ToLowerInvariant()}; it cannot be set {target.ToString().ToLowerInvariant()}.");
            }
            var updated = current.Value with { Status = target, UpdatedAt = _time.GetUtcNow() };
            if (target != from)
            {
                try
                {
                    await _repository.ReplaceCampaignAsync(updated, current.ETag, cancellationToken);
                }
                catch (StatePreconditionFailedException) when (attempt < MaxWriteAttempts)
                {
                    continue;
                }
            }
            if (target == CampaignStatus.Cancelled)
            {
                await CancelPendingAsync(campaignId, cancellationToken);
            }
            return target == from ? current.Value : updated;
        }
    }

    private async Task CancelPendingAsync(string campaignId, CancellationToken cancellationToken)
    {
        var due = await _repository.DueAsync(campaignId, DateTimeOffset.MaxValue.AddTicks(-1), cancellationToken).ToListAsync(cancellationToken);
        foreach (var row in due)
        {
            await UpdatePendingAsync(campaignId, row, entry => entry with { State = EntryState.Cancelled, NextAttemptAt = null }, cancellationToken);
        }
    }

    // Entries

    /// <summary>
    /// Adds numbers to a campaign; each item is reported on its own (added, duplicate, on the do-not-call list, or invalid
    /// with the reason), so one bad row does not refuse the rest. New entries are due at once (the dialer still waits for
    /// their calling hours). Adding to a completed campaign sets it running again.
    /// </summary>
    public async Task<IReadOnlyList<EntryAddResult>> AddEntriesAsync(string campaignId, IReadOnlyList<NewEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count is 0 or > MaxEntriesPerRequest)
        {
            throw new ArgumentException($"Send 1 to {MaxEntriesPerRequest} entries per request, not {entries.Count}.", nameof(entries));
        }
        var campaign = await GetCampaignAsync(campaignId, cancellationToken);
        if (campaign.Status == CampaignStatus.Cancelled)
        {
            throw new CampaignStateException($"Campaign '{campaignId}' is cancelled; entries cannot be added.");
        }
        var results = new List<EntryAddResult>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var addedPending = false;
        for (var i = 0; i < entries.Count; i++)
        {
            var item = entries[i];
            var number = PhoneNumbers.Normalize(item?.PhoneNumber);
            var error = item is null ? "The entry is null."
                : number is null ? $"'{item.PhoneNumber}' is not an E.164 number such as +14255550100."
                : item.TimeZone is { } zone && FindZone(zone) is null ? $"Unknown time zone '{zone}'; use an IANA id such as America/New_York."
                : item.Name?.Length > MaxTextLength ? $"The name is longer than {MaxTextLength} characters."
                : item.Reference?.Length > MaxTextLength ? $"The reference is longer than {MaxTextLength} characters."
                : null;
            if (error is not null)
            {
                results.Add(new EntryAddResult(i, item?.PhoneNumber, EntryAddStatus.Invalid, error));
                continue;
            }
            if (!seen.Add(number!))
            {
                results.Add(new EntryAddResult(i, number, EntryAddStatus.Duplicate, "The number appears earlier in this request."));
                continue;
            }
            if (await _repository.GetEntryAsync(campaignId, number!, cancellationToken) is not null)
            {
                results.Add(new EntryAddResult(i, number, EntryAddStatus.Duplicate, "The number is already in the campaign."));
                continue;
            }
            var now = _time.GetUtcNow();
            var blocked = await _repository.DoNotCallSinceAsync(number!, cancellationToken) is not null;
            var entry = new CampaignEntry(campaignId, number!, item!.TimeZone?.Trim(), item.Name, item.Reference,
                blocked ? EntryState.DoNotCall : EntryState.Pending, [], blocked ? null : now, now, now);
            try
            {
                await _repository.SubmitAsync(blocked
                    ? [StateOperation.Insert(CampaignRepository.EntryEntity(entry))]
                    : [StateOperation.Insert(CampaignRepository.EntryEntity(entry)), StateOperation.Insert(CampaignRepository.DueEntity(entry))], cancellationToken);
                results.Add(new EntryAddResult(i, number, blocked ? EntryAddStatus.DoNotCall : EntryAddStatus.Added));
                addedPending |= !blocked;
            }
            catch (StateConflictException)
            {
                results.Add(new EntryAddResult(i, number, EntryAddStatus.Duplicate, "The number is already in the campaign."));
            }
        }
        if (addedPending && campaign.Status == CampaignStatus.Completed)
        {
            await ReopenAsync(campaignId, cancellationToken);
        }
        return results;
    }

    private async Task ReopenAsync(string campaignId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var current = await _repository.GetCampaignAsync(campaignId, cancellationToken);
            if (current is null || current.Value.Status != CampaignStatus.Completed)
            {
                return;
            }
            try
            {
                await _repository.ReplaceCampaignAsync(current.Value with { Status = CampaignStatus.Running, UpdatedAt = _time.GetUtcNow() }, current.ETag, cancellationToken);
                return;
            }
            catch (StatePreconditionFailedException)
            {
            }
        }
    }

    // Do-not-call list

    /// <summary>Puts a number on the global do-not-call list; pending entries with it are never dialed again.</summary>
    /// <returns>The number in E.164 and since when it is listed.</returns>
    public async Task<(string PhoneNumber, DateTimeOffset Since)> AddDoNotCallAsync(string phoneNumber, CancellationToken cancellationToken = default)
    {
        var number = NormalizeOrThrow(phoneNumber);
        if (await _repository.DoNotCallSinceAsync(number, cancellationToken) is { } since)
        {
            return (number, since);
        }
        var now = _time.GetUtcNow();
        await _repository.AddDoNotCallAsync(number, now, cancellationToken);
        return (number, now);
    }

    public async Task<(string PhoneNumber, DateTimeOffset? Since)> GetDoNotCallAsync(string phoneNumber, CancellationToken cancellationToken = default)
    {
        var number = NormalizeOrThrow(phoneNumber);
        return (number, await _repository.DoNotCallSinceAsync(number, cancellationToken));
    }

    /// <summary>Takes a number off the list; entries already marked DoNotCall stay so. False when it was not listed.</summary>
    public Task<bool> RemoveDoNotCallAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        _repository.RemoveDoNotCallAsync(NormalizeOrThrow(phoneNumber), cancellationToken);

    /// <summary>Which campaign entry and attempt a placed call was (null for a call id the dialer never placed).</summary>
    public Task<OutboundCallRecord?> FindCallAsync(string callConnectionId, CancellationToken cancellationToken = default) =>
        _repository.FindCallAsync(callConnectionId, cancellationToken);

    private static string NormalizeOrThrow(string phoneNumber) =>
        PhoneNumbers.Normalize(phoneNumber) ?? throw new ArgumentException($"'{phoneNumber}' is not an E.164 number such as +14255550100.", nameof(phoneNumber));

    // Dialing

    /// <summary>
    /// One dialer run: for each running campaign, frees the lines of calls whose outcome never came, then places calls to
    /// due entries that are inside their local calling window and not on the do-not-call list, up to the pacing limit.
    /// Safe to run concurrently with itself.
    /// </summary>
    public async Task<DialReport> DialDueAsync(CancellationToken cancellationToken = default)
    {
        var running = new List<Campaign>();
        await foreach (var campaign in _repository.CampaignsAsync(cancellationToken))
        {
            if (campaign.Value.Status == CampaignStatus.Running)
            {
                running.Add(campaign.Value);
            }
        }
        var report = DialReport.Empty;
        foreach (var campaign in running)
        {
            report += await DialCampaignAsync(campaign, cancellationToken);
        }
        return report;
    }

    private async Task<DialReport> DialCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        int placed = 0, failed = 0, doNotCall = 0, deferred = 0, timedOut = 0;

        var slots = await _repository.SlotsAsync(campaign.Id, cancellationToken);
        foreach (var stale in slots.Where(s => now - s.ClaimedAt >= _options.AttemptTimeout).ToList())
        {
            var ended = await EndAttemptAsync(campaign.Id, stale.EntryId, (_, attempt) => attempt.Number == stale.Attempt, null, OutboundOutcome.Failed,
                $"No outcome arrived within {_options.AttemptTimeout}.", cancellationToken);
            if (ended is null)
            {
                // The entry moved on without releasing this line (it should not happen): free it.
                await DeleteQuietlyAsync(stale.Entity, cancellationToken);
            }
            timedOut++;
            slots.Remove(stale);
        }

        var free = new Queue<int>(Enumerable.Range(0, campaign.MaxConcurrentCalls).Except(slots.Select(s => s.Slot)));
        var defaultZone = FindZone(campaign.TimeZone) ?? TimeZoneInfo.Utc;
        if (free.Count > 0)
        {
            var due = await _repository.DueAsync(campaign.Id, now, cancellationToken).Take(_options.MaxDueScannedPerRun).ToListAsync(cancellationToken);
            foreach (var row in due)
            {
                if (free.Count == 0)
                {
                    break;
                }
                var read = await _repository.GetEntryAsync(campaign.Id, row.EntryId, cancellationToken);
                if (read is null || read.Value.State != EntryState.Pending || read.Value.NextAttemptAt != row.Due)
                {
                    // Entry and due row change in one batch, so this is a row left by a run that lost a race: ignore it.
                    continue;
                }
                var entry = read.Value;
                if (await _repository.DoNotCallSinceAsync(entry.PhoneNumber, cancellationToken) is not null)
                {
                    doNotCall += await UpdatePendingAsync(campaign.Id, row, e => e with { State = EntryState.DoNotCall, NextAttemptAt = null }, cancellationToken) ? 1 : 0;
                    continue;
                }
                var zone = entry.TimeZone is { } id ? FindZone(id) ?? defaultZone : defaultZone;
                if (!campaign.CallingHours.In(zone).IsOpen(now))
                {
                    // Wait for the window to open instead of being looked at on every run until then.
                    var opening = campaign.CallingHours.NextOpening(zone, now) ?? now.AddDays(1);
                    deferred += await UpdatePendingAsync(campaign.Id, row, e => e with { NextAttemptAt = opening }, cancellationToken) ? 1 : 0;
                    continue;
                }

                var slot = free.Peek();
                var attempt = new CallAttempt(entry.Attempts.Count + 1, now, null, null, null, null);
                var dialing = entry with { State = EntryState.Dialing, Attempts = [.. entry.Attempts, attempt], NextAttemptAt = null, Slot = slot, UpdatedAt = now };
                try
                {
                    await _repository.SubmitAsync([
                        StateOperation.Replace(CampaignRepository.EntryEntity(dialing), read.ETag),
                        StateOperation.Delete(row.Entity, row.Entity.ETag),
                        StateOperation.Insert(CampaignRepository.SlotEntity(campaign.Id, slot, entry.Id, attempt.Number, now)),
                    ], cancellationToken);
                }
                catch (StateStoreException ex)
                {
                    if (ex.FailedOperationIndex == 2)
                    {
                        free.Dequeue(); // another run took this line
                    }
                    continue; // or this entry: either way it is not ours to call
                }
                free.Dequeue();
                if (await PlaceAsync(campaign, dialing, attempt.Number, cancellationToken))
                {
                    placed++;
                }
                else
                {
                    failed++;
                }
            }
        }

        var completed = await TryCompleteAsync(campaign.Id, cancellationToken) ? 1 : 0;
        return new DialReport(placed, failed, doNotCall, deferred, timedOut, completed);
    }

    /// <summary>Places a claimed attempt's call; a placer that throws ends the attempt as Failed, retried per policy.</summary>
    private async Task<bool> PlaceAsync(Campaign campaign, CampaignEntry entry, int attemptNumber, CancellationToken cancellationToken)
    {
        string callId;
        try
        {
            callId = await _placer.PlaceAsync(new OutboundCallRequest(campaign.Id, entry.Id, entry.PhoneNumber, campaign.QueueId)
            {
                CallerId = campaign.CallerId,
                Greeting = campaign.Greeting,
            }, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"Placing the call failed: {ex.GetType().Name}: {ex.Message}";
            await EndAttemptAsync(campaign.Id, entry.Id, (_, attempt) => attempt.Number == attemptNumber, null, OutboundOutcome.Failed,
                reason.Length > 500 ? reason[..500] : reason, CancellationToken.None);
            return false;
        }

        // The outcome may already have arrived (and set the call id); then there is nothing to add.
        for (var write = 1; write <= MaxWriteAttempts; write++)
        {
            var current = await _repository.GetEntryAsync(campaign.Id, entry.Id, CancellationToken.None);
            if (current?.Value.CurrentAttempt is not { CallId: null } attempt || attempt.Number != attemptNumber)
            {
                break;
            }
            var withCall = current.Value with { Attempts = [.. current.Value.Attempts.SkipLast(1), attempt with { CallId = callId }] };
            try
            {
                await _repository.Store.ReplaceAsync(TableNames.CampaignEntries, CampaignRepository.EntryEntity(withCall), current.ETag, CancellationToken.None);
                break;
            }
            catch (StatePreconditionFailedException)
            {
            }
        }
        await _repository.RecordCallAsync(callId, campaign.Id, entry.Id, attemptNumber, null, CancellationToken.None);
        return true;
    }

    // Outcomes

    /// <summary>
    /// Records how a call ended: an answered entry is done; otherwise it is retried after the policy's delay for that
    /// outcome, or Exhausted after the last allowed attempt. A duplicate, a late outcome (the attempt already timed out)
    /// or an unknown call changes nothing.
    /// </summary>
    public async Task RecordOutcomeAsync(string campaignId, string entryId, string callConnectionId, OutboundOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignId);
        ArgumentException.ThrowIfNullOrWhiteSpace(entryId);
        ArgumentException.ThrowIfNullOrWhiteSpace(callConnectionId);
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome.");
        }
        if (!StateKeys.IsValid(campaignId, out _) || !StateKeys.IsValid(entryId, out _))
        {
            return; // not a campaign or entry this dialer could have made
        }
        var ended = await EndAttemptAsync(campaignId, entryId,
            (entry, attempt) => (attempt.CallId ?? callConnectionId) == callConnectionId && !entry.Attempts.Any(a => a.CallId == callConnectionId && a.Outcome is not null),
            callConnectionId, outcome, null, cancellationToken);
        if (ended is not null)
        {
            await _repository.RecordCallAsync(callConnectionId, campaignId, entryId, ended.Value.Attempt, outcome, cancellationToken);
        }
    }

    /// <summary>
    /// Ends the entry's attempt in progress if <paramref name="isThisAttempt"/> says it is the one meant, releasing its
    /// line in the same batch. Returns the entry's new state, or null when nothing changed.
    /// </summary>
    private async Task<(EntryState State, int Attempt)?> EndAttemptAsync(string campaignId, string entryId, Func<CampaignEntry, CallAttempt, bool> isThisAttempt,
        string? callId, OutboundOutcome outcome, string? note, CancellationToken cancellationToken)
    {
        for (var write = 1; ; write++)
        {
            var campaign = await _repository.GetCampaignAsync(campaignId, cancellationToken);
            var read = await _repository.GetEntryAsync(campaignId, entryId, cancellationToken);
            if (campaign is null || read?.Value is not { CurrentAttempt: { } current } entry || !isThisAttempt(entry, current))
            {
                return null;
            }
            var now = _time.GetUtcNow();
            var ended = current with { CallId = current.CallId ?? callId, Outcome = outcome, EndedAt = now, Note = note };
            var (state, next) = Conclude(campaign.Value, entry.Attempts.Count, outcome, now);
            var updated = entry with { State = state, Attempts = [.. entry.Attempts.SkipLast(1), ended], NextAttemptAt = next, Slot = null, UpdatedAt = now };

            var operations = new List<StateOperation> { StateOperation.Replace(CampaignRepository.EntryEntity(updated), read.ETag) };
            if (state == EntryState.Pending)
            {
                operations.Add(StateOperation.Insert(CampaignRepository.DueEntity(updated)));
            }
            if (entry.Slot is { } slot
                && await _repository.Store.GetAsync(TableNames.CampaignEntries, campaignId, CampaignRepository.SlotRowKey(slot), cancellationToken) is { } slotRow
                && slotRow.GetString("EntryId") == entry.Id && slotRow.GetInt64("Attempt") == current.Number)
            {
                operations.Add(StateOperation.Delete(slotRow, slotRow.ETag));
            }
            try
            {
                await _repository.SubmitAsync(operations, cancellationToken);
            }
            catch (StateStoreException) when (write < MaxWriteAttempts)
            {
                continue; // the entry or its line changed meanwhile: decide again on what is stored now
            }
            if (updated.IsFinished)
            {
                await TryCompleteAsync(campaignId, cancellationToken);
            }
            return (state, current.Number);
        }
    }

    private static (EntryState State, DateTimeOffset? Next) Conclude(Campaign campaign, int attemptsMade, OutboundOutcome outcome, DateTimeOffset now) =>
        outcome == OutboundOutcome.Answered ? (EntryState.Answered, null)
        : campaign.Status == CampaignStatus.Cancelled ? (EntryState.Cancelled, null)
        : attemptsMade >= campaign.Retry.MaxAttempts ? (EntryState.Exhausted, null)
        : (EntryState.Pending, now + campaign.Retry.DelayAfter(outcome));

    /// <summary>Changes a Pending entry and moves (or removes) its due row in one batch; false when it is no longer that row's entry.</summary>
    private async Task<bool> UpdatePendingAsync(string campaignId, DueRow row, Func<CampaignEntry, CampaignEntry> change, CancellationToken cancellationToken)
    {
        for (var write = 1; write <= MaxWriteAttempts; write++)
        {
            var read = await _repository.GetEntryAsync(campaignId, row.EntryId, cancellationToken);
            if (read is null || read.Value.State != EntryState.Pending || read.Value.NextAttemptAt != row.Due)
            {
                return false;
            }
            var updated = change(read.Value) with { UpdatedAt = _time.GetUtcNow() };
            var operations = new List<StateOperation>
            {
                StateOperation.Replace(CampaignRepository.EntryEntity(updated), read.ETag),
                StateOperation.Delete(row.Entity, row.Entity.ETag),
            };
            if (updated.State == EntryState.Pending)
            {
                operations.Add(StateOperation.Insert(CampaignRepository.DueEntity(updated)));
            }
            try
            {
                await _repository.SubmitAsync(operations, cancellationToken);
                return true;
            }
            catch (StateNotFoundException)
            {
                return false; // the due row is gone: another run took the entry
            }
            catch (StatePreconditionFailedException)
            {
            }
        }
        return false;
    }

    /// <summary>A running campaign with nothing due and no call in progress is complete.</summary>
    private async Task<bool> TryCompleteAsync(string campaignId, CancellationToken cancellationToken)
    {
        var current = await _repository.GetCampaignAsync(campaignId, cancellationToken);
        if (current is null || current.Value.Status != CampaignStatus.Running || await _repository.HasOpenWorkAsync(campaignId, cancellationToken))
        {
            return false;
        }
        try
        {
            await _repository.ReplaceCampaignAsync(current.Value with { Status = CampaignStatus.Completed, UpdatedAt = _time.GetUtcNow() }, current.ETag, cancellationToken);
            return true;
        }
        catch (StatePreconditionFailedException)
        {
            return false; // changed meanwhile (entries added, paused): the next run looks again
        }
    }

    private async Task DeleteQuietlyAsync(StateEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _repository.Store.DeleteAsync(TableNames.CampaignEntries, entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
        }
        catch (StatePreconditionFailedException)
        {
        }
    }

    // Validation

    private Campaign Validate(CampaignSettings settings)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        if (settings.Id is not { } id || !CampaignId().IsMatch(id))
        {
            Error("id", "Use 1-64 letters, digits, '-' or '_', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(settings.Name) || settings.Name.Length > MaxTextLength)
        {
            Error("name", $"A name of 1-{MaxTextLength} characters is required.");
        }
        if (string.IsNullOrWhiteSpace(settings.QueueId) || !StateKeys.IsValid(settings.QueueId, out _))
        {
            Error("queueId", "The queue answered calls go to is required.");
        }
        else if (_queues is not null && _queues.Find(settings.QueueId) is null)
        {
            Error("queueId", $"There is no queue '{settings.QueueId}'; known queues: {string.Join(", ", _queues.QueueIds.Order())}.");
        }
        var callerId = PhoneNumbers.Normalize(settings.CallerId);
        if (callerId is null)
        {
            Error("callerId", "The number shown to callees is required, in E.164 such as +18005550199.");
        }
        if (settings.Greeting?.Length > MaxGreetingLength)
        {
            Error("greeting", $"At most {MaxGreetingLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(settings.TimeZone) || FindZone(settings.TimeZone) is null)
        {
            Error("timeZone", $"'{settings.TimeZone}' is not a known time zone; use an IANA id such as America/New_York.");
        }
        var hours = settings.CallingHours ?? CallingWindow.Default;
        if (!hours.HasAnyHours)
        {
            Error("callingHours", "At least one day needs calling hours.");
        }
        var retry = settings.Retry ?? RetryPolicy.Default;
        if (retry.MaxAttempts is < 1 or > RetryPolicy.MaxAttemptsLimit)
        {
            Error("retry.maxAttempts", $"Between 1 and {RetryPolicy.MaxAttemptsLimit}.");
        }
        foreach (var (name, delay) in new[] { ("retry.noAnswerDelay", retry.NoAnswerDelay), ("retry.voicemailDelay", retry.VoicemailDelay), ("retry.failedDelay", retry.FailedDelay) })
        {
            if (delay < TimeSpan.FromMinutes(1) || delay > TimeSpan.FromDays(30))
            {
                Error(name, "Between 00:01:00 and 30.00:00:00.");
            }
        }
        var pacing = settings.MaxConcurrentCalls ?? 1;
        if (pacing is < 1 or > MaxConcurrentCallsLimit)
        {
            Error("maxConcurrentCalls", $"Between 1 and {MaxConcurrentCallsLimit}.");
        }
        if (errors.Count > 0)
        {
            throw new CampaignValidationException(errors);
        }
        return new Campaign(settings.Id!, settings.Name!.Trim(), settings.QueueId!, callerId!, settings.Greeting, settings.TimeZone!.Trim(), hours, retry, pacing,
            CampaignStatus.Draft, default, default);
    }

    internal static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex CampaignId();
}
