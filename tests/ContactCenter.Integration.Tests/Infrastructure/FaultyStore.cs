using ContactCenter.Core.State;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// The real in-memory store behind a switch that fails calls the way an unreachable storage account does: every
/// call (<see cref="Unreachable"/>) or only the first few reads (<see cref="FailingFirstReads"/>).
/// </summary>
public sealed class FaultyStore(IStateStore inner, Func<string, bool> shouldFail, string failure) : IStateStore
{
    public static FaultyStore Unreachable(string failure = "storage account is down") =>
        new(new InMemoryStateStore(), _ => true, failure);

    public static FaultyStore FailingFirstReads(int reads)
    {
        var left = reads;
        return new(new InMemoryStateStore(), operation => operation == nameof(GetAsync) && Interlocked.Decrement(ref left) >= 0, "transient");
    }

    public string Kind => inner.Kind;

    private void Check(string operation)
    {
        if (shouldFail(operation))
        {
            throw new HttpRequestException(failure);
        }
    }

    public Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        Check(nameof(GetAsync));
        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Check(nameof(InsertAsync));
        return inner.InsertAsync(table, entity, cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        Check(nameof(ReplaceAsync));
        return inner.ReplaceAsync(table, entity, ifMatchETag, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Check(nameof(UpsertAsync));
        return inner.UpsertAsync(table, entity, cancellationToken);
    }

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
    {
        Check(nameof(DeleteAsync));
        return inner.DeleteAsync(table, partitionKey, rowKey, ifMatchETag, cancellationToken);
    }

    public IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null, CancellationToken cancellationToken = default)
    {
        Check(nameof(QueryPartitionAsync));
        return inner.QueryPartitionAsync(table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken);
    }

    public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
    {
        Check(nameof(SubmitBatchAsync));
        return inner.SubmitBatchAsync(table, operations, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        Check(nameof(PingAsync));
        return inner.PingAsync(cancellationToken);
    }
}
