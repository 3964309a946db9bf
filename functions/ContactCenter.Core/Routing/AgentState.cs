namespace ContactCenter.Core.Routing;

/// <summary>
/// One piece of work an agent is handling. The customer and the time it was taken are copied from the contact, so the
/// agent's inbox is read from the agent's own row (null on assignments made before they were kept).
/// </summary>
public sealed record Assignment(string ContactId, Channel Channel, string QueueId)
{
    public string? CustomerId { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
}

/// <summary>The offer an agent is considering; at most one at a time.</summary>
public sealed record PendingOffer(string ContactId, Channel Channel, string QueueId, DateTimeOffset ExpiresAt);

/// <summary>
/// An agent as the ACD sees it: skills, presence, capacity per channel shared across every queue, the work in hand,
/// and what fairness needs (when they last worked, when a queue last offered to them).
/// </summary>
public sealed record AgentState
{
    /// <summary>Typical concurrent work per channel: one call, a few chats and texts, more emails.</summary>
    public static IReadOnlyDictionary<Channel, int> DefaultCapacity { get; } =
        new Dictionary<Channel, int> { [Channel.Voice] = 1, [Channel.Sms] = 3, [Channel.Email] = 5, [Channel.Chat] = 3 };

    public required string Id { get; init; }
    public string? Name { get; init; }

    /// <summary>Where the agent takes calls: an ACS user ("8:acs:..."), a Teams user ("8:orgid:..."), or an E.164 number.</summary>
    public string? VoiceAddress { get; init; }

    /// <summary>The agent's Microsoft Entra object id, when they use Teams: activity-feed notifications and ringing in Teams.</summary>
    public string? TeamsUserId { get; init; }

    /// <summary>Which of the agent's identities calls ring; the agent chooses it (see <see cref="CallAddress"/>).</summary>
    public RingTarget RingTarget { get; init; } = RingTarget.Default;

    public Presence Presence { get; init; } = Presence.Offline;

    /// <summary>Skill name (lower case) to proficiency 1-10.</summary>
    public IReadOnlyDictionary<string, int> Skills { get; init; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<Channel, int> Capacity { get; init; } = DefaultCapacity;
    public IReadOnlyList<Assignment> Assignments { get; init; } = [];
    public PendingOffer? Offer { get; init; }

    /// <summary>When the agent last took or finished work (or came available): the longest-idle clock.</summary>
    public DateTimeOffset LastWorkAt { get; init; }

    /// <summary>When the agent was last offered anything: the round-robin clock.</summary>
    public DateTimeOffset LastOfferedAt { get; init; }

    public DateTimeOffset? WrapUpUntil { get; init; }
    public int MissedOffers { get; init; }

    /// <summary>
    /// The address a call rings for this agent: their Teams identity ("8:orgid:&lt;object id&gt;") when they chose Teams,
    /// else <see cref="VoiceAddress"/>. Null when there is nowhere to ring.
    /// </summary>
    public string? CallAddress() =>
        RingTarget == RingTarget.Teams && TeamsUserId is { Length: > 0 } teamsUserId ? TeamsIdentity.CallAddressOf(teamsUserId) : VoiceAddress;

    public int ActiveOn(Channel channel) => Assignments.Count(a => a.Channel == channel);

    public int CapacityFor(Channel channel) => Capacity.TryGetValue(channel, out var capacity) ? capacity : 0;

    public bool IsInWrapUp(DateTimeOffset now) => WrapUpUntil is { } until && until > now;

    /// <summary>Why this agent cannot take this contact now, or null when it can.</summary>
    public string? IneligibilityReason(ContactState contact, DateTimeOffset now)
    {
        if (Presence != Presence.Available)
        {
            return $"presence {Presence.ToString().ToLowerInvariant()}";
        }
        if (IsInWrapUp(now))
        {
            return "wrap-up";
        }
        if (Offer is not null)
        {
            return "has a pending offer";
        }
        if (ActiveOn(contact.Channel) >= CapacityFor(contact.Channel))
        {
            return $"{contact.Channel.ToString().ToLowerInvariant()} capacity full";
        }
        foreach (var requirement in contact.RequiredSkills)
        {
            if (!Skills.TryGetValue(requirement.Skill, out var level) || level < requirement.MinimumProficiency)
            {
                return $"lacks {requirement.Skill}>={requirement.MinimumProficiency}";
            }
        }
        return null;
    }

    /// <summary>Sum of proficiencies in the skills the contact needs: the best-skill-match score.</summary>
    public int SkillScore(ContactState contact) =>
        contact.RequiredSkills.Sum(r => Skills.TryGetValue(r.Skill, out var level) ? level : 0);
}

/// <summary>Where an agent's calls ring: the usual <see cref="AgentState.VoiceAddress"/>, or their Teams identity.</summary>
public enum RingTarget
{
    Default,
    Teams,
}

/// <summary>A Teams user as the contact center knows it: the Entra object id (a GUID).</summary>
public static class TeamsIdentity
{
    /// <summary>The Call Automation identifier of a Teams user: "8:orgid:&lt;object id&gt;".</summary>
    public static string CallAddressOf(string teamsUserId) => "8:orgid:" + teamsUserId;

    /// <summary>The object id in canonical form (lower-case GUID with hyphens), or null when it is not a GUID.</summary>
    public static string? Normalize(string? teamsUserId) =>
        Guid.TryParseExact(teamsUserId?.Trim(), "D", out var id) ? id.ToString("D") : null;

    /// <summary>Reads "default" or "teams" (any case).</summary>
    public static bool TryParseRingTarget(string? value, out RingTarget target) =>
        Enum.TryParse(value, ignoreCase: true, out target) && Enum.IsDefined(target) && !int.TryParse(value, out _);
}

/// <summary>The agent chose to ring in Teams but has no Teams user id: HTTP 400.</summary>
public sealed class NoTeamsIdentityException(string agentId)
    : ArgumentException($"Agent {agentId} has no Teams user id: set teamsUserId (the Entra object id) before choosing to ring in Teams.")
{
    public string AgentId { get; } = agentId;
}
