using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Events;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>The published ACS payloads under Fixtures/Acs (each file's source is in that folder's README.md).</summary>
public static class AcsFixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Acs", name));

    public static JsonNode Node(string name) => JsonNode.Parse(Text(name))!;

    /// <summary>The one event of a fixture (a lone object, or an array of one), as an object to vary.</summary>
    public static JsonObject Event(string name) => Node(name) switch
    {
        JsonArray { Count: 1 } array => array[0]!.DeepClone().AsObject(),
        JsonObject single => single,
        _ => throw new InvalidOperationException($"{name} holds more than one event."),
    };

    /// <summary>The fixture's one event through the real envelope reader.</summary>
    public static InboundEvent Inbound(string name) => Inbound(Event(name));

    public static InboundEvent Inbound(JsonObject gridEvent)
    {
        using var document = JsonDocument.Parse(gridEvent.ToJsonString());
        return EventGridEventReader.Read(document.RootElement);
    }
}
