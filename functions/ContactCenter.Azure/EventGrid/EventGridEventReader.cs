using System.Globalization;
using System.Text.Json;
using Azure.Messaging.EventGrid;
using ContactCenter.Core.Events;

namespace ContactCenter.Azure.EventGrid;

/// <summary>
/// Turns one Event Grid delivery — Event Grid schema or CloudEvents 1.0 schema, as ACS subscriptions may use
/// either — into the provider-neutral <see cref="InboundEvent"/>, and back into Azure.Messaging.EventGrid's typed
/// ACS system-event models.
/// </summary>
/// <remarks>
/// The envelopes are read here rather than with EventGridEvent.ParseMany / CloudEvent.Parse because both wrap the
/// payload with reflection-based System.Text.Json, which Native AOT cannot keep. The envelope is a handful of
/// attributes; the payload models (AcsSmsReceivedEventData, AcsIncomingCallEventData...) still come from the library.
/// </remarks>
public static class EventGridEventReader
{
    /// <summary>Reads a single event object; throws <see cref="InvalidInboundEventException"/> saying what is wrong.</summary>
    public static InboundEvent Read(JsonElement eventJson)
    {
        if (eventJson.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInboundEventException($"An Event Grid event must be a JSON object, not {eventJson.ValueKind}.");
        }
        if (eventJson.TryGetProperty("specversion", out _))
        {
            return ReadCloudEvent(eventJson);
        }
        if (eventJson.TryGetProperty("eventType", out _))
        {
            return ReadEventGridEvent(eventJson);
        }
        throw new InvalidInboundEventException(
            "Not an Event Grid event: expected 'eventType' (Event Grid schema) or 'specversion' (CloudEvents schema).");
    }

    /// <summary>
    /// The library's typed model of a system event's data (for example AcsSmsReceivedEventData), or null when the
    /// type is not a known system event.
    /// </summary>
    public static object? SystemEventData(InboundEvent inboundEvent)
    {
        ArgumentNullException.ThrowIfNull(inboundEvent);
        if (inboundEvent.Data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var gridEvent = new EventGridEvent(inboundEvent.Subject ?? string.Empty, inboundEvent.Type, "1.0",
            BinaryData.FromString(inboundEvent.Data.GetRawText()));
        return gridEvent.TryGetSystemEventData(out var data) ? data : null;
    }

    /// <summary>Event Grid schema: id, eventType, subject, eventTime and dataVersion are required.</summary>
    private static InboundEvent ReadEventGridEvent(JsonElement json)
    {
        var schema = "Event Grid event";
        RequiredString(json, "dataVersion", schema, allowEmpty: true);
        return new InboundEvent(RequiredString(json, "id", schema), RequiredString(json, "eventType", schema),
            OptionalString(json, "topic", schema) ?? string.Empty, RequiredString(json, "subject", schema, allowEmpty: true),
            Timestamp(RequiredString(json, "eventTime", schema), "eventTime"), Data(json));
    }

    /// <summary>CloudEvents 1.0 structured JSON: specversion, id, source and type are required.</summary>
    private static InboundEvent ReadCloudEvent(JsonElement json)
    {
        var schema = "CloudEvent";
        var specVersion = RequiredString(json, "specversion", schema);
        if (specVersion != "1.0")
        {
            throw new InvalidInboundEventException($"CloudEvents specversion '{specVersion}' is not supported; expected '1.0'.");
        }
        var time = OptionalString(json, "time", schema) is { } text ? Timestamp(text, "time") : DateTimeOffset.MinValue;
        return new InboundEvent(RequiredString(json, "id", schema), RequiredString(json, "type", schema),
            RequiredString(json, "source", schema), OptionalString(json, "subject", schema), time, Data(json));
    }

    private static JsonElement Data(JsonElement json)
    {
        if (json.TryGetProperty("data", out var inline))
        {
            return inline.Clone();
        }
        if (json.TryGetProperty("data_base64", out var encoded) && encoded.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(Convert.FromBase64String(encoded.GetString()!));
                return document.RootElement.Clone();
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                throw new InvalidInboundEventException($"CloudEvent data_base64 is not base64-encoded JSON: {ex.Message}", ex);
            }
        }
        return default;
    }

    private static DateTimeOffset Timestamp(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new InvalidInboundEventException($"'{name}' is not an RFC 3339 timestamp: '{text}'.");

    private static string RequiredString(JsonElement json, string name, string schema, bool allowEmpty = false) =>
        OptionalString(json, name, schema) is { } value && (allowEmpty || value.Length > 0) ? value
            : throw new InvalidInboundEventException($"{schema} attribute '{name}' is required and must be a {(allowEmpty ? "" : "non-empty ")}string.");

    private static string? OptionalString(JsonElement json, string name, string schema) =>
        json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidInboundEventException($"{schema} attribute '{name}' must be a string, not {value.ValueKind}."),
        } : null;
}
