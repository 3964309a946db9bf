using System.Text.Json.Serialization;
using ContactCenter.Core.Routing;

namespace ContactCenter.Simulator;

/// <summary>One FIFO queue served by identical agents: the Erlang C setting (plus optional abandonment).</summary>
public sealed record ErlangScenario(double ArrivalsPerHour, double AhtSeconds, int Agents, double TargetSeconds, double Hours, int Seed)
{
    /// <summary>Mean customer patience; null means nobody abandons (pure Erlang C).</summary>
    public double? PatienceSeconds { get; init; }

    /// <summary>Contacts arriving in the first part of the run are not measured, so an empty start does not flatter the results.</summary>
    public double WarmupHours { get; init; } = 0.5;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(ArrivalsPerHour > 0)) errors.Add("--arrivals-per-hour must be a positive number.");
        if (!(AhtSeconds > 0)) errors.Add("--aht-seconds must be a positive number.");
        if (Agents < 1) errors.Add("--agents must be at least 1.");
        if (!(TargetSeconds >= 0)) errors.Add("--target-seconds must be zero or more.");
        if (!(Hours > 0) || Hours > 10_000) errors.Add("--hours must be more than 0 and at most 10000.");
        if (PatienceSeconds is { } p && !(p > 0)) errors.Add("--patience-seconds must be a positive number.");
        if (!(WarmupHours >= 0) || WarmupHours >= Hours) errors.Add("--warmup-hours must be zero or more and less than --hours.");
        if (PatienceSeconds is null && Agents > 0 && ArrivalsPerHour * AhtSeconds / 3600 >= Agents)
        {
            errors.Add($"{Agents} agents cannot serve {ArrivalsPerHour * AhtSeconds / 3600:F2} Erlangs without abandonment: the queue would grow for ever. Add agents or --patience-seconds.");
        }
        return errors;
    }
}

/// <summary>What the simulated queue did, beside what Erlang C predicts for it.</summary>
public sealed record SimulationResult(
    [property: JsonPropertyName("p_wait")] double ProbabilityOfWaiting,
    [property: JsonPropertyName("asa_seconds")] double AverageSpeedOfAnswerSeconds,
    [property: JsonPropertyName("service_level")] double ServiceLevel,
    [property: JsonPropertyName("occupancy")] double Occupancy,
    [property: JsonPropertyName("contacts")] int Contacts,
    [property: JsonPropertyName("answered")] int Answered,
    [property: JsonPropertyName("abandoned")] int Abandoned,
    [property: JsonPropertyName("lost")] int Lost,
    [property: JsonPropertyName("max_agent_load")] int MaxAgentLoad,
    [property: JsonPropertyName("erlang_c")] ErlangCResult? ErlangC,
    [property: JsonPropertyName("scenario")] ErlangScenario Scenario);
