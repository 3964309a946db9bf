using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Events;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Workspace;

namespace ContactCenter.Core.Routing;

[JsonConverter(typeof(JsonStringEnumConverter<AcdWorkKind>))]
public enum AcdWorkKind
{
    /// <summary>Match the head of the queue with ready agents.</summary>
    Route,

    /// <summary>An offer's deadline: put the contact back if it is still unanswered.</summary>
    ExpireOffer,

    /// <summary>A contact's next overflow step is due.</summary>
    Escalate,
}

/// <summary>
/// One unit of ACD work on the <see cref="QueueNames.AcdRouting"/> queue. <see cref="QueueId"/> is also the session id,
/// so the work of one queue is done by one worker at a time and in order.
/// </summary>
public sealed record AcdWork(AcdWorkKind Kind, string QueueId, string? ContactId = null, string? AgentId = null, DateTimeOffset? Due = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, CoreJsonContext.Default.AcdWork);

    public static AcdWork FromJson(string json)
    {
        AcdWork? work;
        try
        {
            work = JsonSerializer.Deserialize(json, CoreJsonContext.Default.AcdWork);
        }
        catch (JsonException ex)
        {
            throw new InvalidAcdWorkException($"ACD work is not valid JSON: {ex.Message}", ex);
        }
        if (work is null || string.IsNullOrWhiteSpace(work.QueueId) || !Enum.IsDefined(work.Kind))
        {
            throw new InvalidAcdWorkException("ACD work needs a kind (route, expireOffer, escalate) and a queueId.");
        }
        if (work.Kind != AcdWorkKind.Route && string.IsNullOrWhiteSpace(work.ContactId)
            || work.Kind == AcdWorkKind.ExpireOffer && string.IsNullOrWhiteSpace(work.AgentId))
        {
            throw new InvalidAcdWorkException($"ACD work {work.Kind} needs a contactId{(work.Kind == AcdWorkKind.ExpireOffer ? " and an agentId" : "")}.");
        }
        return work;
    }
}

/// <summary>
/// Told when an agent takes a contact, so its channel can connect them (the voice channel adds the agent to the call).
/// Must be quick and idempotent: it runs inside the accept request, and a repeated accept calls it again.
/// </summary>
public interface IContactAssignmentListener
{
    Task ContactAssignedAsync(ContactState contact, CancellationToken cancellationToken);
}

public sealed class InvalidAcdWorkException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What one piece of ACD work did, for logs and tests.</summary>
public sealed record AcdWorkOutcome(AcdWork Work, string Summary, IReadOnlyList<OfferMade> Offers);

/// <summary>
/// The ACD's use cases as the channels and the agent API call them: each action changes state through
/// <see cref="AcdService"/>, then asks for the routing it makes possible and schedules the timers it starts (offer expiry,
/// overflow steps, end of wrap-up) as messages. Nothing scans for due work: every deadline is a scheduled message that
/// arrives at its time, and every handler is idempotent, so duplicated, late or early messages change nothing wrong.
/// Each fact that changes what an agent or supervisor sees raises its workspace notification here, once: repeated or
/// late actions that change nothing notify nothing.
/// </summary>
public sealed class AcdDispatcher(AcdService acd, IQueueCatalog queues, IMessageSender sender, TimeProvider timeProvider,
    IEnumerable<IContactAssignmentListener>? listeners = null, WorkspaceNotifier? workspace = null)
{
    private readonly IContactAssignmentListener[] _listeners = listeners?.ToArray() ?? [];

    /// <summary>Past-deadline offers the sweep puts back; the scheduled check normally does it within a second.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(30);

    public AcdService Acd => acd;

    public async Task<ContactState> EnqueueAsync(NewContact request, CancellationToken cancellationToken = default)
    {
        var contact = await acd.EnqueueAsync(request, cancellationToken);
        if (contact.Status == ContactStatus.Queued)
        {
            await ScheduleEscalationAsync(contact, cancellationToken);
            await RequestRoutingAsync([contact.QueueId], cancellationToken);
            await NotifyAsync(cancellationToken, WorkspaceMessage.Board());
        }
        return contact;
    }

    public async Task<AgentState> SetPresenceAsync(string agentId, Presence presence, CancellationToken cancellationToken = default)
    {
        var agent = await acd.SetPresenceAsync(agentId, presence, cancellationToken);
        await NotifyAsync(cancellationToken, WorkspaceMessage.Agent(agent), WorkspaceMessage.Board());
        if (presence == Presence.Available)
        {
            await RequestRoutingAsync(queues.QueueIds, cancellationToken);
        }
        return agent;
    }

    /// <summary>The agent's choice of where calls ring; their open workspaces see the change.</summary>
    public async Task<AgentState> SetRingTargetAsync(string agentId, RingTarget target, CancellationToken cancellationToken = default)
    {
        var agent = await acd.SetRingTargetAsync(agentId, target, cancellationToken);
        await NotifyAsync(cancellationToken, WorkspaceMessage.Agent(agent));
        return agent;
    }

    public async Task<ContactState> AcceptAsync(string agentId, string contactId, CancellationToken cancellationToken = default)
    {
        var before = await BeforeAsync(contactId, cancellationToken);
        var contact = await acd.AcceptAsync(agentId, contactId, cancellationToken);
        if (before?.Status != ContactStatus.Assigned && contact.Status == ContactStatus.Assigned) AcdMetrics.ContactAnswered(contact); // a repeated accept counts once
        if (before is { Status: ContactStatus.Offered } && before.OfferedTo == agentId && contact.Status == ContactStatus.Assigned)
        {
            await NotifyAsync(cancellationToken,
                WorkspaceMessage.OfferWithdrawn(agentId, new OfferWithdrawnNotice(contactId, OfferWithdrawnReasons.Accepted)),
                WorkspaceMessage.ContactAssigned(agentId, WorkspaceNotifier.AssignedOf(contact)));
            await NotifyAgentAsync(agentId, cancellationToken);
        }
        foreach (var listener in _listeners)
        {
            // Repeated accepts reach the listeners again; they are idempotent (the channel connects once).
            await listener.ContactAssignedAsync(contact, cancellationToken);
        }
        // The agent's offer is cleared: with capacity left on other channels they are ready for more.
        await RequestRoutingAsync(queues.QueueIds, cancellationToken);
        return contact;
    }

    public async Task<ContactState> DeclineAsync(string agentId, string contactId, CancellationToken cancellationToken = default)
    {
        var before = await BeforeAsync(contactId, cancellationToken);
        var contact = await acd.DeclineAsync(agentId, contactId, cancellationToken);
        if (before is { Status: ContactStatus.Offered } && before.OfferedTo == agentId && contact.OfferedTo != agentId)
        {
            await NotifyAsync(cancellationToken, WorkspaceMessage.OfferWithdrawn(agentId, new OfferWithdrawnNotice(contactId, OfferWithdrawnReasons.Declined)));
            await NotifyAgentAsync(agentId, cancellationToken);
            AcdMetrics.OfferDeclined();
        }
        await AfterReturnAsync(contact, cancellationToken);
        await RequestRoutingAsync(queues.QueueIds, cancellationToken);
        return contact;
    }

    public Task<ContactState> CompleteAsync(string agentId, string contactId, CancellationToken cancellationToken = default) =>
        CompleteAsync(agentId, contactId, null, cancellationToken);

    /// <summary>Completes with the agent's wrap-up (already validated against the queue's disposition codes).</summary>
    public async Task<ContactState> CompleteAsync(string agentId, string contactId, WrapUpDetails? wrapUp, CancellationToken cancellationToken = default)
    {
        var before = await BeforeAsync(contactId, cancellationToken);
        var contact = await acd.CompleteAsync(agentId, contactId, wrapUp, cancellationToken);
        var agent = await acd.GetAgentAsync(agentId, cancellationToken);
        if (before is { Status: ContactStatus.Assigned } && contact.Status == ContactStatus.Completed)
        {
            await NotifyAsync(cancellationToken, WorkspaceMessage.ContactEnded(agentId, new ContactEndedNotice(contactId)), WorkspaceMessage.Agent(agent));
        }
        // Wrap-up ends with time, not with a write: the routing it allows is scheduled for its end.
        await RequestRoutingAsync(queues.QueueIds, cancellationToken, agent.IsInWrapUp(timeProvider.GetUtcNow()) ? agent.WrapUpUntil : null);
        return contact;
    }

    /// <summary>A supervisor gives a contact to a named agent (see <see cref="AcdService.ReassignAsync"/>); the new offer expires like any other.</summary>
    public async Task<ReassignResult> ReassignAsync(string contactId, string agentId, CancellationToken cancellationToken = default)
    {
        var result = await acd.ReassignAsync(contactId, agentId, cancellationToken);
        if (result.Offer is { } offer)
        {
            await ScheduleExpiryAsync(offer, cancellationToken);
            // The previous agent loses an offer (withdrawn) or a contact in hand (ended); the new one gets the offer.
            var fromPrevious = result.WithdrawnFrom is not { } previous ? null
                : result.PreviousStatus == ContactStatus.Offered
                    ? WorkspaceMessage.OfferWithdrawn(previous, new OfferWithdrawnNotice(contactId, OfferWithdrawnReasons.Reassigned))
                    : WorkspaceMessage.ContactEnded(previous, new ContactEndedNotice(contactId));
            var offered = WorkspaceMessage.Offer(offer.AgentId, WorkspaceNotifier.OfferOf(offer, result.Contact));
            await NotifyAsync(cancellationToken, fromPrevious is null ? [offered, WorkspaceMessage.Board()] : [fromPrevious, offered, WorkspaceMessage.Board()]);
            if (result.WithdrawnFrom is not null)
            {
                await RequestRoutingAsync(queues.QueueIds, cancellationToken); // the previous agent has room again
            }
        }
        return result;
    }

    /// <summary>Changes an agent's skills and routes the queues whose contacts they may now serve.</summary>
    public async Task<SkillsChanged> SetSkillsAsync(string agentId, IReadOnlyDictionary<string, int> skills, CancellationToken cancellationToken = default)
    {
        var changed = await acd.SetSkillsAsync(agentId, skills, cancellationToken);
        await NotifyAsync(cancellationToken, WorkspaceMessage.Agent(changed.Agent), WorkspaceMessage.Board());
        await RequestRoutingAsync(changed.QueuesToRoute, cancellationToken);
        return changed;
    }

    public async Task<ContactState> AbandonAsync(string contactId, CancellationToken cancellationToken = default)
    {
        var before = await acd.GetContactAsync(contactId, cancellationToken);
        var contact = await acd.AbandonAsync(contactId, cancellationToken);
        if (before.Status != ContactStatus.Abandoned && contact.Status == ContactStatus.Abandoned) AcdMetrics.ContactAbandoned(contact);
        if (before.Status is ContactStatus.Queued or ContactStatus.Offered && contact.Status == ContactStatus.Abandoned)
        {
            // The customer left: the agent it was offered to (if any) drops the offer, supervisors the waiting line.
            await NotifyAsync(cancellationToken, WorkspaceMessage.ContactEnded(before.OfferedTo, new ContactEndedNotice(contactId)));
        }
        if (before.OfferedTo is not null && contact.Status == ContactStatus.Abandoned)
        {
            await RequestRoutingAsync(queues.QueueIds, cancellationToken); // the agent it was offered to is free again
        }
        return contact;
    }

    /// <summary>Does one piece of work from the <see cref="QueueNames.AcdRouting"/> queue, inside that queue's session.</summary>
    public async Task<AcdWorkOutcome> HandleAsync(AcdWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        switch (work.Kind)
        {
            case AcdWorkKind.ExpireOffer:
                return await ExpireOfferAsync(work, cancellationToken);
            case AcdWorkKind.Escalate:
                return await EscalateAsync(work, cancellationToken);
            default:
                if (queues.Find(work.QueueId) is null)
                {
                    return new AcdWorkOutcome(work, $"queue {work.QueueId} is no longer defined; nothing to route", []);
                }
                var offers = await RouteAsync(work.QueueId, cancellationToken);
                return new AcdWorkOutcome(work, $"{offers.Count} offer(s) made", offers);
        }
    }

    /// <summary>The safety net for lost expiry messages (a timer calls it): puts back offers well past their deadline.</summary>
    public async Task<int> SweepOverdueOffersAsync(CancellationToken cancellationToken = default)
    {
        var overdue = await acd.ExpireOverdueOffersAsync(SweepGrace, cancellationToken);
        if (overdue.Count > 0)
        {
            // The sweep does not say whose offers they were: agents learn of it from their offer's own deadline.
            await NotifyAsync(cancellationToken, WorkspaceMessage.Board());
            await RequestRoutingAsync(queues.QueueIds, cancellationToken);
        }
        return overdue.Count;
    }

    private async Task<IReadOnlyList<OfferMade>> RouteAsync(string queueId, CancellationToken cancellationToken)
    {
        var offers = await acd.RouteQueueAsync(queueId, cancellationToken: cancellationToken);
        AcdMetrics.OfferMade(offers.Count);
        foreach (var offer in offers)
        {
            await ScheduleExpiryAsync(offer, cancellationToken);
            if (workspace is not null && await BeforeAsync(offer.ContactId, cancellationToken) is { } contact)
            {
                await NotifyAsync(cancellationToken, WorkspaceMessage.Offer(offer.AgentId, WorkspaceNotifier.OfferOf(offer, contact)));
            }
        }
        if (offers.Count > 0)
        {
            await NotifyAsync(cancellationToken, WorkspaceMessage.Board());
        }
        return offers;
    }

    private Task ScheduleExpiryAsync(OfferMade offer, CancellationToken cancellationToken) =>
        SendAsync(new AcdWork(AcdWorkKind.ExpireOffer, offer.QueueId, offer.ContactId, offer.AgentId, offer.ExpiresAt), offer.ExpiresAt,
            $"expire|{offer.ContactId}|{offer.AgentId}|{Ticks(offer.ExpiresAt)}", cancellationToken);

    private async Task<AcdWorkOutcome> ExpireOfferAsync(AcdWork work, CancellationToken cancellationToken)
    {
        ContactState contact;
        ContactState? before;
        try
        {
            before = await BeforeAsync(work.ContactId!, cancellationToken);
            contact = await acd.ExpireOfferAsync(work.AgentId!, work.ContactId!, cancellationToken);
        }
        catch (Exception ex) when (ex is UnknownContactException or UnknownAgentException)
        {
            return new AcdWorkOutcome(work, ex.Message + " Nothing to expire.", []);
        }
        var now = timeProvider.GetUtcNow();
        if (contact.Status == ContactStatus.Offered && contact.OfferedTo == work.AgentId && contact.OfferExpiresAt is { } expires && expires > now)
        {
            // Delivered early (clocks differ a little between the broker and us): look again at the real deadline.
            await SendAsync(work with { Due = expires }, expires, $"expire|{contact.Id}|{work.AgentId}|{Ticks(expires)}|again", cancellationToken);
            return new AcdWorkOutcome(work, $"not due until {expires:O}; checked again then", []);
        }
        if (contact.Status != ContactStatus.Queued)
        {
            return new AcdWorkOutcome(work, $"offer already settled: contact is {contact.Status.ToString().ToLowerInvariant()}", []);
        }
        if (before is { Status: ContactStatus.Offered } && before.OfferedTo == work.AgentId)
        {
            await NotifyAsync(cancellationToken, WorkspaceMessage.OfferWithdrawn(work.AgentId!, new OfferWithdrawnNotice(contact.Id, OfferWithdrawnReasons.Expired)), WorkspaceMessage.Board());
            await NotifyAgentAsync(work.AgentId!, cancellationToken);
            AcdMetrics.OfferExpired(); // once per offer: a redelivered expiry finds it settled
        }
        await AfterReturnAsync(contact, cancellationToken);
        // This queue is routed here, in its session; the agent, now free, may be wanted by the others.
        await RequestRoutingAsync(queues.QueueIds.Where(q => q != contact.QueueId), cancellationToken);
        var offers = contact.QueueId == work.QueueId ? await RouteAsync(contact.QueueId, cancellationToken) : [];
        if (contact.QueueId != work.QueueId)
        {
            await RequestRoutingAsync([contact.QueueId], cancellationToken);
        }
        return new AcdWorkOutcome(work, $"offer to {work.AgentId} expired; contact back in line, {offers.Count} offer(s) made", offers);
    }

    private async Task<AcdWorkOutcome> EscalateAsync(AcdWork work, CancellationToken cancellationToken)
    {
        EscalationResult result;
        try
        {
            result = await acd.EscalateAsync(work.ContactId!, cancellationToken);
        }
        catch (UnknownContactException ex)
        {
            return new AcdWorkOutcome(work, ex.Message + " Nothing to escalate.", []);
        }
        var contact = result.Contact;
        if (contact.Status != ContactStatus.Queued)
        {
            // Offered or ended: a decline or expiry schedules the next check if it comes back.
            return new AcdWorkOutcome(work, $"contact is {contact.Status.ToString().ToLowerInvariant()}; nothing to escalate", []);
        }
        await ScheduleEscalationAsync(contact, cancellationToken);
        if (!result.Changed)
        {
            return new AcdWorkOutcome(work, "no overflow step due", []);
        }
        if (contact.QueueId != work.QueueId)
        {
            await RequestRoutingAsync([contact.QueueId], cancellationToken);
            await NotifyAsync(cancellationToken, WorkspaceMessage.Board());
            return new AcdWorkOutcome(work, $"moved to queue {contact.QueueId}", []);
        }
        // Relaxed skills may let agents of this queue take it now.
        var offers = await RouteAsync(contact.QueueId, cancellationToken);
        return new AcdWorkOutcome(work, $"overflow applied; {offers.Count} offer(s) made", offers);
    }

    /// <summary>A contact back in line (declined, expired) keeps its age, so its next overflow step may be due already.</summary>
    private async Task AfterReturnAsync(ContactState contact, CancellationToken cancellationToken)
    {
        if (contact.Status == ContactStatus.Queued)
        {
            await ScheduleEscalationAsync(contact, cancellationToken);
        }
    }

    private async Task ScheduleEscalationAsync(ContactState contact, CancellationToken cancellationToken)
    {
        if (queues.Find(contact.QueueId) is { } queue && Escalation.NextDeadline(contact, queue) is { } due)
        {
            var work = new AcdWork(AcdWorkKind.Escalate, contact.QueueId, contact.Id, Due: due);
            await SendAsync(work, due, $"escalate|{contact.Id}|{contact.QueueId}|{Ticks(due)}", cancellationToken);
        }
    }

    /// <summary>The contact before an action: it tells a change from a repeat (for notifications and metrics alike).</summary>
    private async Task<ContactState?> BeforeAsync(string contactId, CancellationToken cancellationToken)
    {
        try
        {
            return await acd.GetContactAsync(contactId, cancellationToken);
        }
        catch (UnknownContactException)
        {
            return null;
        }
    }

    private async Task NotifyAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        if (workspace is null)
        {
            return;
        }
        AgentState agent;
        try
        {
            agent = await acd.GetAgentAsync(agentId, cancellationToken);
        }
        catch (UnknownAgentException)
        {
            return;
        }
        await NotifyAsync(cancellationToken, WorkspaceMessage.Agent(agent), WorkspaceMessage.Board());
    }

    /// <summary>Never throws for a publisher: the notifier reports failures and the ACD action stands.</summary>
    private Task NotifyAsync(CancellationToken cancellationToken, params WorkspaceMessage[] messages) =>
        workspace?.PublishAsync(messages, cancellationToken) ?? Task.CompletedTask;

    private async Task RequestRoutingAsync(IEnumerable<string> queueIds, CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        foreach (var queueId in queueIds)
        {
            await SendAsync(new AcdWork(AcdWorkKind.Route, queueId), at, messageId: null, cancellationToken);
        }
    }

    private Task SendAsync(AcdWork work, DateTimeOffset? at, string? messageId, CancellationToken cancellationToken) =>
        sender.SendAsync(QueueNames.AcdRouting, new OutgoingMessage(work.ToJson())
        {
            SessionId = work.QueueId,
            // Due now or already past: send for immediate delivery instead of scheduling into the past.
            ScheduledFor = at > timeProvider.GetUtcNow() ? at : null,
            MessageId = messageId is null ? null : BoundedMessageId(messageId),
        }, cancellationToken);

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>Service Bus message ids are at most 128 characters: long ids (from long contact ids) are hashed.</summary>
    private static string BoundedMessageId(string id) => id.Length <= 128
        ? id
        : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
}
