using System.Text.Json;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Conversations;

public sealed record Stored<T>(T Value, string ETag);

/// <summary>
/// Customers, their identities, cases and timelines in Table Storage.
/// Customers: partition = customer id (row "customer"); identity index: partition "identity", row = identity.
/// Conversations: partition = conversation id. Timeline: partition = customer id, rows in time order; a reference row
/// per provider message id (partition "ref|{id}") finds an entry when its delivery report comes, and doubles as the
/// guard that makes recording the same message twice a no-op.
/// </summary>
public sealed class ConversationRepository(IStateStore store, Workspace.ITimelineListener? timelineListener = null)
{
    private const string CustomerRow = "customer";
    private const string IdentityPartition = "identity";
    private const string ConversationRow = "conversation";
    private const string RefRow = "ref";

    public async Task<Stored<CustomerRecord>?> GetCustomerAsync(string customerId, CancellationToken ct) =>
        await GetAsync(TableNames.Customers, StateKeys.ToSafeKey(customerId), CustomerRow, Events.CoreJsonContext.Default.CustomerRecord, ct);

    public async Task<string?> FindCustomerIdAsync(CustomerIdentity identity, CancellationToken ct) =>
        (await store.GetAsync(TableNames.Customers, IdentityPartition, StateKeys.ToSafeKey(identity.ToString()), ct))?.GetString("CustomerId");

    /// <summary>Claims an identity for a customer; returns the owner (this customer, or the one that had it already).</summary>
    public async Task<string> ClaimIdentityAsync(CustomerIdentity identity, string customerId, CancellationToken ct)
    {
        try
        {
            await store.InsertAsync(TableNames.Customers, new StateEntity(IdentityPartition, StateKeys.ToSafeKey(identity.ToString()),
                new Dictionary<string, object?> { ["CustomerId"] = customerId, ["Identity"] = identity.ToString() }), ct);
            return customerId;
        }
        catch (StateConflictException)
        {
            return await FindCustomerIdAsync(identity, ct) ?? customerId;
        }
    }

    /// <summary>
    /// Points an identity at <paramref name="toCustomerId"/> when it names <paramref name="fromCustomerId"/> (or nobody);
    /// returns its owner afterwards, which is someone else when a third customer holds it.
    /// </summary>
    public async Task<string> RepointIdentityAsync(CustomerIdentity identity, string fromCustomerId, string toCustomerId, CancellationToken ct)
    {
        var row = StateKeys.ToSafeKey(identity.ToString());
        var repointed = new StateEntity(IdentityPartition, row, new Dictionary<string, object?> { ["CustomerId"] = toCustomerId, ["Identity"] = identity.ToString() });
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetAsync(TableNames.Customers, IdentityPartition, row, ct);
            var owner = current?.GetString("CustomerId");
            if (owner is not null && owner != fromCustomerId)
            {
                return owner;
            }
            try
            {
                await store.WriteOverAsync(TableNames.Customers, repointed, current, ct);
                return toCustomerId;
            }
            catch (StateStoreException) when (attempt < 5)
            {
                // Claimed or changed meanwhile: read it again.
            }
        }
    }

    public Task<string> InsertCustomerAsync(CustomerRecord customer, CancellationToken ct) =>
        store.InsertAsync(TableNames.Customers, Entity(StateKeys.ToSafeKey(customer.Id), CustomerRow, customer, Events.CoreJsonContext.Default.CustomerRecord), ct);

    public Task<string> ReplaceCustomerAsync(CustomerRecord customer, string etag, CancellationToken ct) =>
        store.ReplaceAsync(TableNames.Customers, Entity(StateKeys.ToSafeKey(customer.Id), CustomerRow, customer, Events.CoreJsonContext.Default.CustomerRecord), etag, ct);

    public async Task<Stored<ConversationRecord>?> GetConversationAsync(string conversationId, CancellationToken ct) =>
        await GetAsync(TableNames.Conversations, StateKeys.ToSafeKey(conversationId), ConversationRow, Events.CoreJsonContext.Default.ConversationRecord, ct);

    public Task<string> InsertConversationAsync(ConversationRecord conversation, CancellationToken ct) =>
        store.InsertAsync(TableNames.Conversations, Entity(StateKeys.ToSafeKey(conversation.Id), ConversationRow, conversation, Events.CoreJsonContext.Default.ConversationRecord), ct);

    public Task<string> ReplaceConversationAsync(ConversationRecord conversation, string etag, CancellationToken ct) =>
        store.ReplaceAsync(TableNames.Conversations, Entity(StateKeys.ToSafeKey(conversation.Id), ConversationRow, conversation, Events.CoreJsonContext.Default.ConversationRecord), etag, ct);

    /// <summary>Adds an entry once: false when an entry with the same id was recorded before (a redelivered message).</summary>
    public async Task<bool> AddEntryAsync(TimelineEntry entry, CancellationToken ct)
    {
        var row = RowOf(entry);
        try
        {
            // The reference row first: it is the idempotency guard, and a crash after it leaves a reference the retry repairs.
            await store.InsertAsync(TableNames.Timeline, new StateEntity(RefPartition(entry.Id), RefRow,
                new Dictionary<string, object?> { ["CustomerId"] = entry.CustomerId, ["Row"] = row }), ct);
        }
        catch (StateConflictException)
        {
            // A redelivery carries a later time, so its row differs: the reference names the row first written.
            row = (await store.GetAsync(TableNames.Timeline, RefPartition(entry.Id), RefRow, ct))?.GetString("Row") ?? row;
            var existing = await store.GetAsync(TableNames.Timeline, StateKeys.ToSafeKey(entry.CustomerId), row, ct);
            if (existing is not null)
            {
                return false;
            }
        }
        await store.UpsertAsync(TableNames.Timeline, Entity(StateKeys.ToSafeKey(entry.CustomerId), row, entry, Events.CoreJsonContext.Default.TimelineEntry), ct);
        await NotifyAsync(entry, ct);
        return true;
    }

    /// <summary>Every new or changed entry passes here: the one place the workspace learns of timeline changes.</summary>
    private Task NotifyAsync(TimelineEntry entry, CancellationToken ct) =>
        timelineListener?.EntryRecordedAsync(entry, ct) ?? Task.CompletedTask;

    /// <summary>Also finds the entry by the provider's message id (sent texts and emails get theirs after they are recorded).</summary>
    public Task LinkProviderIdAsync(TimelineEntry entry, string providerMessageId, CancellationToken ct) =>
        store.UpsertAsync(TableNames.Timeline, new StateEntity(RefPartition(providerMessageId), RefRow,
            new Dictionary<string, object?> { ["CustomerId"] = entry.CustomerId, ["Row"] = RowOf(entry) }), ct);

    public async Task<Stored<TimelineEntry>?> FindEntryAsync(string entryOrProviderId, CancellationToken ct)
    {
        var reference = await store.GetAsync(TableNames.Timeline, RefPartition(entryOrProviderId), RefRow, ct);
        return reference?.GetString("CustomerId") is { } customerId && reference.GetString("Row") is { } row
            ? await GetAsync(TableNames.Timeline, StateKeys.ToSafeKey(customerId), row, Events.CoreJsonContext.Default.TimelineEntry, ct)
            : null;
    }

    public async Task ReplaceEntryAsync(TimelineEntry entry, string etag, CancellationToken ct)
    {
        await store.ReplaceAsync(TableNames.Timeline, Entity(StateKeys.ToSafeKey(entry.CustomerId), RowOf(entry), entry, Events.CoreJsonContext.Default.TimelineEntry), etag, ct);
        await NotifyAsync(entry, ct);
    }

    /// <summary>The conversations a customer's timeline mentions.</summary>
    public async Task<IReadOnlySet<string>> ConversationIdsOnTimelineAsync(string customerId, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entity in store.QueryPartitionAsync(TableNames.Timeline, StateKeys.ToSafeKey(customerId), cancellationToken: ct))
        {
            if (JsonSerializer.Deserialize(entity.GetString("Json")!, Events.CoreJsonContext.Default.TimelineEntry)!.ConversationId is { } id)
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    /// <summary>
    /// Moves every entry of one customer's timeline to another's (a merge), keeping row keys so the entries fall into
    /// time order among the survivor's. Per chunk of up to 100: copy into the survivor's partition (one batch), point the
    /// entries' references there, then delete the originals (one batch, ETag-checked). Every step can be repeated, so a
    /// run that stops half-way is finished by running it again; a delivery report that changed an original meanwhile
    /// fails the delete and the chunk is copied again. Returns how many entries were moved.
    /// </summary>
    public async Task<int> MoveTimelineAsync(string fromCustomerId, string toCustomerId, CancellationToken ct)
    {
        var fromPartition = StateKeys.ToSafeKey(fromCustomerId);
        var toPartition = StateKeys.ToSafeKey(toCustomerId);
        var moved = 0;
        for (var round = 0; ; round++)
        {
            var chunk = new List<StateEntity>();
            await foreach (var entity in store.QueryPartitionAsync(TableNames.Timeline, fromPartition, cancellationToken: ct))
            {
                chunk.Add(entity);
                if (chunk.Count == StateOperation.MaxBatchSize)
                {
                    break;
                }
            }
            if (chunk.Count == 0)
            {
                return moved;
            }
            var entries = chunk.Select(e => JsonSerializer.Deserialize(e.GetString("Json")!, Events.CoreJsonContext.Default.TimelineEntry)! with { CustomerId = toCustomerId }).ToList();
            await store.SubmitBatchAsync(TableNames.Timeline,
                chunk.Zip(entries, (original, entry) => StateOperation.Upsert(Entity(toPartition, original.RowKey, entry, Events.CoreJsonContext.Default.TimelineEntry))).ToList(), ct);
            foreach (var entry in entries)
            {
                foreach (var id in new[] { entry.Id, entry.ProviderMessageId }.OfType<string>().Distinct(StringComparer.Ordinal))
                {
                    await RepointReferenceAsync(id, fromCustomerId, toCustomerId, ct);
                }
            }
            try
            {
                await store.SubmitBatchAsync(TableNames.Timeline, chunk.Select(e => StateOperation.Delete(e, e.ETag)).ToList(), ct);
                moved += chunk.Count;
            }
            catch (StateStoreException) when (round < 100)
            {
                // An original changed (a delivery report) or went (a concurrent run of the same merge): read the chunk again.
            }
        }
    }

    private async Task RepointReferenceAsync(string id, string fromCustomerId, string toCustomerId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reference = await store.GetAsync(TableNames.Timeline, RefPartition(id), RefRow, ct);
            if (reference is null || reference.GetString("CustomerId") != fromCustomerId)
            {
                return;
            }
            try
            {
                await store.ReplaceAsync(TableNames.Timeline, new StateEntity(reference.PartitionKey, RefRow,
                    new Dictionary<string, object?> { ["CustomerId"] = toCustomerId, ["Row"] = reference.GetString("Row") }), reference.ETag!, ct);
                return;
            }
            catch (StateStoreException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>The customer's timeline, newest first.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string customerId, int limit, CancellationToken ct)
    {
        var entries = new List<TimelineEntry>();
        await foreach (var entity in store.QueryPartitionAsync(TableNames.Timeline, StateKeys.ToSafeKey(customerId), cancellationToken: ct))
        {
            entries.Add(JsonSerializer.Deserialize(entity.GetString("Json")!, Events.CoreJsonContext.Default.TimelineEntry)!);
        }
        // Same instant: what we sent answers what we received, so it is the newer of the two.
        return entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Direction).ThenByDescending(e => e.Id, StringComparer.Ordinal).Take(limit).ToList();
    }

    private static string RowOf(TimelineEntry entry) => $"{entry.At.UtcTicks:D19}|{StateKeys.ToSafeKey(entry.Id)}";

    private static string RefPartition(string id) => "ref|" + StateKeys.ToSafeKey(id);

    private async Task<Stored<T>?> GetAsync<T>(string table, string partition, string row, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        var entity = await store.GetAsync(table, partition, row, ct);
        return entity?.GetString("Json") is { } json ? new Stored<T>(JsonSerializer.Deserialize(json, type)!, entity.ETag!) : null;
    }

    private static StateEntity Entity<T>(string partition, string row, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        new(partition, row, new Dictionary<string, object?> { ["Json"] = JsonSerializer.Serialize(value, type) });
}
