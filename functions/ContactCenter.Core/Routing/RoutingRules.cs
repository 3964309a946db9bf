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
    /// <summary>The disposition codes every queue offers (each queue's <see cref="QueueDefinition.Dispositions"/> includes them).</summary>
    public IReadOnlyList<DispositionCode> Dispositions { get; init; } = [];

    /// <summary>
    /// Parses and validates a rules file (JSON; comments and trailing commas allowed). Unknown properties are errors,
    /// so a typo cannot silently drop a setting. Throws <see cref="RulesValidationException"/> listing every problem.
    /// </summary>
    public static RoutingRules Parse(string json) => new RulesReader().Parse(json);

    /// <summary>Walks the document, collecting every error instead of stopping at the first.</summary>
    private sealed partial class RulesReader : JsonSchemaReader<RoutingRules>
    {
        protected override Exception Refuse(IReadOnlyList<JsonSchemaError> errors) =>
            new RulesValidationException(errors.Select(e => new RulesError(e.Line, e.Column, e.Pointer, e.Message)).ToList());

        protected override RoutingRules? Read(JsonElement root)
        {
            if (!Object(root, "", ["version", "queues", "description", "dispositions"]))
            {
                return null;
            }
            var version = Int(root, "", "version", 1, int.MaxValue, required: true) ?? 0;
            _global = DispositionList(root, "", []);
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
            return new RoutingRules(version, queues) { Dispositions = _global };
        }

        private List<DispositionCode> _global = [];

        /// <summary>
        /// A "dispositions" list: codes as strings ("resolved") or objects ({"code": "resolved", "label": "Resolved"}).
        /// A code may appear once, counting the global list that <paramref name="inherited"/> holds for a queue.
        /// </summary>
        private List<DispositionCode> DispositionList(JsonElement parent, string at, IReadOnlyList<DispositionCode> inherited)
        {
            var codes = new List<DispositionCode>(inherited);
            if (Array(parent, at, "dispositions") is not { } list)
            {
                return codes;
            }
            if (list.GetArrayLength() > MaxDispositions)
            {
                Error($"{at}/dispositions", $"At most {MaxDispositions} disposition codes are allowed here.");
            }
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var p = $"{at}/dispositions/{i++}";
                string? code;
                string? label = null;
                if (item.ValueKind == JsonValueKind.String)
                {
                    code = item.GetString()!.Trim();
                }
                else if (item.ValueKind == JsonValueKind.Object)
                {
                    if (!Object(item, p, ["code", "label"]))
                    {
                        continue;
                    }
                    code = String(item, p, "code", required: true);
                    label = String(item, p, "label");
                    if (label is { Length: > 100 })
                    {
                        Error($"{p}/label", "A disposition label is at most 100 characters.");
                    }
                    p += "/code";
                }
                else
                {
                    Error(p, $"A disposition is a code string or an object with 'code' and 'label', not {Describe(item)}.");
                    continue;
                }
                if (code is null)
                {
                    continue;
                }
                if (!QueueId().IsMatch(code))
                {
                    Error(p, $"Disposition code '{code}' must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
                }
                else if (codes.Any(c => c.Code == code))
                {
                    Error(p, inherited.Any(c => c.Code == code)
                        ? $"Disposition code '{code}' is already in the global list, which every queue offers."
                        : $"Disposition code '{code}' is listed twice.");
                }
                else
                {
                    codes.Add(new DispositionCode(code, label ?? code));
                }
            }
            return codes;
        }

        private const int MaxDispositions = 100;

        private QueueDefinition? Queue(JsonElement queue, string at)
        {
            if (!Object(queue, at, ["id", "name", "requiredSkills", "policy", "priority", "offerTimeoutSeconds", "wrapUpSeconds",
                    "stickyAgentSeconds", "maxMissedOffers", "maxWaitSeconds", "businessHours", "overflow", "dispositions"]))
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
                Dispositions = DispositionList(queue, at, _global),
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

        private BusinessHours? Hours(JsonElement queue, string at) =>
            queue.TryGetProperty("businessHours", out var hours) ? WeeklyHours(hours, $"{at}/businessHours", "businessHours needs 'weekly' opening ranges.") : null;

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

        private T Invalid<T>(T fallback, string at, string message)
        {
            Error(at, message);
            return fallback;
        }

        [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
        private static partial Regex QueueId();
    }
}
