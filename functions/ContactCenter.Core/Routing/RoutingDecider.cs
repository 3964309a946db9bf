namespace ContactCenter.Core.Routing;

/// <summary>An eligible agent and how the policy scored it (higher wins).</summary>
public sealed record CandidateScore(string AgentId, double Score, string Basis);

/// <summary>
/// Why a contact went to an agent (or to nobody yet): the policy, the winner, the best-scored candidates and how
/// many agents were ruled out for each reason. Recorded with every offer so any decision can be explained later.
/// </summary>
public sealed record RoutingDecision(
    string ContactId,
    string QueueId,
    string? AgentId,
    DistributionPolicy Policy,
    string Reason,
    IReadOnlyList<CandidateScore> TopCandidates,
    IReadOnlyDictionary<string, int> Ineligible,
    DateTimeOffset DecidedAt);

/// <summary>The pure distribution decision: no I/O, no clock but the one passed in.</summary>
public static class RoutingDecider
{
    private const int CandidatesKept = 5;

    public static RoutingDecision Decide(ContactState contact, QueueDefinition queue, IEnumerable<AgentState> agents, DateTimeOffset now)
    {
        var eligible = new List<AgentState>();
        var ineligible = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            if (agent.IneligibilityReason(contact, now) is { } why)
            {
                ineligible[why] = ineligible.GetValueOrDefault(why) + 1;
            }
            else
            {
                eligible.Add(agent);
            }
        }

        if (contact.PreferredAgentId is { } preferred && now < contact.EnqueuedAt + queue.StickyAgentWindow)
        {
            var last = eligible.FirstOrDefault(a => a.Id == preferred);
            return last is not null
                ? Decision(contact, queue, last.Id, "sticky: the customer's last agent is free", [new CandidateScore(last.Id, 1, "preferred agent")], ineligible, now)
                : Decision(contact, queue, null, $"waiting for the customer's last agent {preferred} until {(contact.EnqueuedAt + queue.StickyAgentWindow):O}", [], ineligible, now);
        }

        // Agents who already turned this contact down are tried only when nobody else can take it.
        var fresh = eligible.Where(a => !contact.DeclinedBy.Contains(a.Id)).ToList();
        var pool = fresh.Count > 0 ? fresh : eligible;
        if (pool.Count == 0)
        {
            return Decision(contact, queue, null, "no eligible agent", [], ineligible, now);
        }

        var ranked = Rank(pool, contact, queue.Policy, now).Take(CandidatesKept).ToList();
        var winner = ranked[0];
        var reason = fresh.Count == 0 ? $"{Describe(queue.Policy)} (only agents who declined it before are free)" : Describe(queue.Policy);
        return Decision(contact, queue, winner.AgentId, reason, ranked, ineligible, now);
    }

    /// <summary>Queue order: higher priority first, then the longest waiting, then by id for a total order.</summary>
    public static int CompareQueueOrder(ContactState a, ContactState b)
    {
        var byPriority = b.Priority.CompareTo(a.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }
        var byTime = a.EnqueuedAt.CompareTo(b.EnqueuedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    private static IEnumerable<CandidateScore> Rank(List<AgentState> pool, ContactState contact, DistributionPolicy policy, DateTimeOffset now) => policy switch
    {
        DistributionPolicy.RoundRobin => pool
            .OrderBy(a => a.LastOfferedAt).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => new CandidateScore(a.Id, (now - a.LastOfferedAt).TotalSeconds, "seconds since last offer")),
        DistributionPolicy.BestSkillMatch => pool
            .OrderByDescending(a => a.SkillScore(contact)).ThenBy(a => a.LastWorkAt).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => new CandidateScore(a.Id, a.SkillScore(contact), "sum of required-skill proficiency")),
        _ => pool
            .OrderBy(a => a.LastWorkAt).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => new CandidateScore(a.Id, (now - a.LastWorkAt).TotalSeconds, "seconds idle")),
    };

    private static string Describe(DistributionPolicy policy) => policy switch
    {
        DistributionPolicy.RoundRobin => "round robin: least recently offered",
        DistributionPolicy.BestSkillMatch => "best skill match",
        _ => "longest idle",
    };

    private static RoutingDecision Decision(ContactState contact, QueueDefinition queue, string? agentId, string reason,
        IReadOnlyList<CandidateScore> candidates, Dictionary<string, int> ineligible, DateTimeOffset now) =>
        new(contact.Id, queue.Id, agentId, queue.Policy, reason, candidates, ineligible, now);
}
