using System.Text.Json;
using System.Text.RegularExpressions;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Ivr;

/// <summary>One problem in a flows file, where it is: line and column (1-based) and the JSON Pointer of the value.</summary>
public sealed record IvrFlowError(int Line, int Column, string Pointer, string Message)
{
    public override string ToString() => $"line {Line}, column {Column} ({(Pointer.Length == 0 ? "/" : Pointer)}): {Message}";
}

/// <summary>A flows file that cannot be used; every problem found is listed, each with its line.</summary>
public sealed class IvrFlowValidationException(IReadOnlyList<IvrFlowError> errors)
    : Exception("The IVR flows are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<IvrFlowError> Errors { get; } = errors;
}

/// <summary>
/// Reads the IVR flow language (JSON; comments and trailing commas allowed) with the same strictness as the routing
/// rules: unknown properties are errors, every problem is reported with its line and column, and a file is used whole
/// or not at all. Unreachable nodes are errors too: in a reviewed file they are almost always a mistyped target.
/// </summary>
public static partial class IvrFlowReader
{
    /// <summary>
    /// Parses and validates a flows file. With <paramref name="knownQueueIds"/>, every queue a flow names must be one of
    /// them. Throws <see cref="IvrFlowValidationException"/> listing every problem.
    /// </summary>
    public static IvrFlows Parse(string json, IReadOnlyCollection<string>? knownQueueIds = null) => new Reader(knownQueueIds).Parse(json);

    /// <summary>Lower case, single spaces: how phrases are compared, in the file and from the recognizer.</summary>
    public static string NormalizePhrase(string phrase) => string.Join(' ', phrase.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static bool IsDtmf(char c) => c is (>= '0' and <= '9') or '*' or '#';

    /// <summary>Walks the document, collecting every error instead of stopping at the first.</summary>
    private sealed partial class Reader(IReadOnlyCollection<string>? knownQueues) : JsonSchemaReader<IvrFlows>
    {
        private static readonly string[] PromptProperties = ["text", "audioUrl", "voice", "language"];
        private static readonly string[] AskProperties = ["prompt", "timeoutSeconds", "maxRetries", "noInput"];

        private static readonly Dictionary<string, string[]> NodeProperties = new(StringComparer.Ordinal)
        {
            ["play"] = [.. PromptProperties, "next"],
            ["menu"] = [.. AskProperties, "options", "noMatch", "fallback"],
            ["collectDigits"] = [.. AskProperties, "minDigits", "maxDigits", "terminator", "variable", "pattern", "invalid", "next", "fallback"],
            ["speechChoices"] = [.. AskProperties, "choices", "noMatch", "fallback"],
            ["businessHours"] = ["hours", "queue", "open", "closed"],
            ["setSkills"] = ["skills", "next"],
            ["setPriority"] = ["priority", "next"],
            ["queue"] = ["queue", "priority", "skills"],
            ["offerCallback"] = ["prompt", "acceptDigit", "queue", "timeoutSeconds", "accepted", "declined"],
            ["transfer"] = ["to", "agent"],
            ["voicemail"] = ["prompt", "maxSeconds", "queue"],
            ["hangup"] = PromptProperties,
            ["goto"] = ["flow"],
        };

        protected override Exception Refuse(IReadOnlyList<JsonSchemaError> errors) =>
            new IvrFlowValidationException(errors.Select(e => new IvrFlowError(e.Line, e.Column, e.Pointer, e.Message)).ToList());

        protected override IvrFlows? Read(JsonElement root)
        {
            if (!Object(root, "", ["version", "flows", "description"]))
            {
                return null;
            }
            var version = Int(root, "", "version", 1, int.MaxValue, required: true) ?? 0;
            var flows = new List<(IvrFlow Flow, string At, HashSet<string> Declared)>();
            if (Array(root, "", "flows", required: true) is { } list)
            {
                if (list.GetArrayLength() == 0)
                {
                    Error("/flows", "At least one flow is required.");
                }
                var index = 0;
                foreach (var element in list.EnumerateArray())
                {
                    var at = $"/flows/{index++}";
                    if (Flow(element, at) is { } flow)
                    {
                        if (flows.Any(f => f.Flow.Id == flow.Flow.Id))
                        {
                            Error($"{at}/id", $"Flow id '{flow.Flow.Id}' is used twice.");
                        }
                        flows.Add((flow.Flow, at, flow.Declared));
                    }
                }
            }
            var clean = Errors.Count == 0;
            CheckTargets(flows);
            // Reachability and loops are only meaningful once every node reads cleanly; before that they add noise.
            if (clean && Errors.Count == 0)
            {
                CheckReachable(flows);
                CheckLoops(flows);
            }
            return new IvrFlows(version, flows.Select(f => f.Flow).ToList());
        }

        private (IvrFlow Flow, HashSet<string> Declared)? Flow(JsonElement element, string at)
        {
            if (!Object(element, at, ["id", "entry", "nodes", "description"]))
            {
                return null;
            }
            var id = Identifier(element, at, "id");
            var entry = String(element, at, "entry", required: true);
            var nodes = new Dictionary<string, IvrNode>(StringComparer.Ordinal);
            var declared = new HashSet<string>(StringComparer.Ordinal);
            if (TryProperty(element, at, "nodes", required: true, out var map))
            {
                if (map.ValueKind != JsonValueKind.Object || !map.EnumerateObject().Any())
                {
                    Error($"{at}/nodes", "'nodes' must be an object of node id to node, with at least one node.");
                }
                else
                {
                    foreach (var property in map.EnumerateObject())
                    {
                        var nodeAt = $"{at}/nodes/{JsonPositions.Escape(property.Name)}";
                        if (!NodeId().IsMatch(property.Name))
                        {
                            Error(nodeAt, $"Node id '{property.Name}' must be 1-64 letters, digits, '-' or '_', starting with a letter.");
                        }
                        if (!declared.Add(property.Name))
                        {
                            Error(nodeAt, $"Node id '{property.Name}' is used twice.");
                            continue;
                        }
                        if (Node(property.Value, nodeAt, property.Name) is { } node)
                        {
                            nodes[property.Name] = node;
                        }
                    }
                }
            }
            if (entry is not null && declared.Count > 0 && !declared.Contains(entry))
            {
                Error($"{at}/entry", $"'entry' names node '{entry}', which this flow does not define.");
            }
            return id is null || entry is null ? null : (new IvrFlow(id, entry, nodes), declared);
        }

        private IvrNode? Node(JsonElement node, string at, string id)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                Error(at, $"A node is an object with a 'type', not {Describe(node)}.");
                return null;
            }
            var type = String(node, at, "type", required: true);
            if (type is null)
            {
                return null;
            }
            if (!NodeProperties.TryGetValue(type, out var allowed))
            {
                Error($"{at}/type", $"Unknown node type '{type}'. Known types: {string.Join(", ", NodeProperties.Keys)}.");
                return null;
            }
            Object(node, at, ["type", "description", .. allowed]);
            return type switch
            {
                "play" => Build(FlatPrompt(node, at, required: true), Target(node, at, "next"), (p, n) => new PlayNode(id, p, n)),
                "menu" => Menu(node, at, id),
                "collectDigits" => CollectDigits(node, at, id),
                "speechChoices" => SpeechChoices(node, at, id),
                "businessHours" => Hours(node, at, id),
                "setSkills" => Build(Skills(node, at, required: true), Target(node, at, "next"), (s, n) => new SetSkillsNode(id, s, n)),
                "setPriority" => Build(Int(node, at, "priority", 0, 9999, required: true), Target(node, at, "next"), (p, n) => new SetPriorityNode(id, p!.Value, n)),
                "queue" => Queue(node, at, id),
                "offerCallback" => OfferCallback(node, at, id),
                "transfer" => Transfer(node, at, id),
                "voicemail" => Build(Prompt(node, at, "prompt", required: true), QueueId(node, at, "queue"),
                    (p, q) => new VoicemailNode(id, p, Int(node, at, "maxSeconds", 5, 600) ?? 120, q)),
                "hangup" => new HangUpNode(id, FlatPrompt(node, at, required: false)),
                _ => String(node, at, "flow", required: true) is { } flow ? new GotoNode(id, flow) : null,
            };
        }

        private static TNode? Build<TA, TB, TNode>(TA? a, TB? b, Func<TA, TB, TNode> build) where TNode : class =>
            a is null || b is null ? null : build(a, b);

        private MenuNode? Menu(JsonElement node, string at, string id)
        {
            var prompt = Prompt(node, at, "prompt", required: true);
            var retry = Retry(node, at, "noMatch");
            var options = new List<MenuOption>();
            var digits = new HashSet<char>();
            var phrases = new HashSet<string>(StringComparer.Ordinal);
            if (Array(node, at, "options", required: true) is { } list)
            {
                if (list.GetArrayLength() == 0)
                {
                    Error($"{at}/options", "A menu needs at least one option.");
                }
                var i = 0;
                foreach (var element in list.EnumerateArray())
                {
                    var p = $"{at}/options/{i++}";
                    if (!Object(element, p, ["digit", "phrases", "next"]))
                    {
                        continue;
                    }
                    var digit = element.TryGetProperty("digit", out _) ? Digit(element, p, "digit") : null;
                    if (digit is { } d && !digits.Add(d))
                    {
                        Error($"{p}/digit", $"Digit '{d}' is already used by another option of this menu.");
                    }
                    var said = Phrases(element, p, phrases, required: false);
                    if (!element.TryGetProperty("digit", out _) && said.Count == 0 && !element.TryGetProperty("phrases", out _))
                    {
                        Error(p, "An option needs a 'digit', 'phrases', or both.");
                    }
                    if (Target(element, p, "next") is { } next)
                    {
                        options.Add(new MenuOption(digit?.ToString(), said, next));
                    }
                }
            }
            return prompt is null || retry is null ? null : new MenuNode(id, prompt, options, retry);
        }

        private CollectDigitsNode? CollectDigits(JsonElement node, string at, string id)
        {
            var prompt = Prompt(node, at, "prompt", required: true);
            var retry = Retry(node, at, "invalid");
            var min = Int(node, at, "minDigits", 1, 32) ?? 1;
            var max = Int(node, at, "maxDigits", 1, 32, required: true);
            if (max is { } m && min > m)
            {
                Error($"{at}/minDigits", $"'minDigits' ({min}) is more than 'maxDigits' ({m}).");
            }
            char? terminator = node.TryGetProperty("terminator", out _) ? Digit(node, at, "terminator") : null;
            var variable = String(node, at, "variable", required: true);
            if (variable is not null && !VariableName().IsMatch(variable))
            {
                Error($"{at}/variable", $"Variable name '{variable}' must be 1-64 letters, digits or '_', starting with a letter.");
            }
            var pattern = String(node, at, "pattern");
            if (pattern is not null)
            {
                try
                {
                    _ = DigitPatterns.Get(pattern);
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                {
                    Error($"{at}/pattern", $"'{pattern}' is not a valid regular expression: {ex.Message}");
                }
            }
            var next = Target(node, at, "next");
            return prompt is null || retry is null || max is null || variable is null || next is null ? null
                : new CollectDigitsNode(id, prompt, min, max.Value, terminator, variable, pattern, retry, next);
        }

        private SpeechChoicesNode? SpeechChoices(JsonElement node, string at, string id)
        {
            var prompt = Prompt(node, at, "prompt", required: true);
            var retry = Retry(node, at, "noMatch");
            var choices = new List<SpeechChoice>();
            var phrases = new HashSet<string>(StringComparer.Ordinal);
            if (Array(node, at, "choices", required: true) is { } list)
            {
                if (list.GetArrayLength() == 0)
                {
                    Error($"{at}/choices", "speechChoices needs at least one choice.");
                }
                var i = 0;
                foreach (var element in list.EnumerateArray())
                {
                    var p = $"{at}/choices/{i++}";
                    if (Object(element, p, ["phrases", "next"]))
                    {
                        var said = Phrases(element, p, phrases, required: true);
                        if (Target(element, p, "next") is { } next)
                        {
                            choices.Add(new SpeechChoice(said, next));
                        }
                    }
                }
            }
            return prompt is null || retry is null ? null : new SpeechChoicesNode(id, prompt, choices, retry);
        }

        private Retry? Retry(JsonElement node, string at, string noMatchProperty)
        {
            var timeout = Int(node, at, "timeoutSeconds", 1, 60) ?? 5;
            var retries = Int(node, at, "maxRetries", 0, 10) ?? 2;
            var noInput = Prompt(node, at, "noInput", required: false);
            var noMatch = Prompt(node, at, noMatchProperty, required: false);
            return Target(node, at, "fallback") is { } fallback ? new Retry(TimeSpan.FromSeconds(timeout), retries, noInput, noMatch, fallback) : null;
        }

        private BusinessHoursNode? Hours(JsonElement node, string at, string id)
        {
            var hasHours = node.TryGetProperty("hours", out var hours);
            var hasQueue = node.TryGetProperty("queue", out _);
            if (hasHours == hasQueue)
            {
                Error(at, "businessHours needs exactly one of 'hours' (opening hours) or 'queue' (use that queue's hours).");
            }
            var parsed = hasHours ? WeeklyHours(hours, $"{at}/hours", "'weekly' is required.") : null;
            var queue = hasQueue ? QueueId(node, at, "queue") : null;
            var open = Target(node, at, "open");
            var closed = Target(node, at, "closed");
            return open is null || closed is null || (parsed is null && queue is null) ? null : new BusinessHoursNode(id, parsed, queue, open, closed);
        }

        private QueueNode? Queue(JsonElement node, string at, string id)
        {
            var queue = QueueId(node, at, "queue");
            var priority = Int(node, at, "priority", 0, 9999);
            var skills = Skills(node, at, required: false) ?? new Dictionary<string, int>();
            return queue is null ? null : new QueueNode(id, queue, priority, skills);
        }

        private OfferCallbackNode? OfferCallback(JsonElement node, string at, string id)
        {
            var prompt = Prompt(node, at, "prompt", required: true);
            var digit = Digit(node, at, "acceptDigit", required: true);
            var queue = QueueId(node, at, "queue");
            var timeout = Int(node, at, "timeoutSeconds", 1, 60) ?? 5;
            var accepted = Target(node, at, "accepted");
            var declined = Target(node, at, "declined");
            return prompt is null || digit is null || queue is null || accepted is null || declined is null ? null
                : new OfferCallbackNode(id, prompt, digit.Value, queue, TimeSpan.FromSeconds(timeout), accepted, declined);
        }

        private TransferNode? Transfer(JsonElement node, string at, string id)
        {
            var hasPhone = node.TryGetProperty("to", out _);
            if (hasPhone == node.TryGetProperty("agent", out _))
            {
                Error(at, "transfer needs exactly one of 'to' (an E.164 phone number) or 'agent' (an agent id).");
                return null;
            }
            if (!hasPhone)
            {
                return String(node, at, "agent") is { } agent ? new TransferNode(id, TransferKind.Agent, agent) : null;
            }
            var phone = String(node, at, "to");
            if (phone is not null && !PhoneNumber().IsMatch(phone))
            {
                Error($"{at}/to", $"'{phone}' is not an E.164 phone number such as +14255550100.");
                return null;
            }
            return phone is null ? null : new TransferNode(id, TransferKind.PhoneNumber, phone);
        }

        private Dictionary<string, int>? Skills(JsonElement node, string at, bool required)
        {
            if (!TryProperty(node, at, "skills", required, out var skills))
            {
                return null;
            }
            if (skills.ValueKind != JsonValueKind.Object || !skills.EnumerateObject().Any())
            {
                Error($"{at}/skills", "'skills' must be an object of skill name to minimum proficiency (1-10), such as { \"spanish\": 3 }.");
                return null;
            }
            var result = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var skill in skills.EnumerateObject())
            {
                if (Int(skills, $"{at}/skills", skill.Name, SkillRequirement.MinProficiency, SkillRequirement.MaxProficiency) is { } minimum)
                {
                    result[skill.Name.Trim().ToLowerInvariant()] = minimum;
                }
            }
            return result;
        }

        private List<string> Phrases(JsonElement parent, string at, HashSet<string> seen, bool required)
        {
            var phrases = new List<string>();
            if (Array(parent, at, "phrases", required) is not { } list)
            {
                return phrases;
            }
            if (list.GetArrayLength() == 0)
            {
                Error($"{at}/phrases", "'phrases' must list at least one phrase.");
            }
            var i = 0;
            foreach (var element in list.EnumerateArray())
            {
                var p = $"{at}/phrases/{i++}";
                if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
                {
                    Error(p, $"A phrase must be a non-empty string, not {Describe(element)}.");
                    continue;
                }
                var phrase = NormalizePhrase(element.GetString()!);
                if (!seen.Add(phrase))
                {
                    Error(p, $"Phrase '{phrase}' is already used by another option here.");
                }
                phrases.Add(phrase);
            }
            return phrases;
        }

        private char? Digit(JsonElement parent, string at, string name, bool required = false)
        {
            var text = String(parent, at, name, required);
            if (text is null)
            {
                return null;
            }
            if (text.Length != 1 || !IsDtmf(text[0]))
            {
                Error($"{at}/{name}", $"'{text}' is not a phone key: use one of 0-9, * or #.");
                return null;
            }
            return text[0];
        }

        /// <summary>A node the flow moves to; whether it exists is checked once all nodes are known.</summary>
        private string? Target(JsonElement parent, string at, string name) => String(parent, at, name, required: true);

        private string? QueueId(JsonElement parent, string at, string name)
        {
            var queue = String(parent, at, name, required: true);
            if (queue is not null && knownQueues is not null && !knownQueues.Contains(queue))
            {
                Error($"{at}/{name}", $"Queue '{queue}' is not defined in the routing rules (known: {string.Join(", ", knownQueues.Order(StringComparer.Ordinal))}).");
            }
            return queue;
        }

        private string? Identifier(JsonElement parent, string at, string name)
        {
            var id = String(parent, at, name, required: true);
            if (id is not null && !NodeId().IsMatch(id))
            {
                Error($"{at}/{name}", $"'{id}' must be 1-64 letters, digits, '-' or '_', starting with a letter.");
            }
            return id;
        }

        private IvrPrompt? Prompt(JsonElement parent, string at, string name, bool required)
        {
            if (!TryProperty(parent, at, name, required, out var value))
            {
                return null;
            }
            var p = $"{at}/{name}";
            if (value.ValueKind == JsonValueKind.String)
            {
                return String(parent, at, name) is { } text ? new IvrPrompt(text) : null;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                Error(p, $"'{name}' must be text, or an object with 'text' or 'audioUrl' (and optional 'voice', 'language'), not {Describe(value)}.");
                return null;
            }
            return Object(value, p, PromptProperties) ? FlatPrompt(value, p, required: true) : null;
        }

        /// <summary>A prompt written into its node: play and hangup carry text/audioUrl/voice/language directly.</summary>
        private IvrPrompt? FlatPrompt(JsonElement element, string at, bool required)
        {
            var hasText = element.TryGetProperty("text", out _);
            var hasAudio = element.TryGetProperty("audioUrl", out _);
            if (hasText && hasAudio)
            {
                Error(at, "Give either 'text' (spoken by text-to-speech) or 'audioUrl', not both.");
                return null;
            }
            if (!hasText && !hasAudio)
            {
                if (required)
                {
                    Error(at, "'text' or 'audioUrl' is required.");
                }
                return null;
            }
            var text = hasText ? String(element, at, "text") : null;
            var audio = hasAudio ? String(element, at, "audioUrl") : null;
            if (audio is not null && !(Uri.TryCreate(audio, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                Error($"{at}/audioUrl", $"'{audio}' is not an absolute http(s) URL.");
                audio = null;
            }
            var voice = String(element, at, "voice");
            var language = String(element, at, "language");
            if (language is not null && !LanguageTag().IsMatch(language))
            {
                Error($"{at}/language", $"'{language}' is not a language tag such as en-US.");
            }
            if (hasAudio && (voice is not null || language is not null))
            {
                Error(at, "'voice' and 'language' apply to 'text' only; an audio file is played as recorded.");
            }
            return text is null && audio is null ? null : new IvrPrompt(text, audio, voice, language);
        }

        private void CheckTargets(List<(IvrFlow Flow, string At, HashSet<string> Declared)> flows)
        {
            foreach (var (flow, at, declared) in flows)
            {
                foreach (var node in flow.Nodes.Values)
                {
                    var nodeAt = $"{at}/nodes/{JsonPositions.Escape(node.Id)}";
                    foreach (var (property, target) in node.Exits.Where(e => !declared.Contains(e.Target)))
                    {
                        Error($"{nodeAt}/{property}", $"'{property.Split('/')[^1]}' names node '{target}', which flow '{flow.Id}' does not define.");
                    }
                    if (node is GotoNode @goto && !flows.Any(f => f.Flow.Id == @goto.FlowId))
                    {
                        Error($"{nodeAt}/flow", $"goto names flow '{@goto.FlowId}', which this file does not define.");
                    }
                }
            }
        }

        private void CheckReachable(List<(IvrFlow Flow, string At, HashSet<string> Declared)> flows)
        {
            foreach (var (flow, at, _) in flows)
            {
                var reached = new HashSet<string>(StringComparer.Ordinal);
                var pending = new Stack<string>([flow.Entry]);
                while (pending.TryPop(out var id))
                {
                    if (reached.Add(id))
                    {
                        foreach (var (_, target) in flow.Nodes[id].Exits)
                        {
                            pending.Push(target);
                        }
                    }
                }
                foreach (var id in flow.Nodes.Keys.Where(id => !reached.Contains(id)))
                {
                    Error($"{at}/nodes/{JsonPositions.Escape(id)}", $"Node '{id}' cannot be reached from the entry '{flow.Entry}' of flow '{flow.Id}'.");
                }
            }
        }

        /// <summary>
        /// A loop must pass through a node that waits for the caller; otherwise the call would spin (or replay the same
        /// prompts) for ever. Goto edges count, so a loop across flows is found too.
        /// </summary>
        private void CheckLoops(List<(IvrFlow Flow, string At, HashSet<string> Declared)> flows)
        {
            var byId = flows.ToDictionary(f => f.Flow.Id, StringComparer.Ordinal);
            IEnumerable<(string Property, (string Flow, string Node) Target)> Next((string Flow, string Node) key)
            {
                var node = byId[key.Flow].Flow.Nodes[key.Node];
                if (node.WaitsForCaller)
                {
                    return [];
                }
                return node is GotoNode g ? [("flow", (g.FlowId, byId[g.FlowId].Flow.Entry))] : node.Exits.Select(e => (e.Property, (key.Flow, e.Target)));
            }

            var done = new HashSet<(string, string)>();
            foreach (var (flow, _, _) in flows)
            {
                foreach (var start in flow.Nodes.Keys.Select(n => (flow.Id, n)))
                {
                    var path = new List<(string Flow, string Node)>();
                    Visit(start, path);
                }
            }

            void Visit((string Flow, string Node) key, List<(string Flow, string Node)> path)
            {
                if (done.Contains(key))
                {
                    return;
                }
                path.Add(key);
                foreach (var (property, target) in Next(key))
                {
                    var index = path.IndexOf(target);
                    if (index >= 0)
                    {
                        var loop = string.Join(" → ", path.Skip(index).Append(target).Select(k => k.Flow == key.Flow ? k.Node : $"{k.Flow}:{k.Node}"));
                        Error($"{byId[key.Flow].At}/nodes/{JsonPositions.Escape(key.Node)}/{property}",
                            $"Loop without a node that waits for the caller (menu, collectDigits, speechChoices, offerCallback): {loop}.");
                    }
                    else
                    {
                        Visit(target, path);
                    }
                }
                path.RemoveAt(path.Count - 1);
                done.Add(key);
            }
        }

        [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
        private static partial Regex NodeId();

        [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
        private static partial Regex VariableName();

        [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
        private static partial Regex PhoneNumber();

        [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
        private static partial Regex LanguageTag();
    }
}
