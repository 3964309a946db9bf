using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Routing;

/// <summary>A value read from the store with the ETag to write it back conditionally.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// Where the ACD keeps its state in any <see cref="IStateStore"/>: agents (one partition), contacts (a partition each,
/// so writes to different contacts never contend) and queue entries (a partition per queue whose row keys sort in
/// service order, so the head of a queue is the first rows of its partition).
/// </summary>
internal sealed class AcdRepository(IStateStore store)
{
    private const string AgentPartition = "agent";
    private const string ContactRow = "contact";
    private const string DataProperty = "Data";
    private const string HandleTimePartition = "handle-time";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Versioned<AgentState>> _agentCache = new(StringComparer.Ordinal);

    public async Task<Versioned<AgentState>?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Agents, AgentPartition, agentId, cancellationToken);
        return entity is null ? null : Read(entity, CoreJsonContext.Default.AgentState);
    }

    public async Task<List<Versioned<AgentState>>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var agents = new List<Versioned<AgentState>>();
        await foreach (var entity in store.QueryPartitionAsync(TableNames.Agents, AgentPartition, cancellationToken: cancellationToken))
        {
            // An ETag names one version exactly, so an agent whose ETag is unchanged need not be deserialized again.
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

    public Task<string> InsertAgentAsync(AgentState agent, CancellationToken cancellationToken) =>
        store.InsertAsync(TableNames.Agents, AgentEntity(agent), cancellationToken);

    public Task<string> ReplaceAgentAsync(AgentState agent, string etag, CancellationToken cancellationToken) =>
        store.ReplaceAsync(TableNames.Agents, AgentEntity(agent), etag, cancellationToken);

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
                if (current is null)
                {
                    await store.InsertAsync(TableNames.Operations, entity, cancellationToken);
                }
                else
                {
                    await store.ReplaceAsync(TableNames.Operations, entity, current.ETag!, cancellationToken);
                }
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
                new Dictionary<string, object?> { ["ContactId"] = contact.Id }), cancellationToken);
        }
        catch (StateConflictException)
        {
        }
    }

    public Task RemoveQueueEntryAsync(ContactState contact, CancellationToken cancellationToken) =>
        store.DeleteAsync(TableNames.QueueEntries, QueuePartition(contact.QueueId), QueueRowKey(contact), cancellationToken: cancellationToken);

    /// <summary>Contact ids waiting in a queue, head first.</summary>
    public async IAsyncEnumerable<string> QueueAsync(string queueId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in store.QueryPartitionAsync(TableNames.QueueEntries, QueuePartition(queueId), cancellationToken: cancellationToken))
        {
            if (entity.GetString("ContactId") is { } contactId)
            {
                yield return contactId;
            }
        }
    }

    /// <summary>
    /// Row keys sort in service order: inverted priority (higher first), then arrival time, then the id for uniqueness.
    /// Priorities are clamped to 0-9999 for the key; the decision itself uses the exact value.
    /// </summary>
    internal static string QueueRowKey(ContactState contact) => string.Create(CultureInfo.InvariantCulture,
        $"{9999 - Math.Clamp(contact.Priority, 0, 9999):D4}|{contact.EnqueuedAt.UtcTicks:D19}|{StateKeys.ToSafeKey(contact.Id)}");

    private static string QueuePartition(string queueId) => StateKeys.ToSafeKey(queueId);

    private static string ContactPartition(string contactId) => StateKeys.ToSafeKey(contactId);

    private static StateEntity AgentEntity(AgentState agent) => new(AgentPartition, StateKeys.ToSafeKey(agent.Id), new Dictionary<string, object?>
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
