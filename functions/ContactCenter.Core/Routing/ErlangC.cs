namespace ContactCenter.Core.Routing;

/// <summary>What Erlang C predicts for one queue served by <see cref="Agents"/> identical agents.</summary>
/// <param name="TrafficErlangs">Offered load A = arrival rate × average handle time.</param>
/// <param name="ProbabilityOfWaiting">Share of contacts that wait at all (Erlang C formula).</param>
/// <param name="AverageSpeedOfAnswerSeconds">Mean wait over all contacts, answered immediately or not.</param>
/// <param name="ServiceLevel">Share of contacts answered within the target time.</param>
/// <param name="Occupancy">Share of agent time spent handling contacts.</param>
public sealed record ErlangCResult(int Agents, double TrafficErlangs, double ProbabilityOfWaiting, double AverageSpeedOfAnswerSeconds,
    double ServiceLevel, double Occupancy);

/// <summary>
/// The Erlang C model of an M/M/N queue without abandonment: Poisson arrivals, exponential handle times, N agents,
/// first come first served. The simulator is validated against it, and operators use it for staffing.
/// </summary>
public static class ErlangC
{
    /// <summary>Predicts waiting, speed of answer and service level; the queue must be stable (agents &gt; traffic).</summary>
    public static ErlangCResult Predict(double arrivalsPerHour, double averageHandleSeconds, int agents, double targetAnswerSeconds)
    {
        Validate(arrivalsPerHour, averageHandleSeconds, targetAnswerSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        var traffic = Traffic(arrivalsPerHour, averageHandleSeconds);
        if (agents <= traffic)
        {
            throw new ArgumentOutOfRangeException(nameof(agents), agents,
                $"{agents} agents cannot serve {traffic:F2} Erlangs: the queue grows without bound. At least {(int)Math.Floor(traffic) + 1} are needed.");
        }
        var waiting = ProbabilityOfWaiting(traffic, agents);
        var spare = agents - traffic;
        return new ErlangCResult(agents, traffic, waiting,
            waiting * averageHandleSeconds / spare,
            1 - waiting * Math.Exp(-spare * targetAnswerSeconds / averageHandleSeconds),
            traffic / agents);
    }

    /// <summary>
    /// The fewest agents that reach the service level (for example 0.8 answered within 20 s) and, when given, a maximum
    /// average speed of answer and a maximum occupancy.
    /// </summary>
    public static ErlangCResult AgentsNeeded(double arrivalsPerHour, double averageHandleSeconds, double targetAnswerSeconds, double targetServiceLevel,
        double? maxAverageSpeedOfAnswerSeconds = null, double? maxOccupancy = null)
    {
        Validate(arrivalsPerHour, averageHandleSeconds, targetAnswerSeconds);
        if (targetServiceLevel is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(targetServiceLevel), targetServiceLevel, "The service level target is a fraction strictly between 0 and 1, such as 0.8.");
        }
        if (maxOccupancy is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOccupancy), maxOccupancy, "Occupancy is a fraction between 0 and 1.");
        }
        var traffic = Traffic(arrivalsPerHour, averageHandleSeconds);
        for (var agents = Math.Max(1, (int)Math.Floor(traffic) + 1); ; agents++)
        {
            var result = Predict(arrivalsPerHour, averageHandleSeconds, agents, targetAnswerSeconds);
            if (result.ServiceLevel >= targetServiceLevel
                && (maxAverageSpeedOfAnswerSeconds is not { } asa || result.AverageSpeedOfAnswerSeconds <= asa)
                && (maxOccupancy is not { } occupancy || result.Occupancy <= occupancy))
            {
                return result;
            }
        }
    }

    /// <summary>Erlang C through the numerically stable Erlang B recursion (no factorials, no overflow at large N).</summary>
    public static double ProbabilityOfWaiting(double trafficErlangs, int agents)
    {
        var blocking = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            blocking = trafficErlangs * blocking / (n + trafficErlangs * blocking);
        }
        return agents * blocking / (agents - trafficErlangs * (1 - blocking));
    }

    private static double Traffic(double arrivalsPerHour, double averageHandleSeconds) => arrivalsPerHour * averageHandleSeconds / 3600.0;

    private static void Validate(double arrivalsPerHour, double averageHandleSeconds, double targetAnswerSeconds)
    {
        if (!(arrivalsPerHour > 0) || double.IsInfinity(arrivalsPerHour))
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalsPerHour), arrivalsPerHour, "Arrivals per hour must be a positive number.");
        }
        if (!(averageHandleSeconds > 0) || double.IsInfinity(averageHandleSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(averageHandleSeconds), averageHandleSeconds, "The average handle time must be a positive number of seconds.");
        }
        if (!(targetAnswerSeconds >= 0) || double.IsInfinity(targetAnswerSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(targetAnswerSeconds), targetAnswerSeconds, "The answer-time target must be zero or more seconds.");
        }
    }
}
