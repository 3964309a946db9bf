using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Functions.Local.CallAutomation;

namespace ContactCenter.Functions.Local.Messaging;

/// <summary>A text on a simulated customer's phone.</summary>
internal sealed class PhoneText
{
    public required string MessageId { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Message { get; init; }
    public string? Tag { get; init; }
    public bool DeliveryReportRequested { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public string DeliveryStatus { get; set; } = "Sending";

    public JsonObject Describe() => new()
    {
        ["messageId"] = MessageId,
        ["from"] = From,
        ["to"] = To,
        ["message"] = Message,
        ["tag"] = Tag,
        ["deliveryReportRequested"] = DeliveryReportRequested,
        ["sentAt"] = SentAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["deliveryStatus"] = DeliveryStatus,
    };
}

/// <summary>SMS: POST /sms as ACS serves it, and the delivery reports that follow.</summary>
public sealed partial class MessagingSimulator
{
    private AcsReply SendSms(JsonObject body)
    {
        var from = Text(body["from"]);
        var message = Text(body["message"]);
        if (from is null || message is null || body["smsRecipients"] is not JsonArray recipients)
        {
            return BadRequest("Required: from, smsRecipients, message.");
        }
        if (!SimulatorIdentifiers.IsE164(from))
        {
            return BadRequest("from must be an E.164 phone number owned by the resource.");
        }
        if (recipients.Count is 0 or > MaxSmsRecipients)
        {
            return BadRequest($"smsRecipients holds 1 to {MaxSmsRecipients} recipients.");
        }
        if (message.Length > AcsSimulator.MaxSmsLength)
        {
            return BadRequest($"message holds at most {AcsSimulator.MaxSmsLength} characters.");
        }
        var options = body["smsSendOptions"] as JsonObject;
        var deliveryReport = options?["enableDeliveryReport"] is JsonValue flag && flag.TryGetValue<bool>(out var enabled) && enabled;
        var tag = Text(options?["tag"]);
        var results = new JsonArray();
        foreach (var recipient in recipients)
        {
            results.Add((JsonNode)SendOne(from, message, recipient as JsonObject, deliveryReport, tag));
        }
        return (202, new JsonObject { ["value"] = results });
    }

    private JsonObject SendOne(string from, string message, JsonObject? recipient, bool deliveryReport, string? tag)
    {
        var to = Text(recipient?["to"]);
        var repeatId = Text(recipient?["repeatabilityRequestId"]);
        if (repeatId is not null)
        {
            if (!DateTimeOffset.TryParseExact(Text(recipient?["repeatabilityFirstSent"]), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return Refused(to, 400, "repeatabilityFirstSent must accompany repeatabilityRequestId as an IMF-fixdate.", "rejected");
            }
            // A repeat is answered as the first time and sends nothing.
            if (_smsRepeats.TryGetValue(repeatId, out var earlier))
            {
                return (JsonObject)earlier.DeepClone();
            }
        }
        if (!SimulatorIdentifiers.IsE164(to))
        {
            return Refused(to, 400, "Invalid To phone number format.", repeatId is null ? null : "rejected");
        }
        var now = _time.GetUtcNow();
        var text = new PhoneText
        {
            MessageId = $"Outgoing_{now:yyyyMMddHHmmss}{Guid.NewGuid():N}_noam",
            From = from,
            To = to!,
            Message = message,
            Tag = tag,
            DeliveryReportRequested = deliveryReport,
            SentAt = now,
        };
        if (!_phones.TryGetValue(text.To, out var phone))
        {
            _phones[text.To] = phone = [];
        }
        phone.Add(text);
        var fails = _smsParties.GetValueOrDefault(text.To) == SmsBehaviour.Fail;
        After(_options.SmsDeliveryDelay, () =>
        {
            text.DeliveryStatus = fails ? "Failed" : "Delivered";
            return deliveryReport ? [DeliveryReport(text, fails)] : [];
        });
        var result = new JsonObject
        {
            ["to"] = text.To,
            ["messageId"] = text.MessageId,
            ["httpStatusCode"] = 202,
            ["successful"] = true,
        };
        if (repeatId is not null)
        {
            result["repeatabilityResult"] = "accepted";
            _smsRepeats[repeatId] = (JsonObject)result.DeepClone();
        }
        return result;
    }

    private static JsonObject Refused(string? to, int status, string error, string? repeatability)
    {
        var result = new JsonObject { ["to"] = to, ["httpStatusCode"] = status, ["successful"] = false, ["errorMessage"] = error };
        if (repeatability is not null)
        {
            result["repeatabilityResult"] = repeatability;
        }
        return result;
    }

    /// <summary>
    /// The Event Grid event ACS publishes when the carrier reports on a text, as the published sample writes it
    /// (learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events): PascalCase fields, our number
    /// without '+' ("From": "15555555555"), the recipient with it.
    /// </summary>
    private JsonObject DeliveryReport(PhoneText text, bool failed)
    {
        var now = Timestamp();
        var data = new JsonObject
        {
            ["MessageId"] = text.MessageId,
            ["From"] = text.From.TrimStart('+'),
            ["To"] = text.To,
            ["DeliveryStatus"] = failed ? "Failed" : "Delivered",
            ["DeliveryStatusDetails"] = failed ? "The carrier could not deliver the message to the handset." : "No error.",
            ["DeliveryAttempts"] = new JsonArray(new JsonObject
            {
                ["Timestamp"] = now,
                ["SegmentsSucceeded"] = failed ? 0 : 1,
                ["SegmentsFailed"] = failed ? 1 : 0,
            }),
            ["ReceivedTimestamp"] = now,
        };
        if (text.Tag is not null)
        {
            data["Tag"] = text.Tag;
        }
        return AcsSimulator.GridEvent(SmsDeliveryReportType, $"/phonenumber/{text.From.TrimStart('+')}", data, _time.GetUtcNow());
    }
}
