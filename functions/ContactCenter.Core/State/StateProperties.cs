namespace ContactCenter.Core.State;

/// <summary>The property types both backends store faithfully (a subset of the Table Storage EDM types).</summary>
public static class StateProperties
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag", "ETag",
    };

    /// <summary>Table Storage allows 252 custom properties per entity.</summary>
    public const int MaxProperties = 252;

    /// <summary>Table Storage limits strings to 64 KiB (32K UTF-16 characters).</summary>
    public const int MaxStringLength = 32 * 1024;

    public static IReadOnlyDictionary<string, object?> Validate(IReadOnlyDictionary<string, object?> properties)
    {
        if (properties.Count > MaxProperties)
        {
            throw new ArgumentException($"An entity holds at most {MaxProperties} properties, not {properties.Count}.");
        }

        var copy = new Dictionary<string, object?>(properties.Count, StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (string.IsNullOrWhiteSpace(name) || Reserved.Contains(name))
            {
                throw new ArgumentException($"Property name '{name}' is empty or reserved.");
            }
            if (value is null)
            {
                // Table Storage does not store nulls; dropping them here keeps every backend identical.
                continue;
            }
            copy[name] = value switch
            {
                string s when s.Length > MaxStringLength =>
                    throw new ArgumentException($"Property '{name}' is {s.Length} characters; the limit is {MaxStringLength}."),
                string or bool or long or double or Guid or byte[] => value,
                int i => (long)i,
                DateTimeOffset d => d.ToUniversalTime(),
                DateTime d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),
                _ => throw new ArgumentException(
                    $"Property '{name}' has unsupported type {value.GetType().Name}; use string, bool, long, double, Guid, byte[] or DateTimeOffset."),
            };
        }
        return copy;
    }
}
