namespace ContactCenter.Core.Routing;

/// <summary>One customer request waiting for, offered to, or handled by an agent, on any channel.</summary>
public sealed record ContactState
{
    public required string Id { get; init; }
    public required Channel Channel { get; init; }
    public required string QueueId { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<SkillRequirement> RequiredSkills { get; init; } = [];
    public string? CustomerId { get; init; }

    /// <summary>When the contact joined its queue; its place in line (after priority) never changes on a re-queue.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When the contact joined its current queue; overflow steps and max wait count from here.</summary>
    public DateTimeOffset? QueuedSince { get; init; }

    /// <summary>How many of the current queue's overflow steps have been applied.</summary>
    public int OverflowStepsApplied { get; init; }

    /// <summary>An overflow step offered the customer a callback (the channel decides how to ask).</summary>
    public bool CallbackOffered { get; init; }

    /// <summary>Set once the contact has waited the queue's maximum.</summary>
    public DateTimeOffset? MaxWaitReachedAt { get; init; }

    public ContactStatus Status { get; init; } = ContactStatus.Queued;
    public string? OfferedTo { get; init; }
    public DateTimeOffset? OfferExpiresAt { get; init; }
    public string? AgentId { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The customer's last agent, preferred for the queue's sticky window.</summary>
    public string? PreferredAgentId { get; init; }

    /// <summary>Agents who declined or let an offer of this contact expire: tried last.</summary>
    public IReadOnlyList<string> DeclinedBy { get; init; } = [];

    /// <summary>The agent's wrap-up: a disposition code of the queue's and notes (set when the contact is completed).</summary>
    public string? Disposition { get; init; }
    public string? WrapUpNotes { get; init; }

    /// <summary>Why the latest offer went to its agent.</summary>
    public RoutingDecision? LastDecision { get; init; }

    public TimeSpan WaitedAt(DateTimeOffset now) => (AnsweredAt ?? EndedAt ?? now) - EnqueuedAt;

    /// <summary>Time spent in the current queue.</summary>
    public TimeSpan InQueueAt(DateTimeOffset now) => now - (QueuedSince ?? EnqueuedAt);
}
