using ContactCenter.Core.Outbound;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Channels;

/// <summary>
/// Where a customer stands with one of our numbers, or with all of them when <see cref="OurNumber"/> is null.
/// <see cref="ChangedAt"/> is when the customer (or an operator) last changed it; <see cref="ConfirmedAt"/> when the
/// confirmation text for that change was accepted by the provider.
/// </summary>
public sealed record SmsOptOutState(string CustomerNumber, string? OurNumber, bool OptedOut, DateTimeOffset ChangedAt, string? Reason, DateTimeOffset? ConfirmedAt);

/// <summary>
/// Opt-outs of SMS, per (our number, customer number) — what a STOP to one number means — or for all our numbers
/// (an operator's decision, or a customer's request by another channel). Changes are idempotent and ordered by their
/// own time: a repeated or late STOP/START (events arrive twice, late, out of order) never undoes a newer one, and
/// repeating the current state keeps its original time, so a confirmation is sent once per real change.
/// </summary>
/// <remarks>
/// Table <see cref="TableNames.SmsOptOuts"/>: a partition per customer number, row <c>*</c> for all our numbers and a
/// row per number of ours, so the outbox's check is one partition read and a global opt-in clears every row in one
/// atomic batch. Rows are kept after an opt-in (OptedOut false) as the record of when it happened.
/// </remarks>
public sealed class SmsOptOutRegistry(IStateStore store, TimeProvider timeProvider)
{
    private const string AllNumbersRow = "*";
    private const int MaxAttempts = 10;

    /// <summary>Records an opt-out at <paramref name="at"/>; <paramref name="ourNumber"/> null means from every number of ours.</summary>
    /// <returns>The state now stored (unchanged when the customer was already opted out, or a newer change exists).</returns>
    public Task<SmsOptOutState> OptOutAsync(string customerNumber, string? ourNumber, DateTimeOffset at, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(customerNumber, ourNumber, optedOut: true, at, reason, cancellationToken);

    /// <summary>
    /// Records an opt-in at <paramref name="at"/> for one number of ours. With <paramref name="ourNumber"/> null it lifts
    /// the opt-out from all our numbers and every per-number opt-out older than <paramref name="at"/>.
    /// </summary>
    public async Task<SmsOptOutState> OptInAsync(string customerNumber, string? ourNumber, DateTimeOffset at, string? reason = null, CancellationToken cancellationToken = default)
    {
        if (ourNumber is not null)
        {
            return await ChangeAsync(customerNumber, ourNumber, optedOut: false, at, reason, cancellationToken).ConfigureAwait(false);
        }
        var customer = Number(customerNumber, nameof(customerNumber));
        for (var attempt = 1; ; attempt++)
        {
            var operations = new List<StateOperation>();
            StateEntity? global = null;
            await foreach (var row in store.QueryPartitionAsync(TableNames.SmsOptOuts, customer, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.RowKey == AllNumbersRow)
                {
                    global = row;
                }
                else if (Read(row) is { OptedOut: true } state && state.ChangedAt < at)
                {
                    operations.Add(StateOperation.Replace(Entity(customer, row.RowKey, optedOut: false, at, reason, null), row.ETag!));
                }
            }
            var current = global is null ? null : Read(global);
            var globalChanges = current is null || (current.OptedOut && current.ChangedAt < at);
            if (globalChanges)
            {
                var entity = Entity(customer, AllNumbersRow, optedOut: false, at, reason, null);
                operations.Add(global is null ? StateOperation.Insert(entity) : StateOperation.Replace(entity, global.ETag!));
            }
            if (operations.Count == 0)
            {
                return current!;
            }
            try
            {
                // At most one row per number of ours: far below a batch's 100 for any real contact center.
                foreach (var chunk in operations.Chunk(StateOperation.MaxBatchSize))
                {
                    await store.SubmitBatchAsync(TableNames.SmsOptOuts, chunk, cancellationToken).ConfigureAwait(false);
                }
                return globalChanges ? new SmsOptOutState(customer, null, false, at, reason, null) : current!;
            }
            catch (StateStoreException) when (attempt < MaxAttempts)
            {
                // Someone changed a row meanwhile: read again and reapply.
            }
        }
    }

    /// <summary>Whether texts from <paramref name="ourNumber"/> to <paramref name="customerNumber"/> are refused.</summary>
    public async Task<bool> IsOptedOutAsync(string ourNumber, string customerNumber, CancellationToken cancellationToken = default)
    {
        var ours = Number(ourNumber, nameof(ourNumber));
        await foreach (var state in ListAsync(customerNumber, cancellationToken).ConfigureAwait(false))
        {
            if (state.OptedOut && (state.OurNumber is null || state.OurNumber == ours))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The stored state for one number of ours (or all, with null); null when nothing was ever recorded.</summary>
    public async Task<SmsOptOutState?> GetAsync(string customerNumber, string? ourNumber, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(TableNames.SmsOptOuts, Number(customerNumber, nameof(customerNumber)), Row(ourNumber), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : Read(entity);
    }

    /// <summary>Every recorded state of a customer: the all-numbers row first, then one per number of ours.</summary>
    public async IAsyncEnumerable<SmsOptOutState> ListAsync(string customerNumber, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in store.QueryPartitionAsync(TableNames.SmsOptOuts, Number(customerNumber, nameof(customerNumber)), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>
    /// Notes that the confirmation of the change made at <paramref name="changedAt"/> was sent, so a retried or repeated
    /// keyword does not send it again. Ignored when the state has changed since.
    /// </summary>
    public async Task MarkConfirmedAsync(string customerNumber, string? ourNumber, DateTimeOffset changedAt, CancellationToken cancellationToken = default)
    {
        var customer = Number(customerNumber, nameof(customerNumber));
        var row = Row(ourNumber);
        for (var attempt = 1; ; attempt++)
        {
            var entity = await store.GetAsync(TableNames.SmsOptOuts, customer, row, cancellationToken).ConfigureAwait(false);
            if (entity is null || Read(entity) is not { ConfirmedAt: null } state || !SameTime(state.ChangedAt, changedAt))
            {
                return;
            }
            try
            {
                await store.ReplaceAsync(TableNames.SmsOptOuts, Entity(customer, row, state.OptedOut, state.ChangedAt, state.Reason, timeProvider.GetUtcNow()),
                    entity.ETag!, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StateStoreException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async Task<SmsOptOutState> ChangeAsync(string customerNumber, string? ourNumber, bool optedOut, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        var customer = Number(customerNumber, nameof(customerNumber));
        var row = Row(ourNumber);
        for (var attempt = 1; ; attempt++)
        {
            var entity = await store.GetAsync(TableNames.SmsOptOuts, customer, row, cancellationToken).ConfigureAwait(false);
            var current = entity is null ? null : Read(entity);
            // Same state: keep its time (one confirmation per change). Older news: a newer change stands.
            if (current is not null && (current.OptedOut == optedOut || current.ChangedAt >= at))
            {
                return current;
            }
            var next = Entity(customer, row, optedOut, at, reason, null);
            try
            {
                if (entity is null)
                {
                    await store.InsertAsync(TableNames.SmsOptOuts, next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await store.ReplaceAsync(TableNames.SmsOptOuts, next, entity.ETag!, cancellationToken).ConfigureAwait(false);
                }
                return Read(next);
            }
            catch (StateStoreException) when (attempt < MaxAttempts)
            {
                // A concurrent change (the same event twice, a STOP and a START together): decide again on what is stored.
            }
        }
    }

    private static StateEntity Entity(string customer, string row, bool optedOut, DateTimeOffset at, string? reason, DateTimeOffset? confirmedAt) =>
        new(customer, row, new Dictionary<string, object?>
        {
            ["OptedOut"] = optedOut,
            ["ChangedAt"] = at,
            ["Reason"] = reason,
            ["ConfirmedAt"] = confirmedAt,
        });

    private static SmsOptOutState Read(StateEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey == AllNumbersRow ? null : entity.RowKey,
        entity.GetBoolean("OptedOut") ?? false,
        entity.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("Reason"),
        entity.GetDateTimeOffset("ConfirmedAt"));

    /// <summary>Equal to the millisecond: a store may keep times less precisely than the event carried them.</summary>
    internal static bool SameTime(DateTimeOffset a, DateTimeOffset b) => Math.Abs((a - b).Ticks) < TimeSpan.TicksPerMillisecond;

    private static string Row(string? ourNumber) => ourNumber is null ? AllNumbersRow : Number(ourNumber, nameof(ourNumber));

    /// <summary>E.164 without formatting when it is a phone number; a short code or sender id as given, trimmed.</summary>
    internal static string Number(string number, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number, parameterName);
        var key = PhoneNumbers.Normalize(number) ?? number.Trim();
        return key == AllNumbersRow || !StateKeys.IsValid(key, out _) || key.Length > 64
            ? throw new ArgumentException($"'{number}' is not a phone number, short code or sender id.", parameterName)
            : key;
    }
}
