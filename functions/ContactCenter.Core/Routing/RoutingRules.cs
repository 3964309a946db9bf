using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContactCenter.Core.Routing;

/// <summary>One problem in a rules file, where it is: line and column (1-based) and the JSON Pointer of the value.</summary>
public sealed record RulesError(int Line, int Column, string Pointer, string Message)
{
    public override string ToString() => $"line {Line}, column {Column} ({(Pointer.Length == 0 ? "/" : Pointer)}): {Message}";
}

/// <summary>A rules file that cannot be used; every problem found is listed, each with its line.</summary>
public sealed class RulesValidationException(IReadOnlyList<RulesError> errors)
    : Exception("The routing rules are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<RulesError> Errors { get; } = errors;
}

/// <summary>A validated, versioned set of queue definitions.</summary>
public sealed partial record RoutingRules(int Version, IReadOnlyList<QueueDefinition> Queues)
{
    /// <summary>
    /// Parses and validates a rules file (JSON; comments and trailing commas allowed). Unknown properties are errors,
    /// so a typo cannot silently drop a setting. Throws <see cref="RulesValidationException"/> listing every problem.
    /// </summary>
    public static RoutingRules Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = Encoding.UTF8.GetBytes(json);
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 32 };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, options);
        }
        catch (JsonException ex)
        {
            throw new RulesValidationException([new RulesError((int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, "", $"Not valid JSON: {FirstSentence(ex.Message)}")]);
        }
        using (document)
        {
            var positions = JsonPositions.Read(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 32 });
            var reader = new RulesReader(positions);
            var rules = reader.Read(document.RootElement);
            return reader.Errors.Count > 0 ? throw new RulesValidationException(reader.Errors) : rules!;
        }
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];

    /// <summary>Walks the document, collecting every error instead of stopping at the first.</summary>
    private sealed partial class RulesReader(JsonPositions positions)
    {
        private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

        public List<RulesError> Errors { get; } = [];

        public RoutingRules? Read(JsonElement root)
        {
            if (!Object(root, "", ["version", "queues", "description"]))
            {
                return null;
            }
            var version = Int(root, "", "version", 1, int.MaxValue, required: true) ?? 0;
            var queues = new List<QueueDefinition>();
            if (Array(root, "", "queues", required: true) is { } list)
            {
                if (list.GetArrayLength() == 0)
                {
                    Error("/queues", "At least one queue is required.");
                }
                var index = 0;
                foreach (var queue in list.EnumerateArray())
                {
                    if (Queue(queue, $"/queues/{index++}") is { } definition)
                    {
                        queues.Add(definition);
                    }
                }
            }
            CrossCheck(root, queues);
            return new RoutingRules(version, queues);
        }

        private QueueDefinition? Queue(JsonElement queue, string at)
        {
            if (!Object(queue, at, ["id", "name", "requiredSkills", "policy", "priority", "offerTimeoutSeconds", "wrapUpSeconds",
                    "stickyAgentSeconds", "maxMissedOffers", "maxWaitSeconds", "businessHours", "overflow"]))
            {
                return null;
            }
            var id = String(queue, at, "id", required: true);
            if (id is not null && !QueueId().IsMatch(id))
            {
                Error($"{at}/id", $"Queue id '{id}' must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
            }
            var skills = new List<SkillRequirement>();
            if (Array(queue, at, "requiredSkills") is { } required)
            {
                var i = 0;
                foreach (var skill in required.EnumerateArray())
                {
                    var p = $"{at}/requiredSkills/{i++}";
                    if (Object(skill, p, ["skill", "minProficiency"]) && String(skill, p, "skill", required: true) is { } name)
                    {
                        skills.Add(new SkillRequirement(name, Int(skill, p, "minProficiency", 1, 10) ?? 1));
                    }
                }
            }
            var policy = String(queue, at, "policy") switch
            {
                null or "longestIdle" => DistributionPolicy.LongestIdle,
                "roundRobin" => DistributionPolicy.RoundRobin,
                "bestSkillMatch" => DistributionPolicy.BestSkillMatch,
                var other => Invalid(DistributionPolicy.LongestIdle, $"{at}/policy", $"Unknown policy '{other}'; use longestIdle, roundRobin or bestSkillMatch."),
            };
            var maxWait = Int(queue, at, "maxWaitSeconds", 1, 86_400);
            var overflow = Overflow(queue, at);
            if (maxWait is { } limit && overflow.Any(o => o.After.TotalSeconds > limit))
            {
                Error($"{at}/overflow", $"An overflow step comes after maxWaitSeconds ({limit}); it would never run.");
            }
            return id is null ? null : new QueueDefinition(id, skills, policy)
            {
                DefaultPriority = Int(queue, at, "priority", 0, 9999) ?? 0,
                OfferTimeout = TimeSpan.FromSeconds(Int(queue, at, "offerTimeoutSeconds", 1, 600) ?? 20),
                WrapUp = TimeSpan.FromSeconds(Int(queue, at, "wrapUpSeconds", 0, 3600) ?? 0),
                StickyAgentWindow = TimeSpan.FromSeconds(Int(queue, at, "stickyAgentSeconds", 0, 86_400) ?? 0),
                MaxMissedOffers = Int(queue, at, "maxMissedOffers", 0, 100) ?? 3,
                MaxWait = maxWait is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Hours = Hours(queue, at),
                Overflow = overflow,
            };
        }

        private List<OverflowRule> Overflow(JsonElement queue, string at)
        {
            var rules = new List<OverflowRule>();
            if (Array(queue, at, "overflow") is not { } list)
            {
                return rules;
            }
            var i = 0;
            foreach (var step in list.EnumerateArray())
            {
                var p = $"{at}/overflow/{i++}";
                if (!Object(step, p, ["afterSeconds", "relaxSkills", "moveTo", "offerCallback"]))
                {
                    continue;
                }
                var after = Int(step, p, "afterSeconds", 1, 86_400, required: true) ?? 0;
                if (rules.Count > 0 && after <= rules[^1].After.TotalSeconds)
                {
                    Error($"{p}/afterSeconds", $"Overflow steps must be in increasing order of afterSeconds; {after} is not after {rules[^1].After.TotalSeconds}.");
                }
                var relax = new Dictionary<string, int>(StringComparer.Ordinal);
                if (step.TryGetProperty("relaxSkills", out var skills))
                {
                    if (skills.ValueKind != JsonValueKind.Object)
                    {
                        Error($"{p}/relaxSkills", "relaxSkills must be an object of skill name to the relaxed minimum (0 drops it).");
                    }
                    else
                    {
                        foreach (var skill in skills.EnumerateObject())
                        {
                            if (Int(skills, $"{p}/relaxSkills", skill.Name, 0, 10) is { } minimum)
                            {
                                relax[skill.Name.Trim().ToLowerInvariant()] = minimum;
                            }
                        }
                    }
                }
                var moveTo = String(step, p, "moveTo");
                var callback = Bool(step, p, "offerCallback") ?? false;
                if (relax.Count == 0 && moveTo is null && !callback)
                {
                    Error(p, "An overflow step needs an action: relaxSkills, moveTo or offerCallback.");
                }
                rules.Add(new OverflowRule(TimeSpan.FromSeconds(after)) { RelaxSkills = relax, MoveToQueueId = moveTo, OfferCallback = callback });
            }
            return rules;
        }

        private BusinessHours? Hours(JsonElement queue, string at)
        {
            if (!queue.TryGetProperty("businessHours", out var hours))
            {
                return null;
            }
            var p = $"{at}/businessHours";
            if (!Object(hours, p, ["timeZone", "weekly", "holidays"]))
            {
                return null;
            }
            TimeZoneInfo? zone = null;
            if (String(hours, p, "timeZone", required: true) is { } zoneId)
            {
                try
                {
                    zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
                }
                catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
                {
                    Error($"{p}/timeZone", $"Unknown time zone '{zoneId}'; use an IANA id such as Europe/London.");
                }
            }
            var weekly = new Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly, TimeOnly)>>();
            if (hours.TryGetProperty("weekly", out var days) && Object(days, $"{p}/weekly", Days))
            {
                foreach (var day in days.EnumerateObject())
                {
                    var dp = $"{p}/weekly/{JsonPositions.Escape(day.Name)}";
                    var ranges = new List<(TimeOnly, TimeOnly)>();
                    if (day.Value.ValueKind != JsonValueKind.Array)
                    {
                        Error(dp, "A day is a list of \"HH:mm-HH:mm\" ranges (empty for closed).");
                        continue;
                    }
                    var i = 0;
                    foreach (var range in day.Value.EnumerateArray())
                    {
                        var rp = $"{dp}/{i++}";
                        var parts = range.ValueKind == JsonValueKind.String ? range.GetString()!.Split('-') : [];
                        if (parts.Length == 2 && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close) && open < close)
                        {
                            ranges.Add((open, close));
                        }
                        else
                        {
                            Error(rp, $"'{range}' is not an opening range such as \"08:00-18:00\" (open before close).");
                        }
                    }
                    weekly[(DayOfWeek)System.Array.IndexOf(Days, day.Name)] = ranges;
                }
            }
            else if (!hours.TryGetProperty("weekly", out _))
            {
                Error(p, "businessHours needs 'weekly' opening ranges.");
            }
            var holidays = new HashSet<DateOnly>();
            if (Array(hours, p, "holidays") is { } list)
            {
                var i = 0;
                foreach (var day in list.EnumerateArray())
                {
                    if (day.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(day.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        holidays.Add(date);
                    }
                    else
                    {
                        Error($"{p}/holidays/{i}", $"'{day}' is not a date such as \"2026-12-25\".");
                    }
                    i++;
                }
            }
            return zone is null ? null : new BusinessHours(zone, weekly) { Holidays = holidays };
        }

        private void CrossCheck(JsonElement root, List<QueueDefinition> queues)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < queues.Count; i++)
            {
                if (!seen.Add(queues[i].Id))
                {
                    Error($"/queues/{IndexOf(root, queues[i].Id, last: true)}/id", $"Queue id '{queues[i].Id}' is used twice.");
                }
            }
            foreach (var queue in queues)
            {
                for (var step = 0; step < queue.Overflow.Count; step++)
                {
                    if (queue.Overflow[step].MoveToQueueId is not { } target)
                    {
                        continue;
                    }
                    var at = $"/queues/{IndexOf(root, queue.Id)}/overflow/{step}/moveTo";
                    if (target == queue.Id)
                    {
                        Error(at, $"Queue '{queue.Id}' cannot overflow into itself.");
                    }
                    else if (!seen.Contains(target))
                    {
                        Error(at, $"moveTo names queue '{target}', which these rules do not define.");
                    }
                    else if (Reaches(queues, target, queue.Id))
                    {
                        Error(at, $"Overflow from '{queue.Id}' to '{target}' leads back to '{queue.Id}': contacts would move in a circle.");
                    }
                }
            }
        }

        private static bool Reaches(List<QueueDefinition> queues, string from, string goal)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([from]);
            while (pending.TryPop(out var current))
            {
                if (current == goal)
                {
                    return true;
                }
                if (visited.Add(current))
                {
                    foreach (var next in queues.Where(q => q.Id == current).SelectMany(q => q.Overflow).Select(o => o.MoveToQueueId).OfType<string>())
                    {
                        pending.Push(next);
                    }
                }
            }
            return false;
        }

        private static int IndexOf(JsonElement root, string id, bool last = false)
        {
            var found = -1;
            var index = 0;
            foreach (var queue in root.GetProperty("queues").EnumerateArray())
            {
                if (queue.ValueKind == JsonValueKind.Object && queue.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == id)
                {
                    found = index;
                    if (!last)
                    {
                        break;
                    }
                }
                index++;
            }
            return found;
        }

        private bool Object(JsonElement element, string at, IReadOnlyCollection<string> allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(at, $"Expected an object, found {Describe(element)}.");
                return false;
            }
            foreach (var property in element.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
            {
                Error($"{at}/{JsonPositions.Escape(property.Name)}", $"Unknown property '{property.Name}'. Allowed here: {string.Join(", ", allowed)}.");
            }
            return true;
        }

        /// <summary>The property's value; a missing one is an error only when required.</summary>
        private bool TryProperty(JsonElement parent, string at, string name, bool required, out JsonElement value)
        {
            if (parent.TryGetProperty(name, out value))
            {
                return true;
            }
            if (required)
            {
                Error(at, $"'{name}' is required.");
            }
            return false;
        }

        private JsonElement? Array(JsonElement parent, string at, string name, bool required = false)
        {
            if (!TryProperty(parent, at, name, required, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error($"{at}/{name}", $"'{name}' must be a list, not {Describe(value)}.");
                return null;
            }
            return value;
        }

        private string? String(JsonElement parent, string at, string name, bool required = false)
        {
            if (!TryProperty(parent, at, name, required, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                Error($"{at}/{name}", $"'{name}' must be a non-empty string, not {Describe(value)}.");
                return null;
            }
            return value.GetString()!.Trim();
        }

        private int? Int(JsonElement parent, string at, string name, int min, int max, bool required = false)
        {
            if (!TryProperty(parent, at, name, required, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            {
                Error($"{at}/{JsonPositions.Escape(name)}", $"'{name}' must be a whole number, not {Describe(value)}.");
                return null;
            }
            if (number < min || number > max)
            {
                Error($"{at}/{JsonPositions.Escape(name)}", $"'{name}' is {number}; it must be between {min} and {max}.");
                return null;
            }
            return number;
        }

        private bool? Bool(JsonElement parent, string at, string name)
        {
            if (!TryProperty(parent, at, name, required: false, out var value))
            {
                return null;
            }
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Error($"{at}/{name}", $"'{name}' must be true or false, not {Describe(value)}.");
                return null;
            }
            return value.GetBoolean();
        }

        private T Invalid<T>(T fallback, string at, string message)
        {
            Error(at, message);
            return fallback;
        }

        private void Error(string pointer, string message)
        {
            var (line, column) = positions.Of(pointer);
            Errors.Add(new RulesError(line, column, pointer, message));
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{value.GetString()}\"",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };

        [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
        private static partial Regex QueueId();
    }
}
