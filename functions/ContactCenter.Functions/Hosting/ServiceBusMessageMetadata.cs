using System.Globalization;
using System.Text.Json;

namespace ContactCenter.Functions.Hosting;

/// <summary>
/// The broker properties of a Service Bus-triggered invocation, read from the host's Metadata. The names are the
/// extension's binding data (Azure/azure-sdk-for-net,
/// sdk/servicebus/Microsoft.Azure.WebJobs.Extensions.ServiceBus/src/Triggers/ServiceBusTriggerBindingStrategy.cs);
/// the values arrive encoded as <see cref="HostValues"/> describes, and properties whose value is null (a SessionId on
/// a queue without sessions) are left out by the host. A value that cannot be read is reported as absent, never thrown:
/// the metadata only describes the message.
/// </summary>
public sealed record ServiceBusMessageMetadata(
    string? MessageId,
    string? SessionId,
    int? DeliveryCount,
    long? SequenceNumber,
    string? ContentType,
    DateTimeOffset? EnqueuedTime,
    IReadOnlyDictionary<string, JsonElement> ApplicationProperties)
{
    public static ServiceBusMessageMetadata From(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        string? Text(string name) => metadata.TryGetValue(name, out var value) ? HostValues.MetadataText(value) : null;
        return new(
            Text("MessageId"),
            Text("SessionId"),
            int.TryParse(Text("DeliveryCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null,
            long.TryParse(Text("SequenceNumber"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sequence) ? sequence : null,
            Text("ContentType"),
            EnqueuedTimeOf(Text("EnqueuedTime"), Text("EnqueuedTimeUtc")),
            PropertiesOf(metadata));
    }

    /// <summary>
    /// EnqueuedTime carries its offset; EnqueuedTimeUtc (kept by the extension for back-compat) is a DateTime that the
    /// host re-parses from its culture string, so it arrives without an offset and to the second: it is UTC.
    /// </summary>
    private static DateTimeOffset? EnqueuedTimeOf(string? withOffset, string? utc) =>
        DateTimeOffset.TryParse(withOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
        : DateTimeOffset.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var utcAt) ? utcAt
        : null;

    private static IReadOnlyDictionary<string, JsonElement> PropertiesOf(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        // ApplicationProperties (UserProperties is the same dictionary under its old name) arrives as a JSON object.
        foreach (var name in new[] { "ApplicationProperties", "UserProperties" })
        {
            if (metadata.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            }
        }
        return new Dictionary<string, JsonElement>();
    }
}
