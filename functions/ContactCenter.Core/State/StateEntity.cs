namespace ContactCenter.Core.State;

/// <summary>
/// One stored record: a partition key, a row key and flat, typed properties — the shape Azure Table Storage
/// holds, so every backend of <see cref="IStateStore"/> can keep the same semantics.
/// </summary>
public sealed record StateEntity
{
    public StateEntity(string partitionKey, string rowKey, IReadOnlyDictionary<string, object?>? properties = null)
    {
        StateKeys.EnsureValid(partitionKey, nameof(partitionKey));
        StateKeys.EnsureValid(rowKey, nameof(rowKey));
        PartitionKey = partitionKey;
        RowKey = rowKey;
        Properties = StateProperties.Validate(properties ?? new Dictionary<string, object?>());
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public IReadOnlyDictionary<string, object?> Properties { get; }

    /// <summary>Opaque concurrency token; null on entities that have not been read from a store.</summary>
    public string? ETag { get; init; }

    /// <summary>Server-side last-modified time; null on entities that have not been read from a store.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public string? GetString(string name) => Properties.TryGetValue(name, out var value) ? value as string : null;

    public long? GetInt64(string name) => Properties.TryGetValue(name, out var value) ? value switch
    {
        long l => l,
        int i => i,
        _ => null,
    } : null;

    public DateTimeOffset? GetDateTimeOffset(string name) =>
        Properties.TryGetValue(name, out var value) && value is DateTimeOffset d ? d : null;

    public bool? GetBoolean(string name) => Properties.TryGetValue(name, out var value) && value is bool b ? b : null;
}
