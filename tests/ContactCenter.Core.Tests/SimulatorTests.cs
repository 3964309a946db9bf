using ContactCenter.Core.Routing;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests;

/// <summary>The production ACD, driven by the simulator, behaves as queueing theory says an M/M/N queue must.</summary>
public sealed class SimulatorTests
{
    [Fact]
    public async Task A_single_fifo_queue_without_abandonment_matches_erlang_c_within_statistical_tolerance()
    {
        // 5 Erlangs on 7 agents (71 % occupancy); eight independent replications of 30 hours each.
        var replications = await Task.WhenAll(Enumerable.Range(1, 8).Select(seed => Task.Run(() =>
            new ErlangSimulation(new ErlangScenario(100, 180, 7, 20, 30, seed)).RunAsync())));
        var expected = ErlangC.Predict(100, 180, 7, 20);

        AssertAgrees("p_wait", replications.Select(r => r.ProbabilityOfWaiting), expected.ProbabilityOfWaiting);
        AssertAgrees("asa_seconds", replications.Select(r => r.AverageSpeedOfAnswerSeconds), expected.AverageSpeedOfAnswerSeconds);
        AssertAgrees("service_level", replications.Select(r => r.ServiceLevel), expected.ServiceLevel);
        AssertAgrees("occupancy", replications.Select(r => r.Occupancy), expected.Occupancy);
        Assert.All(replications, r => Assert.Equal(0, r.Lost));
        Assert.All(replications, r => Assert.Equal(r.Contacts, r.Answered));
        Assert.All(replications, r => Assert.Equal(1, r.MaxAgentLoad));
    }

    [Fact]
    public async Task With_impatient_customers_an_overloaded_queue_stays_bounded_and_loses_nothing()
    {
        // 8 Erlangs on 6 agents would grow for ever; abandonment keeps it stable.
        var result = await new ErlangSimulation(new ErlangScenario(160, 180, 6, 20, 10, 3) { PatienceSeconds = 60 }).RunAsync();

        Assert.True(result.Abandoned > result.Contacts / 10, $"expected many abandons, got {result.Abandoned} of {result.Contacts}");
        Assert.Equal(result.Contacts, result.Answered + result.Abandoned);
        Assert.Equal(0, result.Lost);
        Assert.InRange(result.Occupancy, 0.85, 1.0);
        Assert.Null(result.ErlangC);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_run_and_another_seed_a_different_one()
    {
        var a = await new ErlangSimulation(new ErlangScenario(120, 120, 5, 20, 3, 42)).RunAsync();
        var b = await new ErlangSimulation(new ErlangScenario(120, 120, 5, 20, 3, 42)).RunAsync();
        var c = await new ErlangSimulation(new ErlangScenario(120, 120, 5, 20, 3, 43)).RunAsync();

        Assert.Equal(a with { ErlangC = null }, b with { ErlangC = null });
        Assert.NotEqual(a.AverageSpeedOfAnswerSeconds, c.AverageSpeedOfAnswerSeconds);
    }

    [Fact]
    public async Task The_command_line_prints_one_json_object_with_the_documented_fields()
    {
        var output = new StringWriter();
        var exit = await SimulatorCommand.RunAsync(
            ["erlang", "--arrivals-per-hour", "60", "--aht-seconds", "120", "--agents", "3", "--target-seconds", "20", "--hours", "2", "--seed", "7"],
            output, new StringWriter());

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        foreach (var field in new[] { "p_wait", "asa_seconds", "service_level", "occupancy", "contacts", "lost" })
        {
            Assert.True(json.RootElement.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.True(json.RootElement.GetProperty("contacts").GetInt32() > 50);
    }

    [Theory]
    [InlineData(new[] { "erlang", "--agents", "3" }, "--arrivals-per-hour is required")]
    [InlineData(new[] { "erlang", "--arrivals-per-hour", "many", "--aht-seconds", "1", "--agents", "1", "--target-seconds", "1", "--hours", "1", "--seed", "1" }, "must be a number")]
    [InlineData(new[] { "erlang", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--agents", "10", "--target-seconds", "20", "--hours", "1", "--seed", "1" }, "grow for ever")]
    [InlineData(new[] { "erlang", "--bogus", "1" }, "Unknown option --bogus")]
    [InlineData(new[] { "staffing", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--target-seconds", "20", "--service-level", "2" }, "fraction")]
    [InlineData(new[] { "dance" }, "Unknown command")]
    public async Task Bad_command_lines_exit_2_with_the_reason_and_the_usage(string[] args, string reason)
    {
        var error = new StringWriter();
        var exit = await SimulatorCommand.RunAsync(args, new StringWriter(), error);

        Assert.Equal(2, exit);
        Assert.Contains(reason, error.ToString());
        Assert.Contains("usage:", error.ToString());
    }

    [Fact]
    public async Task The_staffing_command_answers_with_the_fewest_agents()
    {
        var output = new StringWriter();
        var exit = await SimulatorCommand.RunAsync(
            ["staffing", "--arrivals-per-hour", "200", "--aht-seconds", "180", "--target-seconds", "20", "--service-level", "0.8"], output, new StringWriter());

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal(14, json.RootElement.GetProperty("agents").GetInt32());
    }

    /// <summary>The mean of the replications is within four standard errors of the prediction, and precise enough to mean something.</summary>
    private static void AssertAgrees(string metric, IEnumerable<double> samples, double expected)
    {
        var values = samples.ToList();
        var mean = values.Average();
        var standardError = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count);
        Assert.True(standardError <= 0.1 * expected, $"{metric}: replications too noisy to judge (standard error {standardError:F4} for {expected:F4})");
        Assert.True(Math.Abs(mean - expected) <= 4 * standardError + 0.01 * expected,
            $"{metric}: simulated {mean:F4} ± {standardError:F4} (standard error) vs Erlang C {expected:F4}");
    }
}
