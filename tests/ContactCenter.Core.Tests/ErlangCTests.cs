using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests;

public sealed class ErlangCTests
{
    // Reference values computed independently from the closed-form Erlang C formula (factorial sums).
    [Theory]
    [InlineData(200, 180, 11, 0.682118, 122.7813, 0.389614)]
    [InlineData(200, 180, 12, 0.449388, 40.4449, 0.640158)]
    [InlineData(200, 180, 14, 0.174132, 7.8359, 0.888350)]
    [InlineData(50, 180, 4, 0.319857, 38.3828, 0.729247)]
    [InlineData(1000, 180, 55, 0.384547, 13.8437, 0.779365)]
    public void Predictions_match_the_closed_form(double arrivalsPerHour, double aht, int agents, double pWait, double asa, double serviceLevel)
    {
        var result = ErlangC.Predict(arrivalsPerHour, aht, agents, targetAnswerSeconds: 20);

        Assert.Equal(pWait, result.ProbabilityOfWaiting, 5);
        Assert.Equal(asa, result.AverageSpeedOfAnswerSeconds, 3);
        Assert.Equal(serviceLevel, result.ServiceLevel, 5);
        Assert.Equal(arrivalsPerHour * aht / 3600 / agents, result.Occupancy, 10);
    }

    [Fact]
    public void Staffing_finds_the_fewest_agents_that_meet_the_target()
    {
        // 10 Erlangs: 13 agents give 79.6 % in 20 s, 14 give 88.8 %.
        Assert.Equal(14, ErlangC.AgentsNeeded(200, 180, targetAnswerSeconds: 20, targetServiceLevel: 0.8).Agents);
        Assert.Equal(13, ErlangC.AgentsNeeded(200, 180, targetAnswerSeconds: 20, targetServiceLevel: 0.79).Agents);
        Assert.Equal(16, ErlangC.AgentsNeeded(200, 180, 20, 0.5, maxOccupancy: 0.65).Agents);
        Assert.True(ErlangC.AgentsNeeded(200, 180, 20, 0.5, maxAverageSpeedOfAnswerSeconds: 5).AverageSpeedOfAnswerSeconds <= 5);
    }

    [Fact]
    public void Large_centres_do_not_overflow()
    {
        var result = ErlangC.AgentsNeeded(40_000, 300, 20, 0.9);
        Assert.InRange(result.Agents, 3334, 3500);
        Assert.InRange(result.ProbabilityOfWaiting, 0, 1);
    }

    [Fact]
    public void Unstable_or_meaningless_inputs_are_rejected_with_the_reason()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Predict(200, 180, 10, 20));
        Assert.Contains("At least 11", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Predict(0, 180, 5, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Predict(100, double.NaN, 5, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.AgentsNeeded(100, 180, 20, 1.0));
    }
}
