using System.Globalization;
using System.Text.Json;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Events;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Reads ACS's SMS Event Grid events (the envelope already read by EventGrid.EventGridEventReader) into the
/// provider-neutral <see cref="InboundSms"/> and <see cref="SmsDeliveryReport"/>. Field names are those of
/// Azure.Messaging.EventGrid's AcsSmsReceivedEventData and AcsSmsDeliveryReportReceivedEventData (from, to, messageId,
/// message, receivedTimestamp; deliveryStatus, deliveryStatusDetails, deliveryAttempts, tag), in any letter case (the
/// published samples write "MessageId", "From"). Numbers become E.164 (<see cref="AcsPhoneNumbers"/>: the samples write
/// "From": "15555555555"); a sender that is no number is passed on as written, not refused.
/// </summary>
/// <remarks>
/// Read with <see cref="JsonDocument"/> rather than the library's typed models, whose deserialization goes through
/// reflection-based System.Text.Json that Native AOT cannot keep, and so that a malformed event is refused with
/// <see cref="InvalidInboundEventException"/> naming the field, instead of yielding a half-filled model.
/// </remarks>
public static class SmsEventParser
{
    public const string SmsReceivedType = "Microsoft.Communication.SMSReceived";
    public const string DeliveryReportReceivedType = "Microsoft.Communication.SMSDeliveryReportReceived";

    /// <summary>Whether this parser reads <paramref name="inboundEvent"/> (an SMS received or a delivery report).</summary>
    public static bool IsSmsEvent(InboundEvent inboundEvent) =>
        inboundEvent is not null && (inboundEvent.Type == SmsReceivedType || inboundEvent.Type == DeliveryReportReceivedType);

    public static InboundSms ParseReceived(InboundEvent inboundEvent)
    {
        var (data, where) = Data(inboundEvent, SmsReceivedType, "SMSReceived");
        return new InboundSms(
            RequiredString(data, "messageId", where),
            AcsPhoneNumbers.OrRaw(RequiredString(data, "from", where)),
            AcsPhoneNumbers.OrRaw(RequiredString(data, "to", where)),
            // A text can be empty (a carrier-stripped message); it must still be a string.
            RequiredString(data, "message", where, allowEmpty: true),
            ReceivedAt(data, inboundEvent, where));
    }

    public static SmsDeliveryReport ParseDeliveryReport(InboundEvent inboundEvent)
    {
        var (data, where) = Data(inboundEvent, DeliveryReportReceivedType, "SMSDeliveryReportReceived");
        if (TryGetProperty(data, "deliveryAttempts", out var attempts) && attempts.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            throw new InvalidInboundEventException($"{where}: 'deliveryAttempts' must be an array, not {attempts.ValueKind}.");
        }
        return new SmsDeliveryReport(
            RequiredString(data, "messageId", where),
            AcsPhoneNumbers.OrRaw(RequiredString(data, "from", where)),
            AcsPhoneNumbers.OrRaw(RequiredString(data, "to", where)),
            RequiredString(data, "deliveryStatus", where),
            OptionalString(data, "deliveryStatusDetails", where),
            ReceivedAt(data, inboundEvent, where))
        {
            Tag = OptionalString(data, "tag", where),
        };
    }

    private static (JsonElement Data, string Where) Data(InboundEvent inboundEvent, string expectedType, string name)
    {
        ArgumentNullException.ThrowIfNull(inboundEvent);
        if (inboundEvent.Type != expectedType)
        {
            throw new InvalidInboundEventException($"Event {inboundEvent.Id} is a {inboundEvent.Type}, not a {expectedType}.");
        }
        var where = $"{name} {inboundEvent.Id}";
        return inboundEvent.Data.ValueKind == JsonValueKind.Object
            ? (inboundEvent.Data, where)
            : throw new InvalidInboundEventException($"{where}: 'data' must be an object, not {inboundEvent.Data.ValueKind}.");
    }

    // ACS always sends receivedTimestamp; should it be missing, the envelope's time is the next best answer.
    private static DateTimeOffset ReceivedAt(JsonElement data, InboundEvent inboundEvent, string where)
    {
        if (OptionalString(data, "receivedTimestamp", where) is { } text)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new InvalidInboundEventException($"{where}: 'receivedTimestamp' is not an RFC 3339 timestamp: '{text}'.");
        }
        return inboundEvent.Time != DateTimeOffset.MinValue
            ? inboundEvent.Time
            : throw new InvalidInboundEventException($"{where}: 'receivedTimestamp' is missing and the event carries no time.");
    }

    private static string RequiredString(JsonElement json, string name, string where, bool allowEmpty = false) =>
        OptionalString(json, name, where) is { } value && (allowEmpty || value.Length > 0) ? value
            : throw new InvalidInboundEventException($"{where}: 'data.{name}' is required and must be a {(allowEmpty ? "" : "non-empty ")}string.");

    /// <summary>
    /// ACS's published examples of these events spell the data fields in PascalCase ("MessageId") and the service and
    /// SDK models in camelCase ("messageId"): either is read.
    /// </summary>
    private static bool TryGetProperty(JsonElement json, string name, out JsonElement value)
    {
        if (json.TryGetProperty(name, out value))
        {
            return true;
        }
        foreach (var property in json.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }

    private static string? OptionalString(JsonElement json, string name, string where) =>
        TryGetProperty(json, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidInboundEventException($"{where}: 'data.{name}' must be a string, not {value.ValueKind}."),
        } : null;
}
