namespace ContactCenter.Core.State;

/// <summary>
/// The one storage contract of the contact center: partitioned entities with optimistic concurrency and
/// atomic batches inside one partition. Azure Table Storage and the embedded in-process store implement it
/// with the same semantics, proven by one contract test suite.
/// </summary>
public interface IStateStore
{
    /// <summary>A short name for health output and logs ("in-memory", "table-storage").</summary>
    string Kind { get; }

    Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Adds a new entity; throws <see cref="StateConflictException"/> when the key exists.</summary>
    /// <returns>The new ETag.</returns>
    Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an entity only if its ETag still matches; throws <see cref="StatePreconditionFailedException"/>
    /// when someone else changed it and <see cref="StateNotFoundException"/> when it is gone.
    /// </summary>
    Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces unconditionally (last writer wins).</summary>
    Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes if present, and only if the ETag matches when one is given (else <see cref="StatePreconditionFailedException"/>).
    /// Returns false when nothing was there. Inside a batch, deleting a missing entity fails the batch, as on Table Storage.
    /// </summary>
    Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default);

    /// <summary>Entities of one partition in row-key order, optionally limited to [fromRowKey, toRowKey).</summary>
    IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null, CancellationToken cancellationToken = default);

    /// <summary>All-or-nothing batch in one partition (at most 100 operations, one per row key).</summary>
    Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default);

    /// <summary>Cheap round trip for health checks.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}

public enum StateOperationKind
{
    Insert,
    Replace,
    Upsert,
    Delete,
}

/// <summary>One step of an atomic batch. Replace and Delete may carry an ETag precondition.</summary>
public sealed record StateOperation(StateOperationKind Kind, StateEntity Entity, string? IfMatchETag = null)
{
    public static StateOperation Insert(StateEntity entity) => new(StateOperationKind.Insert, entity);
    public static StateOperation Replace(StateEntity entity, string ifMatchETag) => new(StateOperationKind.Replace, entity, ifMatchETag);
    public static StateOperation Upsert(StateEntity entity) => new(StateOperationKind.Upsert, entity);
    public static StateOperation Delete(StateEntity entity, string? ifMatchETag = null) => new(StateOperationKind.Delete, entity, ifMatchETag);

    public const int MaxBatchSize = 100;

    public static void ValidateBatch(IReadOnlyList<StateOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count is 0 or > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxBatchSize} operations, not {operations.Count}.", nameof(operations));
        }
        var partition = operations[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (!string.Equals(operation.Entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException("Every operation of a batch must target the same partition.", nameof(operations));
            }
            if (!rows.Add(operation.Entity.RowKey))
            {
                throw new ArgumentException($"Row key '{operation.Entity.RowKey}' appears twice in one batch.", nameof(operations));
            }
        }
    }
}

/// <summary>Optimistic writes shared by every read → change → write loop.</summary>
public static class StateStoreWrites
{
    /// <summary>
    /// Writes <paramref name="entity"/> over what was read: inserted when <paramref name="current"/> is null (409 if
    /// another writer inserted first), else replaced on the ETag read (412 if it changed meanwhile). The caller reads
    /// again and retries on either.
    /// </summary>
    public static Task<string> WriteOverAsync(this IStateStore store, string table, StateEntity entity, StateEntity? current,
        CancellationToken cancellationToken = default) =>
        current is null
            ? store.InsertAsync(table, entity, cancellationToken)
            : store.ReplaceAsync(table, entity, current.ETag!, cancellationToken);
}
