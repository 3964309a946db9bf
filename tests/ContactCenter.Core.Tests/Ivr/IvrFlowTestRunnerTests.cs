using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;
using ContactCenter.Simulator;
using static ContactCenter.Core.Tests.Ivr.IvrTestFiles;

namespace ContactCenter.Core.Tests.Ivr;

public sealed class IvrFlowTestRunnerTests
{
    private const string Flows = """
        {
          "version": 1,
          "flows": [ {
            "id": "main", "entry": "hello",
            "nodes": {
              "hello": { "type": "play", "text": "Welcome to Contoso.", "next": "menu" },
              "menu": {
                "type": "menu", "prompt": "Press 2 or say billing.",
                "options": [ { "digit": "2", "phrases": ["billing"], "next": "product" } ],
                "noMatch": "Sorry.", "fallback": "general"
              },
              "product": {
                "type": "speechChoices", "prompt": "Which product?",
                "choices": [ { "phrases": ["billing"], "next": "vip" } ], "fallback": "general"
              },
              "vip": { "type": "setPriority", "priority": 5, "next": "billing" },
              "billing": { "type": "queue", "queue": "billing", "skills": { "billing": 2 } },
              "general": { "type": "queue", "queue": "general" }
            }
          } ]
        }
        """;

    private static readonly IvrFlowTestRunner Runner = new(IvrFlows.Parse(Flows));

    [Fact]
    public void A_journey_that_matches_passes_and_says_how_the_call_ended()
    {
        var result = Runner.Run("""
            {
              "name": "press 2, say billing",
              "flow": "main",
              "at": "2026-11-23T10:00:00Z",
              "steps": [
                { "expect": { "play": "welcome" } },
                { "press": "2" },
                { "say": "billing" },
                { "expect": { "queue": "billing", "priority": 5, "skills": { "Billing": 2 } } },
                { "expect": "end" }
              ]
            }
            """, "file-name");

        Assert.True(result.Passed, result.Message);
        Assert.Equal("press 2, say billing", result.Name);
        Assert.Equal("5 steps; queued to billing", result.Message);
    }

    [Fact]
    public void A_failing_journey_reports_the_first_mismatch_with_its_step_line_and_what_happened()
    {
        var result = Runner.Run("""
            {
              "flow": "main",
              "at": "2026-11-23T10:00:00Z",
              "steps": [
                { "press": "2" },
                { "say": "billing" },
                { "expect": { "queue": "billing", "priority": 7 } },
                { "expect": { "queue": "never checked" } }
              ]
            }
            """, "wrong-priority");

        Assert.False(result.Passed);
        Assert.Equal("wrong-priority", result.Name);
        Assert.Equal("step 3 (line 7, expect queue \"billing\" priority 7): expected priority 7 but got queue 'billing' (priority 5, skills billing:2).", result.Message);
    }

    [Theory]
    [InlineData("{ \"expect\": { \"prompt\": \"press 9\" } }", "step 1 (line 1, expect prompt \"press 9\"): expected prompt containing \"press 9\" but got prompt \"Press 2 or say billing.\".")]
    [InlineData("{ \"expect\": \"transfer\" }", "step 1 (line 1, expect transfer): expected transfer but the flow waits for the caller at node 'menu'; passed over: play \"Welcome to Contoso.\"; prompt \"Press 2 or say billing.\".")]
    [InlineData("\"hangUp\" ], [ \"silence\"", null)]
    public void Mismatches_name_what_the_flow_did_instead(string step, string? message)
    {
        if (message is null)
        {
            // Not a journey: the parse error names its line.
            var invalid = Runner.Run($"{{ \"flow\": \"main\", \"at\": \"2026-11-23T10:00:00Z\", \"steps\": [ {step} ] }}", "broken");
            Assert.False(invalid.Passed);
            Assert.StartsWith("journey file is invalid: line 1", invalid.Message);
            return;
        }

        var result = Runner.Run($"{{ \"flow\": \"main\", \"at\": \"2026-11-23T10:00:00Z\", \"steps\": [ {step} ] }}", "one-step");

        Assert.False(result.Passed);
        Assert.Equal(message, result.Message);
    }

    [Fact]
    public void Acting_after_the_call_ended_or_calling_an_unknown_flow_fails()
    {
        var ended = Runner.Run("""{ "flow": "main", "at": "2026-11-23T10:00:00Z", "steps": [ "hangUp", { "press": "2" } ] }""", "late");
        var unknown = Runner.Run("""{ "flow": "sales", "at": "2026-11-23T10:00:00Z", "steps": [ "silence" ] }""", "unknown");

        Assert.Equal("step 2 (line 1, press \"2\"): the call had already ended (caller hung up).", ended.Message);
        Assert.Equal("flow 'sales' is not defined (flows: main).", unknown.Message);
    }

    [Fact]
    public void Journey_files_with_unknown_steps_or_properties_are_refused_with_their_lines()
    {
        var error = Assert.Throws<FormatException>(() => IvrJourney.Parse("""
            {
              "flow": "main",
              "when": "today",
              "steps": [
                { "dial": "2" },
                { "expect": { "play": "x", "priority": 1 } }
              ]
            }
            """, "bad"));

        Assert.Contains("line 3, column 3: Unknown property 'when'", error.Message);
        Assert.Contains("line 1, column 1: 'at'", error.Message);
        Assert.Contains("line 5, column 5: A step is", error.Message);
        Assert.Contains("line 6, column 5: A step is", error.Message);
    }

    /// <summary>CI runs the shipped journeys here: a flows change that breaks a journey fails the build.</summary>
    [Fact]
    public void Every_shipped_journey_passes_against_the_shipped_flows_and_routing_rules()
    {
        var queues = new RoutingRulesCatalog(RoutingRules.Parse(File.ReadAllText(RoutingRulesPath)));
        var runner = new IvrFlowTestRunner(IvrFlows.Parse(File.ReadAllText(FlowsPath), queues.QueueIds), queues);
        var files = Directory.GetFiles(JourneysPath, "*.json");
        Assert.NotEmpty(files);

        var failures = files.Select(f => runner.Run(File.ReadAllText(f), Path.GetFileNameWithoutExtension(f))).Where(r => !r.Passed).ToList();

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task The_ivr_test_command_passes_the_shipped_journeys_and_exits_non_zero_on_a_failing_one()
    {
        var passing = new StringWriter();
        var passed = await SimulatorCommand.RunAsync(["ivr-test", "--flows", FlowsPath, "--journeys", JourneysPath, "--queues", RoutingRulesPath], passing, new StringWriter());
        Assert.Equal(0, passed);
        Assert.Contains($"{Directory.GetFiles(JourneysPath, "*.json").Length} passed, 0 failed", passing.ToString());

        var journeys = Directory.CreateTempSubdirectory("journeys-").FullName;
        File.Copy(Path.Combine(JourneysPath, "sales-by-key.json"), Path.Combine(journeys, "a-good.json"));
        await File.WriteAllTextAsync(Path.Combine(journeys, "b-bad.json"), """
            { "flow": "main", "at": "2026-11-23T10:00:00Z", "steps": [ { "press": "1" }, { "expect": { "queue": "billing" } } ] }
            """, TestContext.Current.CancellationToken);
        var failing = new StringWriter();

        var failed = await SimulatorCommand.RunAsync(["ivr-test", "--flows", FlowsPath, "--journeys", journeys, "--queues", RoutingRulesPath], failing, new StringWriter());

        Assert.Equal(1, failed);
        Assert.Contains("PASS a-good", failing.ToString());
        Assert.Contains("FAIL b-bad", failing.ToString());
        Assert.Contains("expected queue \"billing\" but got queue 'sales'", failing.ToString());
        Assert.Contains("1 passed, 1 failed", failing.ToString());
    }

    [Fact]
    public async Task The_ivr_test_command_exits_non_zero_on_flows_naming_a_queue_the_rules_lack()
    {
        var flows = Path.Combine(Directory.CreateTempSubdirectory("flows-").FullName, "ivr-flows.json");
        await File.WriteAllTextAsync(flows, (await File.ReadAllTextAsync(FlowsPath, TestContext.Current.CancellationToken))
            .Replace("\"queue\": \"billing\" }", "\"queue\": \"accounts\" }", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var output = new StringWriter();

        var exit = await SimulatorCommand.RunAsync(["ivr-test", "--flows", flows, "--journeys", JourneysPath, "--queues", RoutingRulesPath], output, new StringWriter());

        Assert.Equal(1, exit);
        Assert.Contains("Queue 'accounts' is not defined in the routing rules", output.ToString());
    }
}
