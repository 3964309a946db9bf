using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Routing;

/// <summary>
/// One place in a queue. The channel is a copy from the contact (null on entries written before it was kept); when the
/// contact first queued is read back from the row key.
/// </summary>
internal sealed record QueueEntry(string ContactId, Channel? Channel, DateTimeOffset? EnqueuedAt = null);

/// <summary>A value read from the store with the ETag to write it back conditionally.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// Where the ACD keeps its state in any <see cref="IStateStore"/>: agents (one partition holding each agent's row and
/// the ready index beside it, so both change in one atomic batch), contacts (a partition each,
/// so writes to different contacts never contend) and queue entries (a partition per queue whose row keys sort in
/// service order, so the head of a queue is the first rows of its partition).
/// </summary>
internal sealed class AcdRepository(IStateStore store)
{
    private const string AgentPartition = "agent";
    private const string AgentRowPrefix = "agent|";
    private const string ContactRow = "contact";
    private const string DataProperty = "Data";
    private const string HandleTimePartition = "handle-time";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Versioned<AgentState>> _agentCache = new(StringComparer.Ordinal);

    public async Task<Versioned<AgentState>?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Agents, AgentPartition, AgentRowKey(agentId), cancellationToken);
        return entity is null ? null : Read(entity, CoreJsonContext.Default.AgentState);
    }

    /// <summary>Every agent, whatever their presence (staffing counts, the agent list).</summary>
    public Task<List<Versioned<AgentState>>> ListAgentsAsync(CancellationToken cancellationToken) =>
        ReadAgentRowsAsync(AgentRowPrefix, cancellationToken);

    /// <summary>
    /// Agents who can take more work on a channel (available, no pending offer, spare capacity there): the ready index,
    /// so a routing pass reads the few agents who could take a contact instead of every agent. Wrap-up ends with time,
    /// not with a write, so agents in wrap-up are listed and the decision filters them.
    /// </summary>
    public Task<List<Versioned<AgentState>>> ListReadyAgentsAsync(Channel channel, CancellationToken cancellationToken) =>
        ReadAgentRowsAsync(ReadyRowPrefix(channel), cancellationToken);

    /// <summary>A new agent, with their ready rows, in one atomic batch.</summary>
    public Task InsertAgentAsync(AgentState agent, CancellationToken cancellationToken) =>
        store.SubmitBatchAsync(TableNames.Agents, [StateOperation.Insert(AgentEntity(AgentRowKey(agent.Id), agent)), .. ReadyIndexChanges(null, agent)], cancellationToken);

    /// <summary>
    /// Replaces an agent read with <paramref name="etag"/> and brings the ready index along in the same atomic batch:
    /// the index rows exist exactly when the stored agent is ready on that channel, so they never drift.
    /// </summary>
    public Task ReplaceAgentAsync(AgentState previous, AgentState next, string etag, CancellationToken cancellationToken) =>
        store.SubmitBatchAsync(TableNames.Agents, [StateOperation.Replace(AgentEntity(AgentRowKey(next.Id), next), etag), .. ReadyIndexChanges(previous, next)], cancellationToken);

    /// <summary>
    /// Writes <paramref name="next"/> over an agent read from the ready index of <paramref name="channel"/>, in one batch
    /// and without reading the agent's row: the index row is rewritten or removed by every write of a ready agent, so
    /// its unchanged ETag proves the agent row is still the copy it holds. Throws
    /// <see cref="StatePreconditionFailedException"/> or <see cref="StateNotFoundException"/> when the agent changed.
    /// </summary>
    public Task ReplaceReadyAgentAsync(Versioned<AgentState> readyRow, Channel channel, AgentState next, CancellationToken cancellationToken) =>
        store.SubmitBatchAsync(TableNames.Agents,
            [StateOperation.Upsert(AgentEntity(AgentRowKey(next.Id), next)), .. ReadyIndexChanges(readyRow.Value, next, (channel, readyRow.ETag))], cancellationToken);

    public static bool IsReady(AgentState agent, Channel channel) =>
        agent.Presence == Presence.Available && agent.Offer is null && agent.ActiveOn(channel) < agent.CapacityFor(channel);

    /// <param name="guard">A ready row whose ETag the batch is conditional on, when the agent row itself is not.</param>
    private static IEnumerable<StateOperation> ReadyIndexChanges(AgentState? previous, AgentState next, (Channel Channel, string ETag)? guard = null)
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var ifMatch = guard is { } g && g.Channel == channel ? g.ETag : null;
            var row = new StateEntity(AgentPartition, ReadyRowKey(channel, next.Id));
            if (IsReady(next, channel))
            {
                // Rewritten on every change so the copy carries the idle clock and skills the decision uses.
                var upsert = AgentEntity(row.RowKey, next);
                yield return ifMatch is null ? StateOperation.Upsert(upsert) : StateOperation.Replace(upsert, ifMatch);
            }
            else if (previous is not null && IsReady(previous, channel))
            {
                yield return StateOperation.Delete(row, ifMatch);
            }
        }
    }

    private async Task<List<Versioned<AgentState>>> ReadAgentRowsAsync(string prefix, CancellationToken cancellationToken)
    {
        var agents = new List<Versioned<AgentState>>();
        await foreach (var entity in store.QueryPartitionAsync(TableNames.Agents, AgentPartition, prefix, PrefixEnd(prefix), cancellationToken))
        {
            // An ETag names one version exactly, so a row whose ETag is unchanged need not be deserialized again.
            if (_agentCache.TryGetValue(entity.RowKey, out var cached) && cached.ETag == entity.ETag)
            {
                agents.Add(cached);
                continue;
            }
            var agent = Read(entity, CoreJsonContext.Default.AgentState);
            _agentCache[entity.RowKey] = agent;
            agents.Add(agent);
        }
        return agents;
    }

    public async Task<Versioned<ContactState>?> GetContactAsync(string contactId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Contacts, ContactPartition(contactId), ContactRow, cancellationToken);
        return entity is null ? null : Read(entity, CoreJsonContext.Default.ContactState);
    }

    public Task<string> InsertContactAsync(ContactState contact, CancellationToken cancellationToken) =>
        store.InsertAsync(TableNames.Contacts, ContactEntity(contact), cancellationToken);

    public Task<string> ReplaceContactAsync(ContactState contact, string etag, CancellationToken cancellationToken) =>
        store.ReplaceAsync(TableNames.Contacts, ContactEntity(contact), etag, cancellationToken);

    /// <summary>A queue's rolling average handle time, or null before its first handled contact.</summary>
    public async Task<(TimeSpan Average, long Count)?> GetAverageHandleTimeAsync(string queueId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Operations, HandleTimePartition, StateKeys.ToSafeKey(queueId), cancellationToken);
        return entity?.Properties.GetValueOrDefault("AverageSeconds") is double seconds && entity.GetInt64("Count") is { } count
            ? (TimeSpan.FromSeconds(seconds), count)
            : null;
    }

    /// <summary>
    /// Folds one handle time into the queue's average: a plain mean for the first 50, then an exponential average that
    /// follows changes in the work. Concurrent completions merge through the ETag.
    /// </summary>
    public async Task RecordHandleTimeAsync(string queueId, TimeSpan handled, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await store.GetAsync(TableNames.Operations, HandleTimePartition, StateKeys.ToSafeKey(queueId), cancellationToken);
            var count = (current?.GetInt64("Count") ?? 0) + 1;
            var previous = current?.Properties.GetValueOrDefault("AverageSeconds") as double? ?? 0;
            var average = previous + (handled.TotalSeconds - previous) / Math.Min(count, 50);
            var entity = new StateEntity(HandleTimePartition, StateKeys.ToSafeKey(queueId), new Dictionary<string, object?> { ["AverageSeconds"] = average, ["Count"] = count });
            try
            {
                await store.WriteOverAsync(TableNames.Operations, entity, current, cancellationToken);
                return;
            }
            catch (StateStoreException ex) when (ex is StatePreconditionFailedException or StateConflictException)
            {
            }
        }
    }

    /// <summary>Puts a contact in line; idempotent, since the key depends only on the contact.</summary>
    public async Task AddQueueEntryAsync(ContactState contact, CancellationToken cancellationToken)
    {
        try
        {
            await store.InsertAsync(TableNames.QueueEntries, new StateEntity(QueuePartition(contact.QueueId), QueueRowKey(contact),
                new Dictionary<string, object?> { ["ContactId"] = contact.Id, ["Channel"] = contact.Channel.ToString() }), cancellationToken);
        }
        catch (StateConflictException)
        {
        }
    }

    public Task RemoveQueueEntryAsync(ContactState contact, CancellationToken cancellationToken) =>
        store.DeleteAsync(TableNames.QueueEntries, QueuePartition(contact.QueueId), QueueRowKey(contact), cancellationToken: cancellationToken);

    /// <summary>The contacts waiting in a queue, head first, with their channel so a router can skip channels nobody is ready on.</summary>
    public async IAsyncEnumerable<QueueEntry> QueueAsync(string queueId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in store.QueryPartitionAsync(TableNames.QueueEntries, QueuePartition(queueId), cancellationToken: cancellationToken))
        {
            if (entity.GetString("ContactId") is { } contactId)
            {
                yield return new QueueEntry(contactId, Enum.TryParse<Channel>(entity.GetString("Channel"), out var channel) ? channel : null, EnqueuedAtOf(entity.RowKey));
            }
        }
    }

    /// <summary>
    /// Row keys sort in service order: inverted priority (higher first), then arrival time, then the id for uniqueness.
    /// Priorities are clamped to 0-9999 for the key; the decision itself uses the exact value.
    /// </summary>
    internal static string QueueRowKey(ContactState contact) => string.Create(CultureInfo.InvariantCulture,
        $"{9999 - Math.Clamp(contact.Priority, 0, 9999):D4}|{contact.EnqueuedAt.UtcTicks:D19}|{StateKeys.ToSafeKey(contact.Id)}");

    /// <summary>The arrival time in a <see cref="QueueRowKey"/> ("pppp|ticks|id").</summary>
    private static DateTimeOffset? EnqueuedAtOf(string rowKey)
    {
        var parts = rowKey.Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
    }

    private static string QueuePartition(string queueId) => StateKeys.ToSafeKey(queueId);

    private static string ContactPartition(string contactId) => StateKeys.ToSafeKey(contactId);

    private static string AgentRowKey(string agentId) => AgentRowPrefix + StateKeys.ToSafeKey(agentId);

    private static string ReadyRowPrefix(Channel channel) => $"ready|{channel.ToString().ToLowerInvariant()}|";

    private static string ReadyRowKey(Channel channel, string agentId) => ReadyRowPrefix(channel) + StateKeys.ToSafeKey(agentId);

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    private static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static StateEntity AgentEntity(string rowKey, AgentState agent) => new(AgentPartition, rowKey, new Dictionary<string, object?>
    {
        [DataProperty] = JsonSerializer.Serialize(agent, CoreJsonContext.Default.AgentState),
        ["Presence"] = agent.Presence.ToString(),
    });

    private static StateEntity ContactEntity(ContactState contact) => new(ContactPartition(contact.Id), ContactRow, new Dictionary<string, object?>
    {
        [DataProperty] = JsonSerializer.Serialize(contact, CoreJsonContext.Default.ContactState),
        ["Status"] = contact.Status.ToString(),
        ["QueueId"] = contact.QueueId,
    });

    private static Versioned<T> Read<T>(StateEntity entity, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Deserialize(entity.GetString(DataProperty) ?? throw Corrupt(entity), type) ?? throw Corrupt(entity), entity.ETag!);

    private static InvalidOperationException Corrupt(StateEntity entity) =>
        new($"Stored entity {entity.PartitionKey}/{entity.RowKey} has no readable {DataProperty}.");
}
