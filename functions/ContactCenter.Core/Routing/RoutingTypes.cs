using System.Text.Json.Serialization;

namespace ContactCenter.Core.Routing;

[JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
public enum Channel
{
    Voice,
    Sms,
    Email,
    Chat,
}

[JsonConverter(typeof(JsonStringEnumConverter<Presence>))]
public enum Presence
{
    Offline,
    Available,
    Away,
    Busy,
}

[JsonConverter(typeof(JsonStringEnumConverter<ContactStatus>))]
public enum ContactStatus
{
    /// <summary>Waiting in a queue for an agent.</summary>
    Queued,

    /// <summary>Offered to one agent, who may accept or decline until the offer expires.</summary>
    Offered,

    /// <summary>An agent accepted and is handling it.</summary>
    Assigned,

    /// <summary>Handled; the agent may still be in wrap-up.</summary>
    Completed,

    /// <summary>The customer left before an agent took it.</summary>
    Abandoned,
}

[JsonConverter(typeof(JsonStringEnumConverter<DistributionPolicy>))]
public enum DistributionPolicy
{
    /// <summary>The eligible agent idle the longest (fair, and the industry default).</summary>
    LongestIdle,

    /// <summary>The eligible agent this queue offered to least recently.</summary>
    RoundRobin,

    /// <summary>The eligible agent with the highest proficiency in the required skills; ties go to the longest idle.</summary>
    BestSkillMatch,
}

/// <summary>A skill a contact needs, at a minimum proficiency (1 to 10).</summary>
public sealed record SkillRequirement
{
    public const int MinProficiency = 1;
    public const int MaxProficiency = 10;

    public SkillRequirement(string skill, int minimumProficiency = MinProficiency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(skill);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumProficiency, MinProficiency);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumProficiency, MaxProficiency);
        Skill = skill.Trim().ToLowerInvariant();
        MinimumProficiency = minimumProficiency;
    }

    public string Skill { get; }
    public int MinimumProficiency { get; }
}
