using ContactCenter.Core.State;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// A real store seen through a test's lens: calls can fail the way an unreachable storage account does (every call,
/// or only the first few reads), and table names can be given a per-run prefix so runs never share rows.
/// </summary>
public sealed class InterceptingStore(IStateStore inner, Func<string, bool> shouldFail, string failure, string tablePrefix = "") : IStateStore
{
    public static InterceptingStore Unreachable(string failure = "storage account is down") =>
        new(new InMemoryStateStore(), _ => true, failure);

    public static InterceptingStore FailingFirstReads(int reads)
    {
        var left = reads;
        return new(new InMemoryStateStore(), operation => operation == nameof(GetAsync) && Interlocked.Decrement(ref left) >= 0, "transient");
    }

    /// <summary>Tables of this run only: "r" + a random id + the table's own name.</summary>
    public static InterceptingStore Isolated(IStateStore inner) =>
        new(inner, _ => false, "", "r" + Guid.NewGuid().ToString("N")[..12]);

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
        return inner.GetAsync(tablePrefix + table, partitionKey, rowKey, cancellationToken);
    }

    public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Check(nameof(InsertAsync));
        return inner.InsertAsync(tablePrefix + table, entity, cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        Check(nameof(ReplaceAsync));
        return inner.ReplaceAsync(tablePrefix + table, entity, ifMatchETag, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Check(nameof(UpsertAsync));
        return inner.UpsertAsync(tablePrefix + table, entity, cancellationToken);
    }

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
    {
        Check(nameof(DeleteAsync));
        return inner.DeleteAsync(tablePrefix + table, partitionKey, rowKey, ifMatchETag, cancellationToken);
    }

    public IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null, CancellationToken cancellationToken = default)
    {
        Check(nameof(QueryPartitionAsync));
        return inner.QueryPartitionAsync(tablePrefix + table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken);
    }

    public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
    {
        Check(nameof(SubmitBatchAsync));
        return inner.SubmitBatchAsync(tablePrefix + table, operations, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        Check(nameof(PingAsync));
        return inner.PingAsync(cancellationToken);
    }
}
