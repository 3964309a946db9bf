using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>
/// Invocation payloads exactly as the Azure Functions host sends them to a custom handler, built by hand from the host's
/// source (not with the app's own code) so the tests check the app against the host. Sources (Azure/azure-functions-host):
/// src/WebJobs.Script/Workers/MessageExtensions/ScriptInvocationContextExtensions.cs (ToHttpScriptInvocationContext,
/// GetHttpScriptInvocationContextValue), src/WebJobs.Script/Description/Workers/WorkerFunctionInvoker.cs and Utility.cs
/// (ApplyBindingData), and the unit tests test/WebJobs.Script.Tests/Workers/ScriptInvocationContextExtensionsTests.cs
/// (GetHttpScriptInvocationContextValueTest_String: "stringTest" becomes "\"stringTest\"") and
/// test/WebJobs.Script.Tests/HttpWorker/DefaultHttpWorkerServiceTests.cs (ValidateDefaultInvocationRequest: every metadata
/// value is JsonConvert.SerializeObject(value), so the number 4 arrives as "4"; dates as DateTime.Parse(value.ToString())).
/// The Service Bus binding data names come from Azure/azure-sdk-for-net
/// sdk/servicebus/Microsoft.Azure.WebJobs.Extensions.ServiceBus/src/Triggers/ServiceBusTriggerBindingStrategy.cs.
/// </summary>
public static class HostPayloads
{
    public const string MessageId = "4e77a0d2c1b94b6c8d0e5f1a2b3c4d5e";
    public const string LockToken = "7c1f3a52-0d7e-4b8e-9a36-2f4d5e6a7b8c";

    /// <summary>How the host puts a Service Bus body into Data, which depends on the trigger's dataType in function.json.</summary>
    public enum BodyEncoding
    {
        /// <summary>dataType "binary" (what this app declares): the body's bytes, which Newtonsoft writes as base64.</summary>
        Binary,

        /// <summary>No dataType: the body binds to string, is JSON-serialized once (a JSON string literal), then the request again.</summary>
        String,
    }

    public static JsonNode SmsReceivedEventGridSchema(string id = "6f3f7b8e-0000-4000-8000-000000000001") => JsonNode.Parse($$"""
        {
          "Data": {
            "eventGridEvent": {
              "id": "{{id}}",
              "topic": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
              "subject": "/phonenumber/15555555555",
              "data": {
                "MessageId": "Incoming_20261123",
                "From": "+15555555555",
                "To": "+15555555556",
                "Message": "Where is my order?",
                "ReceivedTimestamp": "2026-11-23T09:00:00.0000000Z"
              },
              "eventType": "Microsoft.Communication.SMSReceived",
              "dataVersion": "1.0",
              "metadataVersion": "1",
              "eventTime": "2026-11-23T09:00:00.1234567Z"
            }
          },
          "Metadata": {
            "sys": { "MethodName": "AcsEvents", "UtcNow": "2026-11-23T09:00:01.0000000Z", "RandGuid": "0f4c0cf6-3c9a-4a3e-9b0e-6b7b0b3f8e11" }
          }
        }
        """)!;

    public static JsonNode IncomingCallCloudEventSchema() => JsonNode.Parse("""
        {
          "Data": {
            "eventGridEvent": {
              "specversion": "1.0",
              "id": "c6a1d7f2-0000-4000-8000-000000000002",
              "source": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
              "type": "Microsoft.Communication.IncomingCall",
              "subject": "/caller/4:+15555555555/recipient/4:+15555555556",
              "time": "2026-11-23T09:05:00Z",
              "datacontenttype": "application/json",
              "data": {
                "to": { "kind": "phoneNumber", "rawId": "4:+15555555556", "phoneNumber": { "value": "+15555555556" } },
                "from": { "kind": "phoneNumber", "rawId": "4:+15555555555", "phoneNumber": { "value": "+15555555555" } },
                "serverCallId": "c2VydmVyQ2FsbElk",
                "callerDisplayName": "",
                "incomingCallContext": "ctx",
                "correlationId": "d9b2a3c4-0000-4000-8000-000000000003"
              }
            }
          },
          "Metadata": { "sys": { "MethodName": "AcsEvents", "UtcNow": "2026-11-23T09:05:01.0000000Z", "RandGuid": "1" } }
        }
        """)!;

    /// <summary>
    /// A Service Bus queue trigger invocation. Data[message] carries the body as <paramref name="encoding"/> says. Metadata
    /// is the extension's binding data, each value through GetHttpScriptInvocationContextValue: strings JSON-quoted
    /// ("\"q1\""), numbers as their JSON text in a string ("1"), DateTime re-parsed from its culture string (whole seconds,
    /// no offset), DateTimeOffset likewise with its offset, dictionaries and objects as JSON objects, null values left out.
    /// With no dataType the body is a string, so the host also merges its top-level JSON properties into the metadata
    /// (Utility.ApplyBindingData: objects as objects, anything else as its string, arrays and nulls skipped), over the broker
    /// properties of the same name (the binding data is case-insensitive, cf. Azure/azure-functions-dotnet-worker#991).
    /// </summary>
    public static JsonNode ServiceBusMessage(string body, int deliveryCount = 1, string? sessionId = null,
        BodyEncoding encoding = BodyEncoding.Binary, string function = "InboundEvents", string messageId = MessageId,
        string? contentType = "application/json", JsonObject? applicationProperties = null)
    {
        var enqueued = new DateTimeOffset(2026, 11, 23, 9, 0, 2, TimeSpan.Zero).AddTicks(1234567);
        var actions = sessionId is null ? new JsonObject() : new JsonObject { ["SessionLockedUntil"] = "2026-11-23T09:00:32.5547459+00:00" };
        var metadata = new JsonObject
        {
            ["MessageReceiver"] = actions.DeepClone(),
            ["MessageSession"] = actions.DeepClone(),
            ["MessageActions"] = actions.DeepClone(),
            ["SessionActions"] = actions.DeepClone(),
            ["ReceiveActions"] = new JsonObject(),
            ["Client"] = new JsonObject
            {
                ["FullyQualifiedNamespace"] = "sb-contoso.servicebus.windows.net",
                ["IsClosed"] = false,
                ["TransportType"] = 0,
                ["Identifier"] = "sb-contoso.servicebus.windows.net-2d7c1f3a",
            },
            ["DeliveryCount"] = Quoted(deliveryCount),
            ["LockToken"] = Quoted(LockToken),
            // ExpiresAt of a message without a time-to-live is DateTimeOffset.MaxValue.
            ["ExpiresAtUtc"] = "9999-12-31T23:59:59",
            ["ExpiresAt"] = "9999-12-31T23:59:59+00:00",
            ["EnqueuedTimeUtc"] = enqueued.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["EnqueuedTime"] = enqueued.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["MessageId"] = Quoted(messageId),
            ["SequenceNumber"] = Quoted(42L),
            ["ApplicationProperties"] = applicationProperties?.DeepClone() ?? new JsonObject(),
            ["UserProperties"] = applicationProperties?.DeepClone() ?? new JsonObject(),
            ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = "2026-11-23T09:00:03.2205399Z", ["RandGuid"] = "24ad4c06-24ad-4e5b-8294-3da9714877e9" },
        };
        if (contentType is not null)
        {
            metadata["ContentType"] = Quoted(contentType);
        }
        if (sessionId is not null)
        {
            metadata["SessionId"] = Quoted(sessionId);
        }
        if (encoding == BodyEncoding.String)
        {
            MergeBodyProperties(body, metadata);
        }
        JsonNode data = encoding == BodyEncoding.Binary
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body))
            : Quoted(body);
        return new JsonObject { ["Data"] = new JsonObject { ["message"] = data }, ["Metadata"] = metadata };
    }

    /// <summary>TimerInfo through JObject.FromObject (its Schedule, ScheduleStatus and IsPastDue properties).</summary>
    public static JsonNode Timer(bool isPastDue = false) => JsonNode.Parse($$"""
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": { "Last": "2026-11-23T09:00:00+00:00", "Next": "2026-11-23T09:05:00+00:00", "LastUpdated": "2026-11-23T09:00:00+00:00" },
              "IsPastDue": {{(isPastDue ? "true" : "false")}}
            }
          },
          "Metadata": { "sys": { "MethodName": "Heartbeat", "UtcNow": "2026-11-23T09:05:00.0170000Z", "RandGuid": "3" } }
        }
        """)!;

    /// <summary>JsonConvert.SerializeObject of a scalar, as the host puts it into Metadata: a string holding JSON text.</summary>
    private static string Quoted(string value) => JsonValue.Create(value).ToJsonString(NewtonsoftLike);

    private static string Quoted(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Newtonsoft escapes only quotes, backslashes and control characters (not '+', '&lt;' or non-ASCII).</summary>
    private static readonly JsonSerializerOptions NewtonsoftLike = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void MergeBodyProperties(string body, JsonObject metadata)
    {
        JsonObject parsed;
        try
        {
            parsed = JsonNode.Parse(body) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return; // not a JSON object: nothing merged
        }
        foreach (var (name, value) in parsed)
        {
            if (value is null or JsonArray)
            {
                continue;
            }
            foreach (var key in metadata.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                metadata.Remove(key);
            }
            metadata[name] = value is JsonObject ? value.DeepClone() : Quoted(NewtonsoftString(value));
        }
    }

    /// <summary>What Newtonsoft's (string)JToken gives for a scalar: the string itself, a number's text, True/False.</summary>
    private static string NewtonsoftString(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.ToJsonString(),
    };
}
