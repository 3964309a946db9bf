using System.Globalization;
using System.Text.Json;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Events;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Reads ACS's Microsoft.Communication.EmailDeliveryReportReceived event (data: sender, recipient, messageId — the
/// send operation's id —, status, deliveryStatusDetails.statusMessage, deliveryAttemptTimestamp) into an
/// <see cref="EmailDeliveryReport"/>. With JsonDocument, so nothing depends on reflection under Native AOT.
/// </summary>
/// <remarks>
/// Field names are matched ignoring case: the Event Grid page's sample spells "deliveryAttemptTimeStamp"
/// (learn.microsoft.com/azure/event-grid/communication-services-email-events), the SDK models and their tests
/// "deliveryAttemptTimestamp" (Azure/azure-sdk-for-go sdk/messaging/eventgrid/azsystemevents/system_events_test.go).
/// </remarks>
public static class EmailDeliveryReportReader
{
    public const string EventType = "Microsoft.Communication.EmailDeliveryReportReceived";

    /// <summary>The report, or null when the event is of another type; a malformed one throws <see cref="InvalidInboundEventException"/>.</summary>
    public static EmailDeliveryReport? TryRead(InboundEvent inboundEvent)
    {
        ArgumentNullException.ThrowIfNull(inboundEvent);
        if (inboundEvent.Type != EventType)
        {
            return null;
        }
        var data = inboundEvent.Data;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInboundEventException($"{EventType} {inboundEvent.Id} has no data object.");
        }
        var operationId = Required(data, "messageId", inboundEvent);
        var recipient = Required(data, "recipient", inboundEvent);
        var status = Required(data, "status", inboundEvent);
        string? details = null;
        if (Property(data, "deliveryStatusDetails") is { ValueKind: JsonValueKind.Object } statusDetails)
        {
            details = Text(statusDetails, "statusMessage");
        }
        var at = Text(data, "deliveryAttemptTimestamp") is { } timestamp
            ? DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
                : throw new InvalidInboundEventException($"{EventType} {inboundEvent.Id}: deliveryAttemptTimestamp '{timestamp}' is not a timestamp.")
            : inboundEvent.Time;
        return new EmailDeliveryReport(operationId, recipient, status, details, at);
    }

    private static string Required(JsonElement data, string name, InboundEvent inboundEvent) =>
        Text(data, name) is { Length: > 0 } value ? value
            : throw new InvalidInboundEventException($"{EventType} {inboundEvent.Id}: data.{name} is required.");

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }
        return null;
    }
}
