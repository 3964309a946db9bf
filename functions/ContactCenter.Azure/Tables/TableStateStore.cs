using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ContactCenter.Core.State;

namespace ContactCenter.Azure.Tables;

/// <summary>
/// <see cref="IStateStore"/> on Azure Table Storage (or Azurite). Maps the service's 409/412/404 to the
/// contract's exceptions and creates each table once, on first use.
/// </summary>
/// <remarks>
/// Native AOT: Azure.Data.Tables materialises entities with Activator.CreateInstance&lt;T&gt;, which the trimmer cannot
/// see, so the constructor of <see cref="TableEntity"/> (the only entity type used here) is kept explicitly — and only
/// the constructor: queries bind every reflection-visible property of the entity type through generic instantiations
/// made at run time, which Native AOT has no code for when the property is a value type (Timestamp, ETag). Keeping
/// those properties visible breaks every query under AOT; entities are read through their dictionary instead. The
/// Native AOT end-to-end test runs the published binary against Azurite over the paths the functions use, queries
/// included.
/// </remarks>
public sealed class TableStateStore : IStateStore
{
    private readonly TableServiceClient serviceClient;

    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(TableEntity))]
    public TableStateStore(TableServiceClient serviceClient)
    {
        this.serviceClient = serviceClient;
    }

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public string Kind => "table-storage";

    public async Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? FromTable(response.Value!) : null;
    }

    public async Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var response = await Translate(table, entity, () => client.AddEntityAsync(ToTable(entity), cancellationToken));
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage returned no ETag.");
    }

    public async Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatchETag);
        var client = await TableAsync(table, cancellationToken);
        var response = await Translate(table, entity,
            () => client.UpdateEntityAsync(ToTable(entity), new ETag(ifMatchETag), TableUpdateMode.Replace, cancellationToken));
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage returned no ETag.");
    }

    public async Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var response = await client.UpsertEntityAsync(ToTable(entity), TableUpdateMode.Replace, cancellationToken);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage returned no ETag.");
    }

    public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var probe = new StateEntity(partitionKey, rowKey);
        var response = await Translate(table, probe,
            () => client.DeleteEntityAsync(partitionKey, rowKey, ifMatchETag is null ? ETag.All : new ETag(ifMatchETag), cancellationToken));
        return response.Status != 404;
    }

    public async IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null,
        string? toRowKeyExclusive = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        if (fromRowKey is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {fromRowKey}");
        }
        if (toRowKeyExclusive is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {toRowKeyExclusive}");
        }
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromTable(entity);
        }
    }

    public async Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
    {
        StateKeys.EnsureValidTableName(table);
        StateOperation.ValidateBatch(operations);
        var client = await TableAsync(table, cancellationToken);
        var actions = operations.Select(op => op.Kind switch
        {
            StateOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToTable(op.Entity)),
            StateOperationKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToTable(op.Entity), ToETag(op.IfMatchETag)),
            StateOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToTable(op.Entity)),
            StateOperationKind.Delete => new TableTransactionAction(TableTransactionActionType.Delete, ToTable(op.Entity), ToETag(op.IfMatchETag)),
            _ => throw new ArgumentOutOfRangeException(nameof(operations), op.Kind, "Unknown operation."),
        }).ToList();
        try
        {
            await client.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex)
        {
            var index = ex.FailedTransactionActionIndex;
            var target = index is { } i && i < operations.Count ? operations[i].Entity : operations[0].Entity;
            throw Map(ex, table, target) is { } mapped ? mapped.AtOperation(index) : ex;
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(TableNames.Operations, cancellationToken);
        await client.GetEntityIfExistsAsync<TableEntity>("health", "ping", cancellationToken: cancellationToken);
    }

    private Task<TableClient> TableAsync(string table, CancellationToken cancellationToken)
    {
        StateKeys.EnsureValidTableName(table);
        var lazy = _tables.GetOrAdd(table, name => new Lazy<Task<TableClient>>(async () =>
        {
            // Not CreateTableIfNotExists: that helper serializes with reflection-based JSON, which fails under
            // Native AOT; plain create does not, and "already exists" (409) is the outcome we want anyway.
            try
            {
                await serviceClient.CreateTableAsync(name, CancellationToken.None);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
            return serviceClient.GetTableClient(name);
        }));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // Do not cache a failed creation (the account may have been unreachable for a moment).
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(table, lazy));
        }
        return task.WaitAsync(cancellationToken);
    }

    private static async Task<Response> Translate(string table, StateEntity entity, Func<Task<Response>> call)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException ex) when (Map(ex, table, entity) is { } mapped)
        {
            throw mapped;
        }
    }

    private static StateStoreException? Map(RequestFailedException ex, string table, StateEntity entity)
    {
        var where = $"{table}/{entity.PartitionKey}/{entity.RowKey}";
        return ex.Status switch
        {
            409 => new StateConflictException($"{where} already exists.", ex),
            412 => new StatePreconditionFailedException($"{where} changed since it was read.", ex),
            404 => new StateNotFoundException($"{where} does not exist.", ex),
            _ => null,
        };
    }

    private static ETag ToETag(string? etag) => etag is null ? ETag.All : new ETag(etag);

    private static TableEntity ToTable(StateEntity entity)
    {
        var table = new TableEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            table[name] = value;
        }
        return table;
    }

    private static StateEntity FromTable(TableEntity entity)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || name.EndsWith("@odata.type", StringComparison.Ordinal))
            {
                continue;
            }
            properties[name] = value switch
            {
                int i => (long)i,
                DateTime d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),
                BinaryData b => b.ToArray(),
                _ => value,
            };
        }
        return new StateEntity(entity.PartitionKey, entity.RowKey, properties)
        {
            ETag = entity.ETag.ToString(),
            Timestamp = entity.Timestamp,
        };
    }
}
