using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Core.Events;

/// <summary>
/// A channel event (an incoming call, an SMS, an email delivery report...) in one provider-neutral envelope,
/// as it travels from ingestion to the handlers. <see cref="Data"/> keeps the provider's payload untouched.
/// </summary>
public sealed record InboundEvent
{
    [JsonConstructor]
    public InboundEvent(string id, string type, string source, string? subject, DateTimeOffset time, JsonElement data)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("An inbound event needs an id.", nameof(id));
        }
        if (string.IsNullOrWhiteSpace(type))
        {
            throw new ArgumentException("An inbound event needs a type.", nameof(type));
        }
        Id = id;
        Type = type;
        Source = source ?? string.Empty;
        Subject = subject;
        Time = time;
        Data = data.ValueKind == JsonValueKind.Undefined ? default : data.Clone();
    }

    public string Id { get; }
    public string Type { get; }
    public string Source { get; }
    public string? Subject { get; }
    public DateTimeOffset Time { get; }
    public JsonElement Data { get; }

    public string ToJson() => JsonSerializer.Serialize(this, CoreJsonContext.Default.InboundEvent);

    /// <summary>Parses an envelope; throws <see cref="InvalidInboundEventException"/> with the reason when it is not one.</summary>
    public static InboundEvent FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CoreJsonContext.Default.InboundEvent)
                ?? throw new InvalidInboundEventException("The message body is JSON null, not an inbound event.");
        }
        catch (JsonException ex)
        {
            throw new InvalidInboundEventException($"The message body is not an inbound event: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidInboundEventException($"The message body is not an inbound event: {ex.Message}", ex);
        }
    }
}

public sealed class InvalidInboundEventException(string message, Exception? inner = null) : Exception(message, inner);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InboundEvent))]
[JsonSerializable(typeof(Routing.AgentState))]
[JsonSerializable(typeof(Routing.ContactState))]
[JsonSerializable(typeof(Routing.RoutingDecision))]
[JsonSerializable(typeof(Routing.AcdWork))]
[JsonSerializable(typeof(Voice.CallRecord))]
[JsonSerializable(typeof(Voice.CallWork))]
[JsonSerializable(typeof(Conversations.CustomerRecord))]
[JsonSerializable(typeof(Conversations.ConversationRecord))]
[JsonSerializable(typeof(Conversations.TimelineEntry))]
[JsonSerializable(typeof(Conversations.OutboundMessageWork))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

