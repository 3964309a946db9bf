using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Local;

/// <summary>
/// Builds invocation payloads the way the Azure Functions host does, so local mode exercises the same decoding as Azure.
/// Every value goes through the host's GetHttpScriptInvocationContextValue (Azure/azure-functions-host,
/// src/WebJobs.Script/Workers/MessageExtensions/ScriptInvocationContextExtensions.cs): byte[] → base64, DateTime →
/// re-parsed (whole seconds, no offset), DateTimeOffset likewise with its offset, objects → JSON objects, everything else
/// JsonConvert.SerializeObject (a string arrives JSON-quoted, a number as its text). Null values are left out.
/// The Service Bus names are the extension's binding data (Azure/azure-sdk-for-net,
/// sdk/servicebus/Microsoft.Azure.WebJobs.Extensions.ServiceBus/src/Triggers/ServiceBusTriggerBindingStrategy.cs).
/// </summary>
internal static class HostPayloadEncoder
{
    /// <summary>The host's headers on every request to the handler (HttpWorkerConstants, DefaultHttpWorkerService.AddHeaders).</summary>
    public const string HostVersionHeader = "X-Azure-Functions-HostVersion";
    public const string UserAgentProduct = "Azure-Functions-Host";

    /// <summary>Stands in for ScriptHost.Version: local mode plays a 4.x host.</summary>
    public const string HostVersion = "4.1042.0.0";

    /// <summary>Newtonsoft escapes only quotes, backslashes and control characters.</summary>
    private static readonly JsonSerializerOptions NewtonsoftLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record ServiceBusDelivery(string MessageId, string Body, string? SessionId, DateTimeOffset EnqueuedAt,
        int DeliveryCount, long SequenceNumber, string? ContentType, string LockToken, string Namespace);

    /// <summary>
    /// Data and Metadata for a Service Bus trigger declared with dataType binary (every one this app declares): the body's
    /// bytes as base64, and the broker properties as binding data. A binary body is not a string, so the host merges no
    /// body properties into the metadata (Utility.ApplyBindingData only parses string trigger values).
    /// </summary>
    public static (JsonObject Data, JsonObject Metadata) ServiceBus(ServiceBusTrigger trigger, ServiceBusDelivery delivery)
    {
        // The session receiver's actions serialize with their one public property; the plain receiver's with none.
        JsonObject Actions() => delivery.SessionId is null ? new JsonObject()
            : new JsonObject { ["SessionLockedUntil"] = Offset(delivery.EnqueuedAt.AddMinutes(1)) };
        var metadata = new JsonObject
        {
            ["MessageReceiver"] = Actions(),
            ["MessageSession"] = Actions(),
            ["MessageActions"] = Actions(),
            ["SessionActions"] = Actions(),
            ["ReceiveActions"] = new JsonObject(),
            ["Client"] = new JsonObject
            {
                ["FullyQualifiedNamespace"] = delivery.Namespace,
                ["IsClosed"] = false,
                ["TransportType"] = 0,
                ["Identifier"] = $"{delivery.Namespace}-local",
            },
            ["DeliveryCount"] = Number(delivery.DeliveryCount),
            ["LockToken"] = Quoted(delivery.LockToken),
            // No time-to-live: ExpiresAt is DateTimeOffset.MaxValue.
            ["ExpiresAtUtc"] = Utc(DateTimeOffset.MaxValue),
            ["ExpiresAt"] = Offset(DateTimeOffset.MaxValue),
            ["EnqueuedTimeUtc"] = Utc(delivery.EnqueuedAt),
            ["EnqueuedTime"] = Offset(delivery.EnqueuedAt),
            ["MessageId"] = Quoted(delivery.MessageId),
            ["SequenceNumber"] = Number(delivery.SequenceNumber),
            ["ApplicationProperties"] = new JsonObject(),
            ["UserProperties"] = new JsonObject(),
        };
        if (delivery.ContentType is { } contentType)
        {
            metadata["ContentType"] = Quoted(contentType);
        }
        if (delivery.SessionId is { } sessionId)
        {
            metadata["SessionId"] = Quoted(sessionId);
        }
        var data = new JsonObject { [trigger.Name] = Convert.ToBase64String(Encoding.UTF8.GetBytes(delivery.Body)) };
        return (data, metadata);
    }

    /// <summary>SystemBindingData through JObject.FromObject: the function name, the host's clock and a fresh GUID.</summary>
    public static JsonObject Sys(string functionName, DateTimeOffset now) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    /// <summary>
    /// What the Service Bus output binding makes of one Outputs value. The host first tries to base64-decode a string
    /// (HttpScriptInvocationResultExtensions.GetBindingValue) and hands the result to an IAsyncCollector&lt;string&gt;,
    /// which calls ToString() (FunctionBinding.BindAsyncCollectorAsync): JSON text stays as it is, a string that happens to be
    /// base64 becomes "System.Byte[]", a JSON object its indented text. The extension sends it as text/plain
    /// (StringToMessageConverter, ContentTypes.TextPlain).
    /// </summary>
    /// <param name="inArray">An element of an array value: the host does not try base64 on those.</param>
    public static string ServiceBusOutputBody(JsonNode value, bool inArray)
    {
        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
        {
            var buffer = new byte[text.Length];
            return !inArray && Convert.TryFromBase64String(text, buffer, out _) ? "System.Byte[]" : text;
        }
        return value.ToJsonString(new JsonSerializerOptions(NewtonsoftLike) { WriteIndented = true });
    }

    public const string ServiceBusOutputContentType = "text/plain";

    private static string Quoted(string value) => JsonValue.Create(value).ToJsonString(NewtonsoftLike);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A DateTime after DateTime.Parse(value.ToString()): whole seconds, Kind Unspecified, so no offset.</summary>
    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A DateTimeOffset after DateTimeOffset.Parse(value.ToString()): whole seconds, with its offset.</summary>
    private static string Offset(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
