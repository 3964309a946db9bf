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

    /// <summary>The longest a contact should wait here; overflow rules say what happens before that.</summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary>When the queue is open; null means always.</summary>
    public BusinessHours? Hours { get; init; }

    /// <summary>What happens as a contact's wait grows, in order of <see cref="OverflowRule.After"/>.</summary>
    public IReadOnlyList<OverflowRule> Overflow { get; init; } = [];

    /// <summary>The codes an agent picks from at wrap-up (the global list, then the queue's own); when any, one is required.</summary>
    public IReadOnlyList<DispositionCode> Dispositions { get; init; } = [];
}

/// <summary>
/// One escalation step, taken once a contact has waited <see cref="After"/>: lower skill minimums, move to another
/// queue, and/or offer the customer a callback.
/// </summary>
public sealed record OverflowRule(TimeSpan After)
{
    /// <summary>Skill (lower case) to the relaxed minimum proficiency; 0 drops the requirement.</summary>
    public IReadOnlyDictionary<string, int> RelaxSkills { get; init; } = new Dictionary<string, int>();

    public string? MoveToQueueId { get; init; }

    public bool OfferCallback { get; init; }
}

/// <summary>Weekly opening hours in a time zone, with closed days.</summary>
public sealed record BusinessHours(TimeZoneInfo TimeZone, IReadOnlyDictionary<DayOfWeek, IReadOnlyList<(TimeOnly Open, TimeOnly Close)>> Weekly)
{
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    public bool IsOpen(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        if (Holidays.Contains(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }
        var time = TimeOnly.FromDateTime(local.DateTime);
        return Weekly.TryGetValue(local.DayOfWeek, out var ranges) && ranges.Any(r => time >= r.Open && time < r.Close);
    }
}
