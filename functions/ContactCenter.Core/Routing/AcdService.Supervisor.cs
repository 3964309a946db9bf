namespace ContactCenter.Core.Routing;

/// <summary>What a supervisor's reassignment did.</summary>
/// <param name="Offer">The new offer; null when the contact was already with that agent (a repeated request).</param>
/// <param name="WithdrawnFrom">The agent who had the contact (offered or assigned) before, now free of it.</param>
public sealed record ReassignResult(ContactState Contact, ContactStatus PreviousStatus, OfferMade? Offer, string? WithdrawnFrom);

/// <summary>An agent's new skills and the queues whose contacts they may now serve (routed again when they are available).</summary>
public sealed record SkillsChanged(AgentState Agent, IReadOnlyList<string> QueuesToRoute);

/// <summary>One queue on the supervisor's board.</summary>
/// <param name="Waiting">Contacts in line (not yet offered), counted up to <see cref="AcdService.BoardQueueWindow"/>.</param>
/// <param name="LongestWait">How long the longest-waiting of them has waited since it first queued.</param>
/// <param name="Offered">Contacts of this queue offered to an agent now.</param>
/// <param name="AgentsByPresence">Agents with the queue's required skills (at its most relaxed overflow step), by presence.</param>
public sealed record QueueBoard(string QueueId, int Waiting, IReadOnlyDictionary<string, int> WaitingByChannel, TimeSpan? LongestWait,
    DateTimeOffset? OldestEnqueuedAt, int Offered, int Active, IReadOnlyDictionary<string, int> AgentsByPresence);

/// <summary>What an agent holds on one channel.</summary>
public sealed record ChannelLoad(int Active, int Capacity);

/// <summary>One agent on the supervisor's board.</summary>
/// <param name="WrapUpUntil">Set only while the agent is in wrap-up.</param>
public sealed record AgentBoard(string AgentId, string? Name, Presence Presence, IReadOnlyDictionary<string, ChannelLoad> Channels,
    PendingOffer? Offer, DateTimeOffset? WrapUpUntil, IReadOnlyDictionary<string, int> Skills, int MissedOffers);

/// <summary>The live queue and agent board: read from the agents partition and one partition per queue.</summary>
public sealed record SupervisorBoard(DateTimeOffset At, IReadOnlyList<QueueBoard> Queues, IReadOnlyList<AgentBoard> Agents);

public sealed partial class AcdService
{
    /// <summary>The most queue entries the board reads per queue: beyond this the count says "at least".</summary>
    public const int BoardQueueWindow = 5_000;

    /// <summary>
    /// Reads the board: every agent (one partition query) and the line of every queue (one query each). Offers and
    /// active contacts per queue come from the agents' rows, so no contact is read.
    /// </summary>
    public async Task<SupervisorBoard> ReadBoardAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var agents = (await _repository.ListAgentsAsync(cancellationToken)).Select(a => a.Value).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var boards = new List<QueueBoard>();
        foreach (var queueId in queues.QueueIds.Order(StringComparer.Ordinal))
        {
            var queue = queues.Find(queueId);
            if (queue is null)
            {
                continue; // the rules changed while the board was read
            }
            var waiting = 0;
            var byChannel = new Dictionary<string, int>(StringComparer.Ordinal);
            DateTimeOffset? oldest = null;
            await foreach (var entry in _repository.QueueAsync(queueId, cancellationToken))
            {
                waiting++;
                if (entry.Channel is { } channel)
                {
                    var name = Name(channel);
                    byChannel[name] = byChannel.GetValueOrDefault(name) + 1;
                }
                if (entry.EnqueuedAt is { } at && (oldest is null || at < oldest))
                {
                    oldest = at;
                }
                if (waiting >= BoardQueueWindow)
                {
                    break;
                }
            }
            var byPresence = Enum.GetValues<Presence>().ToDictionary(Name, _ => 0, StringComparer.Ordinal);
            foreach (var agent in agents.Where(a => MayServe(queue, a.Skills)))
            {
                byPresence[Name(agent.Presence)]++;
            }
            boards.Add(new QueueBoard(queueId, waiting, byChannel, oldest is { } first ? now - first : null, oldest,
                agents.Count(a => a.Offer?.QueueId == queueId),
                agents.Sum(a => a.Assignments.Count(x => x.QueueId == queueId)),
                byPresence));
        }
        var agentBoards = agents.Select(a => new AgentBoard(a.Id, a.Name, a.Presence,
            Enum.GetValues<Channel>().Where(c => a.CapacityFor(c) > 0 || a.ActiveOn(c) > 0).ToDictionary(Name, c => new ChannelLoad(a.ActiveOn(c), a.CapacityFor(c)), StringComparer.Ordinal),
            a.Offer, a.IsInWrapUp(now) ? a.WrapUpUntil : null, a.Skills, a.MissedOffers)).ToList();
        return new SupervisorBoard(now, boards, agentBoards);
    }

    /// <summary>
    /// A supervisor gives a contact to a named agent: a waiting or offered contact, or one an agent is handling on a
    /// messaging channel (a call in progress moves by transfer instead). The agent must be available, out of wrap-up,
    /// without another pending offer and with room on the channel; skills are the supervisor's call and are not
    /// checked. The contact is offered to the agent as routing would (same expiry); whoever had it before loses it
    /// (an offer is withdrawn without counting as missed). Repeating the request changes nothing.
    /// </summary>
    public async Task<ReassignResult> ReassignAsync(string contactId, string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contactId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        _ = await GetAgentAsync(agentId, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await _repository.GetContactAsync(contactId, cancellationToken) ?? throw new UnknownContactException(contactId);
            var before = stored.Value;
            if (before.Status == ContactStatus.Offered && before.OfferedTo == agentId || before.Status == ContactStatus.Assigned && before.AgentId == agentId)
            {
                // Already done (perhaps by this very request, retried): make sure nobody else still shows it.
                await RemoveStrayReferencesAsync(contactId, agentId, cancellationToken);
                return new ReassignResult(before, before.Status, null, null);
            }
            switch (before.Status)
            {
                case ContactStatus.Completed or ContactStatus.Abandoned:
                    throw new StaleActionException($"Contact {contactId} is {Name(before.Status)}: there is nothing to reassign.");
                case ContactStatus.Assigned when before.Channel == Channel.Voice:
                    throw new StaleActionException($"Contact {contactId} is a call in progress with {before.AgentId}: move it with a call transfer (POST /api/calls/{{callId}}/transfer).");
            }
            var now = timeProvider.GetUtcNow();
            var queue = queues.Find(before.QueueId);
            var agent = await GetAgentAsync(agentId, cancellationToken);
            if (ReassignBlocker(agent, before, now) is { } blocked)
            {
                throw new StaleActionException($"Cannot offer {contactId} to {agentId}: {blocked}.");
            }
            var previousAgent = before.Status switch
            {
                ContactStatus.Offered => before.OfferedTo,
                ContactStatus.Assigned => before.AgentId,
                _ => null,
            };
            var expiresAt = now + (queue?.OfferTimeout ?? TimeSpan.FromSeconds(20));
            var decision = new RoutingDecision(contactId, before.QueueId, agentId, queue?.Policy ?? DistributionPolicy.LongestIdle,
                previousAgent is null ? "reassigned by a supervisor" : $"reassigned by a supervisor from {previousAgent}", [], new Dictionary<string, int>(), now);
            var claimed = before with
            {
                Status = ContactStatus.Offered,
                OfferedTo = agentId,
                OfferExpiresAt = expiresAt,
                AgentId = null,
                AnsweredAt = null,
                LastDecision = decision,
            };
            try
            {
                // The contact's record says who has it: claiming it first means no router or second reassignment can also win it.
                await _repository.ReplaceContactAsync(claimed, stored.ETag, cancellationToken);
            }
            catch (ContactCenter.Core.State.StatePreconditionFailedException) when (attempt < MaxAttempts)
            {
                continue; // it moved meanwhile: look again
            }
            try
            {
                await UpdateAgentAsync(agentId, create: false, current => ReassignBlocker(current!, before, now) is { } reason
                    ? throw new StaleActionException($"Cannot offer {contactId} to {agentId}: {reason}.")
                    : current! with { Offer = new PendingOffer(contactId, before.Channel, before.QueueId, expiresAt), LastOfferedAt = now }, cancellationToken);
            }
            catch (StaleActionException)
            {
                // The agent changed between the check and the reservation: the contact goes back to exactly where it was.
                await UpdateContactAsync(contactId, latest => latest.Status == ContactStatus.Offered && latest.OfferedTo == agentId && latest.OfferExpiresAt == expiresAt
                    ? before : null, cancellationToken);
                throw;
            }
            await WithdrawAsync(before, queue, cancellationToken);
            return new ReassignResult(claimed, before.Status, new OfferMade(contactId, agentId, before.QueueId, before.Channel, expiresAt, decision), previousAgent);
        }
    }

    /// <summary>Changes an agent's skills (1-10 each; the set replaces the old one), keeping presence and work in hand.</summary>
    public async Task<SkillsChanged> SetSkillsAsync(string agentId, IReadOnlyDictionary<string, int> skills, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skills);
        var normalized = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, level) in skills)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A skill needs a name.");
            }
            normalized[name.Trim().ToLowerInvariant()] = level is >= SkillRequirement.MinProficiency and <= SkillRequirement.MaxProficiency
                ? level
                : throw new ArgumentOutOfRangeException(nameof(skills), $"Skill '{name}' proficiency {level} is outside 1-10.");
        }
        var agent = await UpdateAgentAsync(agentId, create: false, current => SameSkills(current!.Skills, normalized) ? current : current with { Skills = normalized }, cancellationToken);
        var toRoute = agent.Presence == Presence.Available
            ? queues.QueueIds.Where(id => queues.Find(id) is { } q && MayServe(q, agent.Skills)).Order(StringComparer.Ordinal).ToList()
            : [];
        return new SkillsChanged(agent, toRoute);
    }

    private static bool SameSkills(IReadOnlyDictionary<string, int> current, Dictionary<string, int> next) =>
        current.Count == next.Count && next.All(s => current.TryGetValue(s.Key, out var level) && level == s.Value);

    /// <summary>Whether an agent with these skills meets a queue's requirements, at the most relaxed minimum its overflow steps reach.</summary>
    public static bool MayServe(QueueDefinition queue, IReadOnlyDictionary<string, int> skills) => queue.RequiredSkills.All(requirement =>
    {
        var minimum = queue.Overflow.Select(o => o.RelaxSkills.TryGetValue(requirement.Skill, out var relaxed) ? relaxed : requirement.MinimumProficiency)
            .DefaultIfEmpty(requirement.MinimumProficiency).Min();
        return minimum == 0 || skills.TryGetValue(requirement.Skill, out var level) && level >= minimum;
    });

    /// <summary>Why a supervisor cannot give this contact to this agent now; skills are not asked.</summary>
    private static string? ReassignBlocker(AgentState agent, ContactState contact, DateTimeOffset now)
    {
        if (agent.Presence != Presence.Available)
        {
            return $"{agent.Id} is {Name(agent.Presence)}";
        }
        if (agent.IsInWrapUp(now))
        {
            return $"{agent.Id} is in wrap-up until {agent.WrapUpUntil:O}";
        }
        if (agent.Offer is { } offer && offer.ContactId != contact.Id)
        {
            return $"{agent.Id} is considering another offer ({offer.ContactId}) until {offer.ExpiresAt:O}";
        }
        var active = agent.Assignments.Count(a => a.Channel == contact.Channel && a.ContactId != contact.Id);
        var capacity = agent.CapacityFor(contact.Channel);
        return active >= capacity ? $"{agent.Id}'s {Name(contact.Channel)} capacity is full ({active} of {capacity})" : null;
    }

    /// <summary>Takes the contact from where it was before the reassignment: its place in line, an agent's offer or assignment.</summary>
    private async Task WithdrawAsync(ContactState before, QueueDefinition? queue, CancellationToken cancellationToken)
    {
        switch (before.Status)
        {
            case ContactStatus.Queued:
                await _repository.RemoveQueueEntryAsync(before, cancellationToken);
                break;
            case ContactStatus.Offered when before.OfferedTo is { } offeredTo:
                await ClearOfferAsync(offeredTo, before.Id, missed: false, queue, cancellationToken);
                break;
            case ContactStatus.Assigned when before.AgentId is { } holder:
                await RemoveAssignmentAsync(holder, before.Id, cancellationToken);
                break;
        }
    }

    private Task<AgentState> RemoveAssignmentAsync(string agentId, string contactId, CancellationToken cancellationToken) =>
        UpdateAgentAsync(agentId, create: false, current => current!.Assignments.All(a => a.ContactId != contactId) ? current : current with
        {
            Assignments = current.Assignments.Where(a => a.ContactId != contactId).ToList(),
        }, cancellationToken);

    /// <summary>Clears the contact from every agent but <paramref name="holder"/>: repairs a reassignment interrupted half way.</summary>
    private async Task RemoveStrayReferencesAsync(string contactId, string holder, CancellationToken cancellationToken)
    {
        foreach (var agent in await _repository.ListAgentsAsync(cancellationToken))
        {
            if (agent.Value.Id == holder)
            {
                continue;
            }
            if (agent.Value.Offer?.ContactId == contactId)
            {
                await ClearOfferAsync(agent.Value.Id, contactId, missed: false, null, cancellationToken);
            }
            if (agent.Value.Assignments.Any(a => a.ContactId == contactId))
            {
                await RemoveAssignmentAsync(agent.Value.Id, contactId, cancellationToken);
            }
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
