namespace ContactCenter.Core.Routing;

/// <summary>How one queue distributes its contacts. Routing rules files produce these.</summary>
public sealed record QueueDefinition
{
    public QueueDefinition(string id, IReadOnlyList<SkillRequirement>? requiredSkills = null, DistributionPolicy policy = DistributionPolicy.LongestIdle)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        RequiredSkills = requiredSkills ?? [];
        Policy = policy;
    }

    public string Id { get; }
    public IReadOnlyList<SkillRequirement> RequiredSkills { get; }
    public DistributionPolicy Policy { get; }

    /// <summary>Priority given to contacts that do not bring their own; higher is served first.</summary>
    public int DefaultPriority { get; init; }

    /// <summary>How long an agent has to accept an offer.</summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Wrap-up after each contact before the agent is offered more work.</summary>
    public TimeSpan WrapUp { get; init; } = TimeSpan.Zero;

    /// <summary>How long a returning customer waits for their last agent before anyone else may take them.</summary>
    public TimeSpan StickyAgentWindow { get; init; } = TimeSpan.Zero;

    /// <summary>Consecutive missed (declined or expired) offers after which an agent is set Away; 0 never does.</summary>
    public int MaxMissedOffers { get; init; } = 3;
}
