using ContactCenter.Core.State;

namespace ContactCenter.Core.Routing;

/// <summary>A new contact for the ACD: which queue, which channel, and what it needs beyond the queue's defaults.</summary>
public sealed record NewContact(string Id, Channel Channel, string QueueId)
{
    public int? Priority { get; init; }
    public IReadOnlyList<SkillRequirement>? RequiredSkills { get; init; }
    public string? CustomerId { get; init; }
    public string? PreferredAgentId { get; init; }
}

/// <summary>An agent's standing profile; presence and work in hand are kept when it is updated.</summary>
public sealed record AgentProfile(string Id, string? Name, IReadOnlyDictionary<string, int> Skills, IReadOnlyDictionary<Channel, int>? Capacity = null)
{
    /// <summary>Where the agent takes calls: an ACS user ("8:acs:..."), a Teams user ("8:orgid:..."), or an E.164 number.</summary>
    public string? VoiceAddress { get; init; }

    /// <summary>The agent's Entra object id (a GUID) when they use Teams.</summary>
    public string? TeamsUserId { get; init; }

    /// <summary>Where calls ring; null keeps the agent's current choice.</summary>
    public RingTarget? RingTarget { get; init; }
}

/// <summary>An offer the ACD made: the agent has until <see cref="ExpiresAt"/> to accept.</summary>
public sealed record OfferMade(string ContactId, string AgentId, string QueueId, Channel Channel, DateTimeOffset ExpiresAt, RoutingDecision Decision);

/// <summary>
/// Where a waiting contact stands (1 is next) and roughly how long it will wait: position × the queue's average handle
/// time ÷ the staffed agents who can serve it. <see cref="EstimateBasis"/> says what the estimate rests on.
/// </summary>
public sealed record QueuePosition(string ContactId, string QueueId, int Position, ContactStatus Status,
    TimeSpan? EstimatedWait = null, string? EstimateBasis = null);

public sealed class UnknownQueueException(string queueId) : Exception($"There is no queue '{queueId}'.")
{
    public string QueueId { get; } = queueId;
}

public sealed class UnknownAgentException(string agentId) : Exception($"There is no agent '{agentId}'.")
{
    public string AgentId { get; } = agentId;
}

public sealed class UnknownContactException(string contactId) : Exception($"There is no contact '{contactId}'.")
{
    public string ContactId { get; } = contactId;
}

/// <summary>The action no longer applies (the offer expired, went to someone else, the contact ended): HTTP 409.</summary>
public sealed class StaleActionException(string message) : Exception(message);

/// <summary>The queues the ACD knows; routing rules files feed it.</summary>
public interface IQueueCatalog
{
    QueueDefinition? Find(string queueId);

    /// <summary>The ids of every queue now defined.</summary>
    IReadOnlyCollection<string> QueueIds { get; }
}

/// <summary>A fixed set of queues (tests, simulations, and until rules files are loaded).</summary>
public sealed class StaticQueueCatalog(IEnumerable<QueueDefinition> queues) : IQueueCatalog
{
    private readonly Dictionary<string, QueueDefinition> _queues = queues.ToDictionary(q => q.Id, StringComparer.Ordinal);

    public QueueDefinition? Find(string queueId) => _queues.GetValueOrDefault(queueId);

    public IReadOnlyCollection<string> QueueIds => _queues.Keys;
}

/// <summary>
/// The automatic contact distributor's use cases over any <see cref="IStateStore"/>. Every write is conditional on
/// the ETag it read, so concurrent routers, duplicate events and late events cannot oversubscribe an agent, offer a
/// contact twice or lose a contact: a contact's own record is the single source of truth for where it is, and an
/// agent's record for what the agent holds.
/// </summary>
public sealed partial class AcdService(IStateStore store, IQueueCatalog queues, TimeProvider timeProvider)
{
    private const int MaxAttempts = 20;
    private const int HeadWindow = 200;

    /// <summary>Handle time assumed for a queue until its first contacts are handled.</summary>
    public static readonly TimeSpan DefaultHandleTime = TimeSpan.FromMinutes(5);
    private readonly AcdRepository _repository = new(store);

    public async Task<AgentState> UpsertAgentAsync(AgentProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Id);
        var skills = profile.Skills.ToDictionary(s => s.Key.Trim().ToLowerInvariant(), s => s.Value is >= SkillRequirement.MinProficiency and <= SkillRequirement.MaxProficiency
            ? s.Value
            : throw new ArgumentOutOfRangeException(nameof(profile), $"Skill '{s.Key}' proficiency {s.Value} is outside 1-10."));
        var capacity = profile.Capacity ?? AgentState.DefaultCapacity;
        if (capacity.Any(c => c.Value < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), "Capacity per channel cannot be negative.");
        }
        string? teamsUserId = null;
        if (!string.IsNullOrWhiteSpace(profile.TeamsUserId))
        {
            teamsUserId = TeamsIdentity.Normalize(profile.TeamsUserId)
                ?? throw new ArgumentException($"teamsUserId '{profile.TeamsUserId}' is not a GUID: use the agent's Entra object id.");
        }
        if (profile.RingTarget == RingTarget.Teams && teamsUserId is null)
        {
            throw new NoTeamsIdentityException(profile.Id);
        }
        return await UpdateAgentAsync(profile.Id, create: true, current => (current ?? new AgentState { Id = profile.Id, LastWorkAt = timeProvider.GetUtcNow() }) with
        {
            Name = profile.Name,
            VoiceAddress = profile.VoiceAddress,
            TeamsUserId = teamsUserId,
            // A kept choice of Teams falls back to the usual address when the Teams identity is removed.
            RingTarget = teamsUserId is null ? RingTarget.Default : profile.RingTarget ?? current?.RingTarget ?? RingTarget.Default,
            Skills = skills,
            Capacity = new Dictionary<Channel, int>(capacity),
        }, cancellationToken);
    }

    /// <summary>The agent's choice of where calls ring. Teams needs the agent's Teams user id (<see cref="NoTeamsIdentityException"/>).</summary>
    public Task<AgentState> SetRingTargetAsync(string agentId, RingTarget target, CancellationToken cancellationToken = default) =>
        UpdateAgentAsync(agentId, create: false, current => current!.RingTarget == target ? current
            : target == RingTarget.Teams && current.TeamsUserId is null ? throw new NoTeamsIdentityException(agentId)
            : current with { RingTarget = target }, cancellationToken);

    public Task<AgentState> SetPresenceAsync(string agentId, Presence presence, CancellationToken cancellationToken = default) =>
        UpdateAgentAsync(agentId, create: false, current => current!.Presence == presence ? current : current with
        {
            Presence = presence,
            // Coming available starts the idle clock; a miss streak ends when the agent acts.
            LastWorkAt = presence == Presence.Available ? timeProvider.GetUtcNow() : current.LastWorkAt,
            MissedOffers = presence == Presence.Available ? 0 : current.MissedOffers,
        }, cancellationToken);

    /// <summary>Puts a contact in its queue. Idempotent: the same contact id twice is one contact.</summary>
    public async Task<ContactState> EnqueueAsync(NewContact request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Id);
        var queue = queues.Find(request.QueueId) ?? throw new UnknownQueueException(request.QueueId);
        var contact = new ContactState
        {
            Id = request.Id,
            Channel = request.Channel,
            QueueId = queue.Id,
            Priority = request.Priority ?? queue.DefaultPriority,
            RequiredSkills = request.RequiredSkills ?? queue.RequiredSkills,
            CustomerId = request.CustomerId,
            PreferredAgentId = request.PreferredAgentId,
            EnqueuedAt = timeProvider.GetUtcNow(),
            QueuedSince = timeProvider.GetUtcNow(),
        };
        try
        {
            await _repository.InsertContactAsync(contact, cancellationToken);
        }
        catch (StateConflictException)
        {
            var existing = await _repository.GetContactAsync(request.Id, cancellationToken) ?? throw new UnknownContactException(request.Id);
            contact = existing.Value;
            if (contact.Status != ContactStatus.Queued)
            {
                return contact;
            }
        }
        // The entry is written after the contact, so a crash in between leaves a contact the next enqueue repairs.
        await _repository.AddQueueEntryAsync(contact, cancellationToken);
        return contact;
    }

    /// <summary>
    /// Matches the head of one queue with ready agents and makes offers, at most <paramref name="maxOffers"/>. Meant to
    /// run with one router per queue at a time (a Service Bus session per queue), though concurrent runs stay correct.
    /// Only the ready index of the channels in play is read, never every agent.
    /// </summary>
    public async Task<IReadOnlyList<OfferMade>> RouteQueueAsync(string queueId, int maxOffers = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var queue = queues.Find(queueId) ?? throw new UnknownQueueException(queueId);
        var offers = new List<OfferMade>();
        var head = new List<QueueEntry>(HeadWindow);
        await foreach (var entry in _repository.QueueAsync(queueId, cancellationToken))
        {
            head.Add(entry);
            if (head.Count == HeadWindow)
            {
                break;
            }
        }
        var ready = new ReadyAgents(_repository);
        foreach (var entry in head)
        {
            if (offers.Count >= maxOffers)
            {
                break;
            }
            if (entry.Channel is { } channel && (await ready.ForAsync(channel, cancellationToken)).Count == 0)
            {
                continue; // nobody is ready on this channel: no need to read the contact
            }
            var offer = await TryOfferAsync(queue, entry.ContactId, ready, cancellationToken);
            if (offer is not null)
            {
                offers.Add(offer);
            }
        }
        return offers;
    }

    /// <summary>
    /// The safety net behind the scheduled expiry checks: puts back every offer more than <paramref name="grace"/> past
    /// its deadline (a lost or dead-lettered check). Reads every agent, so it runs rarely, from a timer.
    /// </summary>
    public async Task<IReadOnlyList<PendingOffer>> ExpireOverdueOffersAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var overdue = new List<PendingOffer>();
        foreach (var agent in await _repository.ListAgentsAsync(cancellationToken))
        {
            if (agent.Value.Offer is { } offer && offer.ExpiresAt + grace <= now)
            {
                await ExpireOfferAsync(agent.Value.Id, offer.ContactId, cancellationToken);
                overdue.Add(offer);
            }
        }
        return overdue;
    }

    public async Task<ContactState> AcceptAsync(string agentId, string contactId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var handledAlready = false;
        var contact = await UpdateContactAsync(contactId, current =>
        {
            handledAlready = current.Status == ContactStatus.Completed && current.AgentId == agentId;
            if (handledAlready || (current.Status == ContactStatus.Assigned && current.AgentId == agentId))
            {
                return null; // a repeated accept, perhaps late: after the agent finished the contact
            }
            if (current.Status != ContactStatus.Offered || current.OfferedTo != agentId)
            {
                throw new StaleActionException($"Contact {contactId} is not offered to {agentId}: it is {current.Status.ToString().ToLowerInvariant()}{(current.OfferedTo is { } other && other != agentId ? " and offered to someone else" : "")}.");
            }
            if (current.OfferExpiresAt is { } expires && now > expires)
            {
                throw new StaleActionException($"The offer of {contactId} to {agentId} expired at {expires:O}.");
            }
            return current with { Status = ContactStatus.Assigned, AgentId = agentId, AnsweredAt = now, OfferedTo = null, OfferExpiresAt = null };
        }, cancellationToken);
        if (handledAlready)
        {
            return contact; // the agent's work on it is over: taking it on again would hold capacity for nothing
        }

        // The reservation (the agent's offer of this contact) becomes the assignment. Without it (a decline or expiry
        // check cleared it meanwhile, or this is a duplicate accept) the contact is read again: a duplicate that the
        // completion overtook would otherwise put the finished contact back on the agent, past its capacity.
        var unreserved = false;
        await UpdateAgentAsync(agentId, create: false, current =>
        {
            unreserved = false;
            if (current!.Assignments.Any(a => a.ContactId == contactId))
            {
                return current;
            }
            if (current.Offer?.ContactId != contactId)
            {
                unreserved = true;
                return current;
            }
            return Assign(current);
        }, cancellationToken);
        if (unreserved && await GetContactAsync(contactId, cancellationToken) is { Status: ContactStatus.Assigned } still && still.AgentId == agentId)
        {
            // A completion can only follow this read, and it takes the assignment off after this write.
            await UpdateAgentAsync(agentId, create: false, current => current!.Assignments.Any(a => a.ContactId == contactId) ? current : Assign(current), cancellationToken);
        }
        return contact;

        AgentState Assign(AgentState current) => current with
        {
            Offer = current.Offer?.ContactId == contactId ? null : current.Offer,
            Assignments = [.. current.Assignments, new Assignment(contactId, contact.Channel, contact.QueueId) { CustomerId = contact.CustomerId, AssignedAt = contact.AnsweredAt ?? now }],
            MissedOffers = 0,
            LastWorkAt = now,
        };
    }

    /// <summary>
    /// Applies the overflow steps now due for a waiting contact (relax skills, move queue, offer a callback) and marks
    /// max wait. Idempotent and safe to call early, late or twice: only due, not yet applied steps change anything.
    /// </summary>
    public async Task<EscalationResult> EscalateAsync(string contactId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        EscalationResult? result = null;
        ContactState? before = null;
        var contact = await UpdateContactAsync(contactId, current =>
        {
            before = current;
            result = null;
            if (current.Status != ContactStatus.Queued || queues.Find(current.QueueId) is not { } queue)
            {
                return null;
            }
            // Rules reloaded since the contact queued may have dropped a move target: that step then only relaxes/offers.
            var effective = queue with
            {
                Overflow = queue.Overflow.Select(r => r.MoveToQueueId is { } target && queues.Find(target) is null ? r with { MoveToQueueId = null } : r).ToList(),
            };
            result = Escalation.Apply(current, effective, now, queues.Find);
            return result.Changed ? result.Contact : null;
        }, cancellationToken);
        if (result is { MovedQueue: true } moved && before is not null)
        {
            // New place first, old place second: a crash in between leaves a duplicate entry (skipped), never none.
            await _repository.AddQueueEntryAsync(moved.Contact, cancellationToken);
            await _repository.RemoveQueueEntryAsync(before, cancellationToken);
        }
        return result ?? new EscalationResult(contact, [], false, false, false);
    }

    /// <summary>When <see cref="EscalateAsync"/> next has something to do for this contact.</summary>
    public async Task<DateTimeOffset?> NextEscalationAsync(string contactId, CancellationToken cancellationToken = default)
    {
        var contact = await GetContactAsync(contactId, cancellationToken);
        return contact.Status == ContactStatus.Queued && queues.Find(contact.QueueId) is { } queue ? Escalation.NextDeadline(contact, queue) : null;
    }

    /// <summary>The agent turned the offer down: the contact goes back to its place at the head of the queue.</summary>
    public Task<ContactState> DeclineAsync(string agentId, string contactId, CancellationToken cancellationToken = default) =>
        ReturnToQueueAsync(agentId, contactId, expired: false, cancellationToken);

    /// <summary>The offer's time ran out (a scheduled check). Early or repeated calls change nothing.</summary>
    public Task<ContactState> ExpireOfferAsync(string agentId, string contactId, CancellationToken cancellationToken = default) =>
        ReturnToQueueAsync(agentId, contactId, expired: true, cancellationToken);

    /// <summary>The agent finished: capacity is freed after the queue's wrap-up time.</summary>
    public Task<ContactState> CompleteAsync(string agentId, string contactId, CancellationToken cancellationToken = default) =>
        CompleteAsync(agentId, contactId, null, cancellationToken);

    /// <summary>
    /// The agent finished: capacity is freed after the queue's wrap-up time. <paramref name="details"/> (validated by the
    /// caller against the queue's codes) is stored with the contact; a repeated complete keeps the first one.
    /// </summary>
    public async Task<ContactState> CompleteAsync(string agentId, string contactId, WrapUpDetails? details, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var completedHere = false;
        var contact = await UpdateContactAsync(contactId, current =>
        {
            completedHere = current.Status == ContactStatus.Assigned && current.AgentId == agentId;
            return current.Status switch
            {
                ContactStatus.Completed when current.AgentId == agentId => null,
                ContactStatus.Assigned when current.AgentId == agentId => current with
                {
                    Status = ContactStatus.Completed,
                    EndedAt = now,
                    Disposition = details?.Disposition,
                    WrapUpNotes = details?.Notes,
                },
                _ => throw new StaleActionException($"Contact {contactId} is not assigned to {agentId}: it is {current.Status.ToString().ToLowerInvariant()}."),
            };
        }, cancellationToken);
        if (completedHere && contact.AnsweredAt is { } answered)
        {
            await _repository.RecordHandleTimeAsync(contact.QueueId, now - answered, cancellationToken);
        }
        var wrapUp = queues.Find(contact.QueueId)?.WrapUp ?? TimeSpan.Zero;
        await UpdateAgentAsync(agentId, create: false, current => current!.Assignments.All(a => a.ContactId != contactId) ? current : current with
        {
            Assignments = current.Assignments.Where(a => a.ContactId != contactId).ToList(),
            WrapUpUntil = wrapUp > TimeSpan.Zero ? now + wrapUp : current.WrapUpUntil,
            LastWorkAt = now + wrapUp,
        }, cancellationToken);
        return contact;
    }

    /// <summary>The customer left (hung up, or the channel gave up) before being answered.</summary>
    public async Task<ContactState> AbandonAsync(string contactId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        string? offeredTo = null;
        var contact = await UpdateContactAsync(contactId, current =>
        {
            offeredTo = current.OfferedTo;
            return current.Status is ContactStatus.Queued or ContactStatus.Offered
                ? current with { Status = ContactStatus.Abandoned, EndedAt = now, OfferedTo = null, OfferExpiresAt = null }
                : null;
        }, cancellationToken);
        if (contact.Status == ContactStatus.Abandoned)
        {
            await _repository.RemoveQueueEntryAsync(contact, cancellationToken);
            if (offeredTo is not null)
            {
                await ClearOfferAsync(offeredTo, contactId, missed: false, queues.Find(contact.QueueId), cancellationToken);
            }
        }
        return contact;
    }

    public async Task<ContactState> GetContactAsync(string contactId, CancellationToken cancellationToken = default) =>
        (await _repository.GetContactAsync(contactId, cancellationToken))?.Value ?? throw new UnknownContactException(contactId);

    public async Task<AgentState> GetAgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        (await _repository.GetAgentAsync(agentId, cancellationToken))?.Value ?? throw new UnknownAgentException(agentId);

    public async Task<IReadOnlyList<AgentState>> ListAgentsAsync(CancellationToken cancellationToken = default) =>
        (await _repository.ListAgentsAsync(cancellationToken)).Select(a => a.Value).ToList();

    /// <summary>Agents the ready index lists for a channel: available, no pending offer, spare capacity there.</summary>
    public async Task<IReadOnlyList<AgentState>> ListReadyAgentsAsync(Channel channel, CancellationToken cancellationToken = default) =>
        (await _repository.ListReadyAgentsAsync(channel, cancellationToken)).Select(a => a.Value).ToList();

    /// <summary>The contacts waiting in a queue, head first.</summary>
    public async Task<IReadOnlyList<string>> WaitingAsync(string queueId, CancellationToken cancellationToken = default)
    {
        _ = queues.Find(queueId) ?? throw new UnknownQueueException(queueId);
        var waiting = new List<string>();
        await foreach (var entry in _repository.QueueAsync(queueId, cancellationToken))
        {
            waiting.Add(entry.ContactId);
        }
        return waiting;
    }

    public async Task<QueuePosition> GetPositionAsync(string contactId, CancellationToken cancellationToken = default)
    {
        var contact = await GetContactAsync(contactId, cancellationToken);
        if (contact.Status != ContactStatus.Queued)
        {
            return new QueuePosition(contactId, contact.QueueId, 0, contact.Status);
        }
        var position = 0;
        await foreach (var entry in _repository.QueueAsync(contact.QueueId, cancellationToken))
        {
            position++;
            if (entry.ContactId == contactId)
            {
                break;
            }
        }
        var now = timeProvider.GetUtcNow();
        // Agents who could serve this contact once free: signed in (not offline) with the skills it needs.
        var staffed = (await _repository.ListAgentsAsync(cancellationToken)).Count(a => a.Value.Presence is not Presence.Offline
            && a.Value.CapacityFor(contact.Channel) > 0
            && (a.Value with { Presence = Presence.Available, Offer = null, Assignments = [], WrapUpUntil = null }).IneligibilityReason(contact, now) is null);
        var (handle, basis) = await _repository.GetAverageHandleTimeAsync(contact.QueueId, cancellationToken) is { } measured
            ? (measured.Average, $"average handle time {measured.Average.TotalSeconds:F0} s over {measured.Count} contacts, {staffed} agents staffed")
            : (DefaultHandleTime, $"no handled contacts yet: assumed {DefaultHandleTime.TotalSeconds:F0} s per contact, {staffed} agents staffed");
        TimeSpan? estimate = staffed == 0 ? null : handle * position / staffed;
        return new QueuePosition(contactId, contact.QueueId, position, contact.Status, estimate, staffed == 0 ? "no agent who can serve it is signed in" : basis);
    }

    private async Task<OfferMade?> TryOfferAsync(QueueDefinition queue, string contactId, ReadyAgents ready, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await _repository.GetContactAsync(contactId, cancellationToken);
            if (stored is null || stored.Value.Status != ContactStatus.Queued || stored.Value.QueueId != queue.Id)
            {
                // A stale entry. Only a contact that can never queue again (assigned, completed, abandoned) loses it
                // here; an offered one may come back (declined, expired, or another router's claim reverted), and
                // the entry is then still its place in line.
                if (stored?.Value.Status is ContactStatus.Assigned or ContactStatus.Completed or ContactStatus.Abandoned)
                {
                    await _repository.RemoveQueueEntryAsync(stored.Value, cancellationToken);
                }
                return null;
            }
            var contact = stored.Value;
            var now = timeProvider.GetUtcNow();
            if (Escalation.NextDeadline(contact, queue) is { } due && due <= now)
            {
                // Overdue escalations are applied while the contact is in hand; the scheduler is the precise path.
                var escalated = await EscalateAsync(contactId, cancellationToken);
                if (escalated.MovedQueue)
                {
                    return null;
                }
                continue;
            }
            var decision = RoutingDecider.Decide(contact, queue, (await ready.ForAsync(contact.Channel, cancellationToken)).Select(a => a.Value), now);
            if (decision.AgentId is not { } agentId)
            {
                return null;
            }
            var expiresAt = now + queue.OfferTimeout;
            try
            {
                // Claim the contact first: its record alone says who it is offered to, so two routers racing for it
                // cannot both get as far as reserving an agent.
                await _repository.ReplaceContactAsync(contact with
                {
                    Status = ContactStatus.Offered,
                    OfferedTo = agentId,
                    OfferExpiresAt = expiresAt,
                    LastDecision = decision,
                }, stored.ETag, cancellationToken);
            }
            catch (StatePreconditionFailedException)
            {
                continue; // someone else moved the contact: look again
            }
            if (!await TryReserveAsync(ready, agentId, contact, queue, expiresAt, now, cancellationToken))
            {
                // The agent filled up meanwhile: put the contact back as it was and decide again. Another router may have
                // dropped its queue entry as stale while it was claimed, so the entry is written again (idempotent).
                var reverted = await UpdateContactAsync(contactId, latest => latest.Status == ContactStatus.Offered && latest.OfferedTo == agentId && latest.OfferExpiresAt == expiresAt
                    ? latest with { Status = ContactStatus.Queued, OfferedTo = null, OfferExpiresAt = null }
                    : null, cancellationToken);
                if (reverted.Status == ContactStatus.Queued)
                {
                    await _repository.AddQueueEntryAsync(reverted, cancellationToken);
                }
                continue;
            }
            await _repository.RemoveQueueEntryAsync(contact, cancellationToken);
            return new OfferMade(contact.Id, agentId, queue.Id, contact.Channel, expiresAt, decision);
        }
        return null;
    }

    /// <summary>
    /// Reserves the agent's capacity. First straight from the ready index: one batch conditional on the index row the
    /// decision read, no read of the agent's own row. If the agent changed since, read the agent's row and write the
    /// offer conditional on its ETag. False when the agent is no longer eligible.
    /// </summary>
    private async Task<bool> TryReserveAsync(ReadyAgents ready, string agentId, ContactState contact, QueueDefinition queue,
        DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        PendingOffer Offer() => new(contact.Id, contact.Channel, queue.Id, expiresAt);
        if (ready.Row(contact.Channel, agentId) is { } indexed && indexed.Value.IneligibilityReason(contact, now) is null)
        {
            var reserved = indexed.Value with { Offer = Offer(), LastOfferedAt = now };
            try
            {
                await _repository.ReplaceReadyAgentAsync(indexed, contact.Channel, reserved, cancellationToken);
                ready.Refresh(agentId, reserved);
                return true;
            }
            catch (StateStoreException ex) when (ex is StatePreconditionFailedException or StateNotFoundException)
            {
            }
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var agent = await _repository.GetAgentAsync(agentId, cancellationToken);
            if (agent is null || agent.Value.IneligibilityReason(contact, now) is not null)
            {
                ready.Refresh(agentId, agent?.Value);
                return false;
            }
            var reserved = agent.Value with { Offer = Offer(), LastOfferedAt = now };
            try
            {
                await _repository.ReplaceAgentAsync(agent.Value, reserved, agent.ETag, cancellationToken);
                ready.Refresh(agentId, reserved);
                return true;
            }
            catch (StatePreconditionFailedException)
            {
            }
        }
        return false;
    }

    private async Task<ContactState> ReturnToQueueAsync(string agentId, string contactId, bool expired, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var current = await GetContactAsync(contactId, cancellationToken);
        var stillOffered = current.Status == ContactStatus.Offered && current.OfferedTo == agentId;
        if (stillOffered && expired && current.OfferExpiresAt is { } expires && now < expires)
        {
            return current; // the check ran early; the offer still stands
        }

        // The agent's reservation goes first, so the contact is never back in line while an agent still shows it. If
        // the process stops here the contact stays offered until its expiry check puts it back: nothing is lost.
        await ClearOfferAsync(agentId, contactId, missed: stillOffered, queues.Find(current.QueueId), cancellationToken);
        if (!stillOffered)
        {
            return current; // already accepted, declined, expired or ended: a duplicate or late event
        }

        var returned = false;
        var contact = await UpdateContactAsync(contactId, latest =>
        {
            if (latest.Status != ContactStatus.Offered || latest.OfferedTo != agentId)
            {
                return null;
            }
            returned = true;
            return latest with
            {
                Status = ContactStatus.Queued,
                OfferedTo = null,
                OfferExpiresAt = null,
                DeclinedBy = latest.DeclinedBy.Contains(agentId) ? latest.DeclinedBy : [.. latest.DeclinedBy, agentId],
            };
        }, cancellationToken);
        if (returned)
        {
            await _repository.AddQueueEntryAsync(contact, cancellationToken);
        }
        return contact;
    }

    private async Task<Versioned<AgentState>> ClearOfferAsync(string agentId, string contactId, bool missed, QueueDefinition? queue, CancellationToken cancellationToken)
    {
        var maxMissed = queue?.MaxMissedOffers ?? 0;
        await UpdateAgentAsync(agentId, create: false, current =>
        {
            if (current!.Offer?.ContactId != contactId)
            {
                return current;
            }
            var misses = missed ? current.MissedOffers + 1 : current.MissedOffers;
            return current with
            {
                Offer = null,
                MissedOffers = misses,
                Presence = missed && maxMissed > 0 && misses >= maxMissed ? Presence.Away : current.Presence,
            };
        }, cancellationToken);
        return await _repository.GetAgentAsync(agentId, cancellationToken) ?? throw new UnknownAgentException(agentId);
    }

    /// <summary>Read-modify-write of a contact with ETag retries; a null from <paramref name="change"/> means no write.</summary>
    private async Task<ContactState> UpdateContactAsync(string contactId, Func<ContactState, ContactState?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await _repository.GetContactAsync(contactId, cancellationToken) ?? throw new UnknownContactException(contactId);
            var next = change(current.Value);
            if (next is null)
            {
                return current.Value;
            }
            try
            {
                await _repository.ReplaceContactAsync(next, current.ETag, cancellationToken);
                return next;
            }
            catch (StatePreconditionFailedException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async Task<AgentState> UpdateAgentAsync(string agentId, bool create, Func<AgentState?, AgentState> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await _repository.GetAgentAsync(agentId, cancellationToken);
            if (current is null && !create)
            {
                throw new UnknownAgentException(agentId);
            }
            var next = change(current?.Value);
            try
            {
                if (current is null)
                {
                    await _repository.InsertAgentAsync(next, cancellationToken);
                }
                else if (!ReferenceEquals(next, current.Value))
                {
                    await _repository.ReplaceAgentAsync(current.Value, next, current.ETag, cancellationToken);
                }
                return next;
            }
            catch (StateStoreException ex) when (ex is StatePreconditionFailedException or StateConflictException && attempt < MaxAttempts)
            {
            }
        }
    }
}

/// <summary>
/// One routing pass's view of the ready agents, read from the ready index once per channel and kept current with the
/// pass's own reservations, so a pass never offers two contacts to one agent from a stale copy.
/// </summary>
internal sealed class ReadyAgents(AcdRepository repository)
{
    private readonly Dictionary<Channel, Dictionary<string, Versioned<AgentState>>> _byChannel = [];

    public async Task<IReadOnlyCollection<Versioned<AgentState>>> ForAsync(Channel channel, CancellationToken cancellationToken)
    {
        if (!_byChannel.TryGetValue(channel, out var agents))
        {
            agents = (await repository.ListReadyAgentsAsync(channel, cancellationToken)).ToDictionary(a => a.Value.Id, StringComparer.Ordinal);
            _byChannel[channel] = agents;
        }
        return agents.Values;
    }

    /// <summary>The ready row as read from the index (with its ETag), while this pass has not changed the agent.</summary>
    public Versioned<AgentState>? Row(Channel channel, string agentId) =>
        _byChannel.TryGetValue(channel, out var agents) && agents.TryGetValue(agentId, out var row) && row.ETag.Length > 0 ? row : null;

    /// <summary>Takes in the agent's latest state: kept where still ready (its index ETag now unknown), dropped where not.</summary>
    public void Refresh(string agentId, AgentState? latest)
    {
        foreach (var (channel, agents) in _byChannel)
        {
            if (latest is not null && AcdRepository.IsReady(latest, channel))
            {
                agents[agentId] = new Versioned<AgentState>(latest, "");
            }
            else
            {
                agents.Remove(agentId);
            }
        }
    }
}
