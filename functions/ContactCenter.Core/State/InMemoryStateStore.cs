using System.Runtime.CompilerServices;

namespace ContactCenter.Core.State;

/// <summary>
/// The embedded store of local mode and of simulations: Table Storage semantics (ETags, 409/412/404, atomic
/// single-partition batches, row-key ordered partitions) held in process memory.
/// </summary>
public sealed class InMemoryStateStore(TimeProvider timeProvider) : IStateStore
{
    private readonly Lock _gate = new();
    private const int PageSize = 1000;
    private readonly Dictionary<string, Dictionary<string, PartitionRows>> _tables = new(StringComparer.Ordinal);
    private long _version;

    public InMemoryStateStore() : this(TimeProvider.System)
    {
    }

    public string Kind => "in-memory";

    public Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        StateKeys.EnsureValidTableName(table);
        lock (_gate)
        {
            return Task.FromResult(Partition(table, partitionKey, create: false)?.GetValueOrDefault(rowKey));
        }
    }

    public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default) =>
        Single(table, StateOperation.Insert(entity));

    public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatchETag);
        return Single(table, StateOperation.Replace(entity, ifMatchETag));
    }

    public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default) =>
        Single(table, StateOperation.Upsert(entity));

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
    {
        StateKeys.EnsureValidTableName(table);
        lock (_gate)
        {
            var partition = Partition(table, partitionKey, create: false);
            if (partition is null || !partition.TryGetValue(rowKey, out var current))
            {
                return Task.FromResult(false);
            }
            CheckETag(table, current, ifMatchETag);
            partition.Remove(rowKey);
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null,
        string? toRowKeyExclusive = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StateKeys.EnsureValidTableName(table);
        // Pages, like Table Storage: a caller that stops early (the head of a long queue) never pays for the rest.
        string? after = null;
        var first = true;
        while (true)
        {
            List<StateEntity> page;
            lock (_gate)
            {
                var partition = Partition(table, partitionKey, create: false);
                if (partition is null)
                {
                    yield break;
                }
                page = partition.KeysFrom(after ?? fromRowKey)
                    .Where(key => first ? true : string.CompareOrdinal(key, after) > 0)
                    .TakeWhile(key => toRowKeyExclusive is null || string.CompareOrdinal(key, toRowKeyExclusive) < 0)
                    .Take(PageSize)
                    .Select(key => partition.Entities[key])
                    .ToList();
            }
            foreach (var entity in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return entity;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            after = page[^1].RowKey;
            first = false;
            await Task.Yield();
        }
    }

    public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
    {
        StateKeys.EnsureValidTableName(table);
        StateOperation.ValidateBatch(operations);
        lock (_gate)
        {
            // Check every precondition first so a failing batch leaves nothing behind.
            var partition = Partition(table, operations[0].Entity.PartitionKey, create: true)!;
            for (var i = 0; i < operations.Count; i++)
            {
                try
                {
                    Precheck(table, partition, operations[i]);
                }
                catch (StateStoreException ex)
                {
                    throw ex.AtOperation(i);
                }
            }
            foreach (var operation in operations)
            {
                Apply(partition, operation);
            }
        }
        return Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private Task<string> Single(string table, StateOperation operation)
    {
        StateKeys.EnsureValidTableName(table);
        lock (_gate)
        {
            var partition = Partition(table, operation.Entity.PartitionKey, create: true)!;
            Precheck(table, partition, operation);
            return Task.FromResult(Apply(partition, operation)!);
        }
    }

    private static void Precheck(string table, PartitionRows partition, StateOperation operation)
    {
        var entity = operation.Entity;
        partition.TryGetValue(entity.RowKey, out var current);
        switch (operation.Kind)
        {
            case StateOperationKind.Insert when current is not null:
                throw new StateConflictException($"{table}/{entity.PartitionKey}/{entity.RowKey} already exists.");
            case StateOperationKind.Replace or StateOperationKind.Delete when current is null:
                throw new StateNotFoundException($"{table}/{entity.PartitionKey}/{entity.RowKey} does not exist.");
            case StateOperationKind.Replace or StateOperationKind.Delete when current is not null:
                CheckETag(table, current, operation.IfMatchETag);
                break;
        }
    }

    private string? Apply(PartitionRows partition, StateOperation operation)
    {
        if (operation.Kind == StateOperationKind.Delete)
        {
            partition.Remove(operation.Entity.RowKey);
            return null;
        }
        var etag = $"W/\"{++_version}\"";
        partition[operation.Entity.RowKey] = operation.Entity with { ETag = etag, Timestamp = timeProvider.GetUtcNow() };
        return etag;
    }

    private static void CheckETag(string table, StateEntity current, string? ifMatchETag)
    {
        if (ifMatchETag is not null && ifMatchETag != "*" && !string.Equals(current.ETag, ifMatchETag, StringComparison.Ordinal))
        {
            throw new StatePreconditionFailedException(
                $"{table}/{current.PartitionKey}/{current.RowKey} changed since it was read (ETag {ifMatchETag} is stale).");
        }
    }

    private PartitionRows? Partition(string table, string partitionKey, bool create)
    {
        if (!_tables.TryGetValue(table, out var partitions))
        {
            if (!create)
            {
                return null;
            }
            _tables[table] = partitions = new(StringComparer.Ordinal);
        }
        if (!partitions.TryGetValue(partitionKey, out var partition) && create)
        {
            partitions[partitionKey] = partition = new PartitionRows();
        }
        return partition;
    }

    /// <summary>One partition: row keys kept sorted (a page can start at any key in O(log n)) and the entities by key.</summary>
    private sealed class PartitionRows
    {
        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, StateEntity> Entities { get; } = new(StringComparer.Ordinal);

        public bool TryGetValue(string rowKey, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out StateEntity entity) =>
            Entities.TryGetValue(rowKey, out entity);

        public StateEntity? GetValueOrDefault(string rowKey) => Entities.GetValueOrDefault(rowKey);

        public StateEntity this[string rowKey]
        {
            set
            {
                Entities[rowKey] = value;
                Keys.Add(rowKey);
            }
        }

        public void Remove(string rowKey)
        {
            Entities.Remove(rowKey);
            Keys.Remove(rowKey);
        }

        /// <summary>Row keys in order from <paramref name="lower"/> (inclusive), or from the start.</summary>
        public IEnumerable<string> KeysFrom(string? lower) =>
            lower is null ? Keys
            : Keys.Count == 0 || string.CompareOrdinal(lower, Keys.Max) > 0 ? []
            : Keys.GetViewBetween(lower, Keys.Max!);
    }
}
