using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Ivr;

/// <summary>A scripted caller: which flow they call, when, and what they do and expect to hear, step by step.</summary>
public sealed record IvrJourney(string Name, string FlowId, DateTimeOffset At, IReadOnlyList<JourneyStep> Steps)
{
    /// <summary>
    /// Reads a journey file (JSON with comments). Throws <see cref="FormatException"/> naming the line and column of
    /// every problem.
    /// </summary>
    public static IvrJourney Parse(string json, string name) => JourneyReader.Parse(json, name);
}

/// <summary>One step of a journey, with the line it is written on so a failure can point at it.</summary>
public abstract record JourneyStep(int Line);

public enum CallerDoes
{
    Press,
    Say,
    Silence,
    NoMatch,
    HangUp,
}

public sealed record CallerStep(CallerDoes Does, string Value, int Line) : JourneyStep(Line)
{
    public override string ToString() => Does switch
    {
        CallerDoes.Press => $"press \"{Value}\"",
        CallerDoes.Say => $"say \"{Value}\"",
        CallerDoes.Silence => "silence",
        CallerDoes.NoMatch => "noMatch",
        _ => "hangUp",
    };
}

public enum Expected
{
    Play,
    Prompt,
    Queue,
    Callback,
    Voicemail,
    Transfer,
    HangUp,
    End,
}

/// <summary>
/// An expectation on the next action of its kind (actions of other kinds in between are passed over): text that
/// play/prompt/hangup must contain, the queue, transfer target, and the priority, skills and variables handed over.
/// </summary>
public sealed record ExpectStep(Expected What, string? Value, int Line) : JourneyStep(Line)
{
    public int? Priority { get; init; }
    public IReadOnlyDictionary<string, int>? Skills { get; init; }
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder("expect ").Append(Name(What));
        if (Value is not null)
        {
            text.Append(" \"").Append(Value).Append('"');
        }
        if (Priority is { } priority)
        {
            text.Append(" priority ").Append(priority.ToString(CultureInfo.InvariantCulture));
        }
        if (Skills is { Count: > 0 })
        {
            text.Append(" skills ").Append(string.Join(",", Skills.Select(s => $"{s.Key}:{s.Value}")));
        }
        if (Variables is { Count: > 0 })
        {
            text.Append(" variables ").Append(string.Join(",", Variables.Select(v => $"{v.Key}={v.Value}")));
        }
        return text.ToString();
    }

    internal static string Name(Expected what) => what == Expected.HangUp ? "hangup" : what.ToString().ToLowerInvariant();
}

internal static class JourneyReader
{
    private static readonly string[] Kinds = ["play", "prompt", "queue", "callback", "voicemail", "transfer", "hangup", "end"];

    public static IvrJourney Parse(string json, string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var readerOptions = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"line {(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}");
        }
        using (document)
        {
            var positions = JsonPositions.Read(utf8, readerOptions);
            var errors = new List<string>();
            void Error(string pointer, string message)
            {
                var (line, column) = positions.Of(pointer);
                errors.Add($"line {line}, column {column}: {message}");
            }

            var root = document.RootElement;
            string? flow = null;
            var at = DateTimeOffset.UnixEpoch;
            var steps = new List<JourneyStep>();
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", "A journey is an object with 'flow', 'at' and 'steps'.");
            }
            else
            {
                foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("name" or "description" or "flow" or "at" or "steps")))
                {
                    Error($"/{JsonPositions.Escape(property.Name)}", $"Unknown property '{property.Name}'. Allowed here: name, description, flow, at, steps.");
                }
                if (root.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String)
                {
                    name = named.GetString()!;
                }
                flow = root.TryGetProperty("flow", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                if (flow is null)
                {
                    Error("/flow", "'flow' (the id of the flow the caller reaches) is required.");
                }
                if (!root.TryGetProperty("at", out var time) || time.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
                {
                    Error("/at", "'at' (when the call happens, such as \"2026-11-23T10:00:00Z\") is required.");
                }
                if (!root.TryGetProperty("steps", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                {
                    Error("/steps", "'steps' must list at least one step.");
                }
                else
                {
                    var i = 0;
                    foreach (var step in list.EnumerateArray())
                    {
                        var pointer = $"/steps/{i++}";
                        if (Step(step, positions.Of(pointer).Line) is { } parsed)
                        {
                            steps.Add(parsed);
                        }
                        else
                        {
                            Error(pointer, "A step is \"silence\", \"noMatch\", \"hangUp\", {\"press\": \"12#\"}, {\"say\": \"billing\"} or {\"expect\": ...}"
                                + $" where expect is one of {string.Join(", ", Kinds)} or an object such as {{\"queue\": \"billing\", \"priority\": 5}}.");
                        }
                    }
                }
            }
            return errors.Count > 0 ? throw new FormatException(string.Join(Environment.NewLine, errors)) : new IvrJourney(name, flow!, at, steps);
        }
    }

    private static JourneyStep? Step(JsonElement step, int line)
    {
        if (step.ValueKind == JsonValueKind.String)
        {
            return step.GetString() switch
            {
                "silence" => new CallerStep(CallerDoes.Silence, "", line),
                "noMatch" => new CallerStep(CallerDoes.NoMatch, "", line),
                "hangUp" => new CallerStep(CallerDoes.HangUp, "", line),
                _ => null,
            };
        }
        if (step.ValueKind != JsonValueKind.Object || step.EnumerateObject().Count() != 1)
        {
            return null;
        }
        var property = step.EnumerateObject().Single();
        return (property.Name, property.Value.ValueKind) switch
        {
            ("press", JsonValueKind.String) when property.Value.GetString() is { Length: > 0 } keys && keys.All(IvrFlowReader.IsDtmf) => new CallerStep(CallerDoes.Press, keys, line),
            ("say", JsonValueKind.String) when property.Value.GetString() is { Length: > 0 } said => new CallerStep(CallerDoes.Say, said, line),
            ("expect", JsonValueKind.String) when System.Array.IndexOf(Kinds, property.Value.GetString()) is var kind and >= 0 => new ExpectStep((Expected)kind, null, line),
            ("expect", JsonValueKind.Object) => Expectation(property.Value, line),
            _ => null,
        };
    }

    private static ExpectStep? Expectation(JsonElement expect, int line)
    {
        ExpectStep? result = null;
        int? priority = null;
        Dictionary<string, int>? skills = null;
        Dictionary<string, string>? variables = null;
        foreach (var property in expect.EnumerateObject())
        {
            var kind = System.Array.IndexOf(Kinds, property.Name);
            if (kind >= 0 && kind < Kinds.Length - 1 && result is null && property.Value.ValueKind == JsonValueKind.String)
            {
                result = new ExpectStep((Expected)kind, property.Value.GetString(), line);
            }
            else if (property.Name == "priority" && property.Value.TryGetInt32(out var p))
            {
                priority = p;
            }
            else if (property.Name == "skills" && property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().All(s => s.Value.ValueKind == JsonValueKind.Number))
            {
                skills = property.Value.EnumerateObject().ToDictionary(s => s.Name.ToLowerInvariant(), s => s.Value.GetInt32(), StringComparer.Ordinal);
            }
            else if (property.Name == "variables" && property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().All(s => s.Value.ValueKind == JsonValueKind.String))
            {
                variables = property.Value.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetString()!, StringComparer.Ordinal);
            }
            else
            {
                return null;
            }
        }
        // priority, skills and variables describe what a contact carries: only the hand-overs have them.
        if (result is null || ((priority is not null || skills is not null || variables is not null) && result.What is not (Expected.Queue or Expected.Callback or Expected.Voicemail)))
        {
            return null;
        }
        return result with { Priority = priority, Skills = skills, Variables = variables };
    }
}
