using System.Text.Json.Nodes;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>
/// Invocation payloads as the Azure Functions host sends them to a custom handler, written out literally
/// (not built with the app's own code) so the tests check the app against the host's shapes.
/// </summary>
internal static class HostPayloads
{
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
            "sys": { "MethodName": "AcsEvents", "UtcNow": "2026-11-23T09:00:01Z", "RandGuid": "0f4c0cf6-3c9a-4a3e-9b0e-6b7b0b3f8e11" }
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
          "Metadata": { "sys": { "MethodName": "AcsEvents", "UtcNow": "2026-11-23T09:05:01Z", "RandGuid": "1" } }
        }
        """)!;

    /// <summary>A Service Bus queue trigger invocation: the body as a JSON string, broker properties in Metadata.</summary>
    public static JsonNode ServiceBusMessage(string body, int deliveryCount = 1, string? sessionId = null) => new JsonObject
    {
        ["Data"] = new JsonObject { ["message"] = body },
        ["Metadata"] = JsonNode.Parse($$"""
            {
              "MessageId": "8d2c0000000000000000000000000001",
              "SessionId": {{(sessionId is null ? "null" : "\"" + sessionId + "\"")}},
              "DeliveryCount": {{deliveryCount}},
              "EnqueuedTimeUtc": "2026-11-23T09:00:02Z",
              "SequenceNumber": 42,
              "ContentType": "application/json",
              "sys": { "MethodName": "InboundEvents", "UtcNow": "2026-11-23T09:00:03Z", "RandGuid": "2" }
            }
            """),
    };

    public static JsonNode Timer(bool isPastDue = false) => JsonNode.Parse($$"""
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": { "Last": "2026-11-23T09:00:00Z", "Next": "2026-11-23T09:05:00Z", "LastUpdated": "2026-11-23T09:00:00Z" },
              "IsPastDue": {{(isPastDue ? "true" : "false")}}
            }
          },
          "Metadata": { "sys": { "MethodName": "Heartbeat", "UtcNow": "2026-11-23T09:05:00Z", "RandGuid": "3" } }
        }
        """)!;
}
