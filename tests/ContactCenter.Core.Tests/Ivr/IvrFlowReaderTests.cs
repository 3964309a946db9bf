using ContactCenter.Core.Ivr;
using static ContactCenter.Core.Tests.Ivr.IvrTestFiles;

namespace ContactCenter.Core.Tests.Ivr;

public sealed class IvrFlowReaderTests
{
    private static readonly string[] Queues = ["billing", "general"];

    private const string Valid = """
        {
          // Comments and trailing commas are allowed: flows are written by people.
          "version": 3,
          "flows": [
            {
              "id": "main",
              "entry": "hello",
              "nodes": {
                "hello": { "type": "play", "text": "Hello.", "voice": "en-GB-SoniaNeural", "language": "en-GB", "next": "menu" },
                "menu": {
                  "type": "menu",
                  "prompt": { "audioUrl": "https://example.com/menu.wav" },
                  "options": [
                    { "digit": "1", "phrases": ["Billing ", "my  invoice"], "next": "account" },
                    { "digit": "2", "next": "other" },
                    { "phrases": ["repeat"], "next": "menu" },
                  ],
                  "timeoutSeconds": 7,
                  "maxRetries": 1,
                  "fallback": "general"
                },
                "account": {
                  "type": "collectDigits", "prompt": "Account number?", "minDigits": 4, "maxDigits": 6, "terminator": "#",
                  "variable": "account", "pattern": "[0-9]+", "invalid": "Not valid.", "next": "general", "fallback": "general"
                },
                "general": { "type": "queue", "queue": "general", "priority": 5, "skills": { "Spanish": 3 } },
                "other": { "type": "goto", "flow": "second" }
              }
            },
            {
              "id": "second",
              "entry": "bye",
              "nodes": { "bye": { "type": "hangup", "text": "Goodbye." } }
            }
          ]
        }
        """;

    [Fact]
    public void A_valid_file_becomes_flows_with_every_property_read()
    {
        var flows = IvrFlows.Parse(Valid, Queues);

        Assert.Equal(3, flows.Version);
        Assert.Equal(["main", "second"], flows.Flows.Select(f => f.Id));
        var main = flows.Find("main")!;
        Assert.Equal("hello", main.Entry);
        var hello = Assert.IsType<PlayNode>(main.Nodes["hello"]);
        Assert.Equal(new IvrPrompt("Hello.", null, "en-GB-SoniaNeural", "en-GB"), hello.Prompt);
        var menu = Assert.IsType<MenuNode>(main.Nodes["menu"]);
        Assert.Equal("https://example.com/menu.wav", menu.Prompt.AudioUrl);
        Assert.Equal(["billing", "my invoice"], menu.Options[0].Phrases);
        Assert.Equal("2", menu.Options[1].Digit);
        Assert.Null(menu.Options[2].Digit);
        Assert.Equal(new Retry(TimeSpan.FromSeconds(7), 1, null, null, "general"), menu.Retry);
        var account = Assert.IsType<CollectDigitsNode>(main.Nodes["account"]);
        Assert.Equal((4, 6, '#', "account", "[0-9]+", "Not valid."), (account.MinDigits, account.MaxDigits, account.Terminator, account.Variable, account.Pattern, account.Retry.NoMatch?.Text));
        var queue = Assert.IsType<QueueNode>(main.Nodes["general"]);
        Assert.Equal(("general", 5, 3), (queue.QueueId, queue.Priority, queue.Skills["spanish"]));
        Assert.Equal("second", Assert.IsType<GotoNode>(main.Nodes["other"]).FlowId);
        Assert.Equal("Goodbye.", Assert.IsType<HangUpNode>(flows.Find("second")!.Nodes["bye"]).Goodbye!.Text);
    }

    [Fact]
    public void The_shipped_flows_file_validates_against_the_shipped_routing_rules()
    {
        var queues = ContactCenter.Core.Routing.RoutingRules.Parse(File.ReadAllText(RoutingRulesPath)).Queues.Select(q => q.Id).ToList();

        var flows = IvrFlows.Parse(File.ReadAllText(FlowsPath), queues);

        Assert.NotNull(flows.Find("main"));
    }

    [Fact]
    public void An_unknown_node_type_is_reported_at_its_type_with_the_known_types()
    {
        var json = Valid.Replace("\"type\": \"goto\"", "\"type\": \"jump\"", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/0/nodes/other/type", error.Pointer);
        Assert.Equal(At(json, "\"type\": \"jump\""), (error.Line, error.Column));
        Assert.Contains("Unknown node type 'jump'", error.Message);
        Assert.Contains("collectDigits", error.Message);
    }

    [Fact]
    public void A_missing_next_is_reported_at_its_node()
    {
        var json = Valid.Replace("\"language\": \"en-GB\", \"next\": \"menu\" }", "\"language\": \"en-GB\" }", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/0/nodes/hello", error.Pointer);
        Assert.Equal(At(json, "\"hello\": {"), (error.Line, error.Column));
        Assert.Equal("'next' is required.", error.Message);
    }

    [Fact]
    public void A_next_naming_no_node_is_reported_at_that_property()
    {
        var json = Valid.Replace("\"next\": \"other\"", "\"next\": \"elsewhere\"", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/0/nodes/menu/options/1/next", error.Pointer);
        Assert.Equal(At(json, "\"next\": \"elsewhere\""), (error.Line, error.Column));
        Assert.Equal("'next' names node 'elsewhere', which flow 'main' does not define.", error.Message);
    }

    [Fact]
    public void An_entry_or_goto_naming_nothing_is_reported()
    {
        var json = Valid.Replace("\"entry\": \"bye\"", "\"entry\": \"hi\"", StringComparison.Ordinal).Replace("\"flow\": \"second\"", "\"flow\": \"third\"", StringComparison.Ordinal);

        var errors = Errors(json);

        Assert.Contains(errors, e => e.Pointer == "/flows/1/entry" && e.Message.Contains("'hi'") && (e.Line, e.Column) == At(json, "\"entry\": \"hi\""));
        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/other/flow" && e.Message.Contains("flow 'third'"));
    }

    [Fact]
    public void A_queue_the_routing_rules_do_not_define_is_reported_with_the_known_queues()
    {
        var error = Single(Valid, ["billing"]);

        Assert.Equal("/flows/0/nodes/general/queue", error.Pointer);
        Assert.Equal(At(Valid, "\"queue\": \"general\""), (error.Line, error.Column));
        Assert.Equal("Queue 'general' is not defined in the routing rules (known: billing).", error.Message);
        // Without queue ids (a file checked on its own) any queue name is accepted.
        Assert.NotNull(IvrFlows.Parse(Valid));
    }

    [Fact]
    public void A_loop_that_never_waits_for_the_caller_is_refused_and_one_through_a_menu_is_not()
    {
        var json = Valid.Replace("\"bye\": { \"type\": \"hangup\", \"text\": \"Goodbye.\" }",
            "\"bye\": { \"type\": \"play\", \"text\": \"Still here.\", \"next\": \"again\" }, \"again\": { \"type\": \"setPriority\", \"priority\": 1, \"next\": \"bye\" }",
            StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/1/nodes/again/next", error.Pointer);
        Assert.Contains("Loop without a node that waits for the caller", error.Message);
        Assert.Contains("bye → again → bye", error.Message);
        // "repeat" leads back to the menu itself: the caller is asked again each time round, so that loop is fine.
        Assert.Contains(IvrFlows.Parse(Valid).Find("main")!.Nodes["menu"].Exits, e => e.Target == "menu");
    }

    [Fact]
    public void A_loop_across_flows_through_goto_is_found()
    {
        var json = Valid.Replace("\"bye\": { \"type\": \"hangup\", \"text\": \"Goodbye.\" }", "\"bye\": { \"type\": \"goto\", \"flow\": \"main\" }", StringComparison.Ordinal)
            .Replace("\"entry\": \"hello\"", "\"entry\": \"other\"", StringComparison.Ordinal)
            .Replace("\"type\": \"play\", \"text\": \"Hello.\", \"voice\": \"en-GB-SoniaNeural\", \"language\": \"en-GB\", \"next\": \"menu\"", "\"type\": \"goto\", \"flow\": \"second\"", StringComparison.Ordinal);

        var errors = Errors(json);

        Assert.Contains(errors, e => e.Message.Contains("Loop without a node that waits") && e.Message.Contains("second:bye"));
    }

    [Theory]
    [InlineData("\"digit\": \"1\"", "\"digit\": \"12\"", "/flows/0/nodes/menu/options/0/digit", "'12' is not a phone key")]
    [InlineData("\"digit\": \"2\", \"next\"", "\"digit\": \"1\", \"next\"", "/flows/0/nodes/menu/options/1/digit", "Digit '1' is already used")]
    [InlineData("\"terminator\": \"#\"", "\"terminator\": \"x\"", "/flows/0/nodes/account/terminator", "'x' is not a phone key")]
    [InlineData("\"minDigits\": 4", "\"minDigits\": 8", "/flows/0/nodes/account/minDigits", "'minDigits' (8) is more than 'maxDigits' (6)")]
    [InlineData("\"pattern\": \"[0-9]+\"", "\"pattern\": \"[0-9\"", "/flows/0/nodes/account/pattern", "is not a valid regular expression")]
    [InlineData("\"timeoutSeconds\": 7", "\"timeoutSeconds\": 600", "/flows/0/nodes/menu/timeoutSeconds", "'timeoutSeconds' is 600; it must be between 1 and 60")]
    [InlineData("\"priority\": 5", "\"priority\": \"high\"", "/flows/0/nodes/general/priority", "'priority' must be a whole number")]
    [InlineData("\"Spanish\": 3", "\"Spanish\": 11", "/flows/0/nodes/general/skills/Spanish", "it must be between 1 and 10")]
    [InlineData("\"variable\": \"account\"", "\"variable\": \"1st\"", "/flows/0/nodes/account/variable", "Variable name '1st'")]
    [InlineData("\"audioUrl\": \"https://example.com/menu.wav\"", "\"audioUrl\": \"ftp://example.com/menu.wav\"", "/flows/0/nodes/menu/prompt/audioUrl", "not an absolute http(s) URL")]
    [InlineData("\"language\": \"en-GB\"", "\"language\": \"English\"", "/flows/0/nodes/hello/language", "not a language tag")]
    [InlineData("\"flow\": \"second\" }", "\"flow\": \"second\", \"colour\": \"red\" }", "/flows/0/nodes/other/colour", "Unknown property 'colour'")]
    [InlineData("\"phrases\": [\"repeat\"]", "\"phrases\": [\"my invoice\"]", "/flows/0/nodes/menu/options/2/phrases/0", "Phrase 'my invoice' is already used")]
    public void A_bad_value_is_reported_at_its_line_and_column_with_its_pointer(string good, string bad, string pointer, string message)
    {
        var json = Valid.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var error = Single(json);

        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(message, error.Message);
        // The error points at the property named last in the pointer, or at the list item it numbers.
        var last = pointer.Split('/')[^1];
        var offset = int.TryParse(last, out _) ? bad.IndexOf('[', StringComparison.Ordinal) + 1 : bad.IndexOf($"\"{last}\"", StringComparison.Ordinal);
        var (line, column) = At(json, bad);
        Assert.Equal((line, column + offset), (error.Line, error.Column));
    }

    [Fact]
    public void Duplicate_flow_and_node_ids_are_reported()
    {
        var json = Valid.Replace("\"id\": \"second\"", "\"id\": \"main\"", StringComparison.Ordinal)
            .Replace("\"other\": { \"type\": \"goto\", \"flow\": \"second\" }", "\"other\": { \"type\": \"hangup\" }, \"other\": { \"type\": \"hangup\" }", StringComparison.Ordinal);

        var errors = Errors(json);

        Assert.Contains(errors, e => e.Pointer == "/flows/1/id" && e.Message == "Flow id 'main' is used twice." && (e.Line, e.Column) == At(json, "\"id\": \"main\",\n      \"entry\": \"bye\""));
        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/other" && e.Message == "Node id 'other' is used twice.");
    }

    [Fact]
    public void Bad_business_hours_are_each_reported()
    {
        var json = Valid.Replace("\"general\": { \"type\": \"queue\"", """
            "hours": {
              "type": "businessHours",
              "hours": { "timeZone": "Mars/Olympus", "weekly": { "mon": ["18:00-08:00"], "funday": [] }, "holidays": ["25/12/2026"] },
              "open": "general", "closed": "general"
            },
            "general": { "type": "queue"
            """, StringComparison.Ordinal).Replace("\"next\": \"general\", \"fallback\"", "\"next\": \"hours\", \"fallback\"", StringComparison.Ordinal);

        var errors = Errors(json);

        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/hours/hours/timeZone" && e.Message.Contains("Unknown time zone 'Mars/Olympus'") && e.Line == At(json, "Mars/Olympus").Line);
        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/hours/hours/weekly/mon/0" && e.Message.Contains("'18:00-08:00' is not an opening range"));
        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/hours/hours/weekly/funday" && e.Message.Contains("Unknown property 'funday'"));
        Assert.Contains(errors, e => e.Pointer == "/flows/0/nodes/hours/hours/holidays/0" && e.Message.Contains("'25/12/2026' is not a date"));
    }

    [Fact]
    public void Business_hours_need_exactly_one_of_hours_or_queue()
    {
        var json = Valid.Replace("\"other\": { \"type\": \"goto\", \"flow\": \"second\" }",
            "\"other\": { \"type\": \"businessHours\", \"open\": \"general\", \"closed\": \"general\" }", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/0/nodes/other", error.Pointer);
        Assert.Contains("exactly one of 'hours'", error.Message);
    }

    [Fact]
    public void A_missing_version_is_reported_at_the_top()
    {
        var json = Valid.Replace("\"version\": 3,", "", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal(("", 1, 1, "'version' is required."), (error.Pointer, error.Line, error.Column, error.Message));
    }

    [Fact]
    public void Text_that_is_not_json_is_reported_at_the_broken_place()
    {
        var error = Single("{\n  \"version\": 1,\n  \"flows\": [ }\n");

        Assert.Equal(3, error.Line);
        Assert.StartsWith("Not valid JSON", error.Message);
    }

    [Fact]
    public void An_unreachable_node_is_refused_as_a_likely_typo()
    {
        var json = Valid.Replace("\"other\": { \"type\": \"goto\"", "\"orphan\": { \"type\": \"hangup\" },\n        \"other\": { \"type\": \"goto\"", StringComparison.Ordinal);

        var error = Single(json);

        Assert.Equal("/flows/0/nodes/orphan", error.Pointer);
        Assert.Equal(At(json, "\"orphan\""), (error.Line, error.Column));
        Assert.Equal("Node 'orphan' cannot be reached from the entry 'hello' of flow 'main'.", error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_the_exception_message_lists_them_with_lines()
    {
        var json = Valid.Replace("\"digit\": \"1\"", "\"digit\": \"A\"", StringComparison.Ordinal).Replace("\"queue\": \"general\"", "\"queue\": \"nowhere\"", StringComparison.Ordinal);

        var exception = Assert.Throws<IvrFlowValidationException>(() => IvrFlows.Parse(json, Queues));

        Assert.Equal(2, exception.Errors.Count);
        Assert.Contains($"line {At(json, "\"digit\": \"A\"").Line}, column", exception.Message);
        Assert.Contains("(/flows/0/nodes/general/queue): Queue 'nowhere'", exception.Message);
    }

    private static List<IvrFlowError> Errors(string json, string[]? queues = null) =>
        Assert.Throws<IvrFlowValidationException>(() => IvrFlows.Parse(json, queues ?? Queues)).Errors.ToList();

    private static IvrFlowError Single(string json, string[]? queues = null)
    {
        var errors = Errors(json, queues);
        Assert.True(errors.Count == 1, "expected one error, got: " + string.Join("; ", errors));
        return errors[0];
    }
}
