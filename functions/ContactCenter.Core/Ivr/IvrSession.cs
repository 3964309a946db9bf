using System.Text;
using System.Text.Json;

namespace ContactCenter.Core.Ivr;

/// <summary>What the session waits for before the flow can move on.</summary>
public enum IvrWaiting
{
    /// <summary>A new session: <see cref="CallStarted"/> enters the flow.</summary>
    Start,
    PlayCompleted,
    CallerInput,
    Ended,
}

/// <summary>
/// Where one call is in its flow. Immutable and small, so the adapter can store it between provider callbacks
/// (<see cref="ToJson"/>/<see cref="FromJson"/>) and any instance can handle the next one.
/// </summary>
public sealed record IvrSession(string FlowId, string NodeId)
{
    public IvrWaiting Waiting { get; init; } = IvrWaiting.Start;

    /// <summary>Retries used at the current node (no input or no match).</summary>
    public int Retries { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Skills { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    public int? Priority { get; init; }

    /// <summary>Why the session ended: "queued to billing", "caller hung up"...</summary>
    public string? Outcome { get; init; }

    public bool Ended => Waiting == IvrWaiting.Ended;

    public ContactAnnotations Annotations => new(Priority, Skills, Variables);

    // Written and read by hand: the core stays Native-AOT safe without a serializer context for one small record.
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("flow", FlowId);
            writer.WriteString("node", NodeId);
            writer.WriteString("waiting", Waiting.ToString());
            writer.WriteNumber("retries", Retries);
            if (Priority is { } priority)
            {
                writer.WriteNumber("priority", priority);
            }
            if (Outcome is not null)
            {
                writer.WriteString("outcome", Outcome);
            }
            writer.WriteStartObject("variables");
            foreach (var (name, value) in Variables)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
            writer.WriteStartObject("skills");
            foreach (var (skill, minimum) in Skills)
            {
                writer.WriteNumber(skill, minimum);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; anything else is a <see cref="FormatException"/>.</summary>
    public static IvrSession FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            // Enum.Parse alone would take "42" or "start": only the names ToJson writes are a stored session.
            var waiting = Required(root, "waiting");
            if (!Enum.GetNames<IvrWaiting>().Contains(waiting, StringComparer.Ordinal))
            {
                throw new FormatException($"'{waiting}' is not a waiting state.");
            }
            return new IvrSession(Required(root, "flow"), root.GetProperty("node").GetString() ?? throw new FormatException("'node' is null."))
            {
                Waiting = Enum.Parse<IvrWaiting>(waiting),
                Retries = root.GetProperty("retries").GetInt32(),
                Priority = root.TryGetProperty("priority", out var priority) ? priority.GetInt32() : null,
                Outcome = root.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null,
                Variables = root.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                Skills = root.GetProperty("skills").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new FormatException($"Not a stored IVR session: {ex.Message}", ex);
        }
    }

    private static string Required(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new FormatException($"'{name}' is missing or empty.");
}
