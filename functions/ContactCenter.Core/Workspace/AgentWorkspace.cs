using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Workspace;

/// <summary>One contact in an agent's inbox, with the customer and case (and, for calls, the call) it belongs to.</summary>
/// <param name="ConversationId">The case; null for a call from a customer with no open case, or a contact with no customer.</param>
/// <param name="CallId">The call, for contacts that came from one (calls, voicemails).</param>
public sealed record InboxContact(string ContactId, Channel Channel, string QueueId, ContactStatus Status, string? CustomerId,
    string? ConversationId, string? CallId, DateTimeOffset? AssignedAt);

/// <summary>
/// What an agent does with the contacts they hold, beyond accepting them: the inbox across channels, internal notes on
/// the case, and completing with a disposition. Notes and wrap-ups go on the customer's one timeline (as internal
/// entries of <see cref="ConversationService"/>), in the case the contact belongs to.
/// </summary>
public sealed class AgentWorkspace(AcdDispatcher acd, ConversationService conversations, IQueueCatalog queues)
{
    /// <summary>The longest note an agent may write, in characters.</summary>
    public const int MaxNoteLength = 4_000;

    /// <summary>
    /// The agent's active contacts, from the agent's own row: one read, plus, for contacts of calls, the call's timeline
    /// entry (two point reads; an agent holds one call at a time by default). Contacts taken before assignments kept the
    /// customer are read from the contact.
    /// </summary>
    public async Task<IReadOnlyList<InboxContact>> InboxAsync(string agentId, CancellationToken ct = default)
    {
        var agent = await acd.Acd.GetAgentAsync(agentId, ct);
        var inbox = new List<InboxContact>(agent.Assignments.Count);
        foreach (var assignment in agent.Assignments)
        {
            var (customerId, assignedAt) = (assignment.CustomerId, assignment.AssignedAt);
            if (assignedAt is null)
            {
                try
                {
                    var contact = await acd.Acd.GetContactAsync(assignment.ContactId, ct);
                    (customerId, assignedAt) = (contact.CustomerId, contact.AnsweredAt);
                }
                catch (UnknownContactException)
                {
                }
            }
            var link = await CaseOfAsync(assignment.ContactId, customerId, ct);
            inbox.Add(new InboxContact(assignment.ContactId, assignment.Channel, assignment.QueueId, ContactStatus.Assigned,
                link.CustomerId, link.ConversationId, link.CallId, assignedAt));
        }
        return inbox.OrderBy(c => c.AssignedAt).ThenBy(c => c.ContactId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The codes a queue's agents pick from at wrap-up (the global list first).</summary>
    public IReadOnlyList<DispositionCode> DispositionsFor(string queueId) =>
        (queues.Find(queueId) ?? throw new UnknownQueueException(queueId)).Dispositions;

    /// <summary>
    /// Completes the agent's contact with their wrap-up: a disposition is required when the queue defines codes and must
    /// be one of them (<see cref="InvalidDispositionException"/> lists them). The disposition and notes are kept on the
    /// contact and put on the case's timeline. Repeating a completion changes nothing (the first wrap-up stays).
    /// </summary>
    public async Task<ContactState> CompleteAsync(string agentId, string contactId, WrapUpDetails? wrapUp, CancellationToken ct = default)
    {
        _ = await acd.Acd.GetAgentAsync(agentId, ct);
        var contact = await acd.Acd.GetContactAsync(contactId, ct);
        if (contact.Status == ContactStatus.Completed && contact.AgentId == agentId)
        {
            await RecordWrapUpAsync(contact, agentId, ct); // a retry after a crash between the two writes completes the record
            return contact;
        }
        EnsureHeldBy(contact, agentId);
        var details = Dispositions.Validate(wrapUp ?? new WrapUpDetails(null, null), queues.Find(contact.QueueId));
        var completed = await acd.CompleteAsync(agentId, contactId, details, ct);
        await RecordWrapUpAsync(completed, agentId, ct);
        return completed;
    }

    /// <summary>
    /// An internal note on the case's timeline, by the agent holding the contact. The same text on the same contact is
    /// recorded once, so a retried request does not add it twice.
    /// </summary>
    public async Task<TimelineEntry> AddNoteAsync(string agentId, string contactId, string? text, CancellationToken ct = default)
    {
        var note = text?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            throw new ArgumentException("A note needs text.");
        }
        if (note.Length > MaxNoteLength)
        {
            throw new ArgumentException($"The note is {note.Length} characters; at most {MaxNoteLength} are allowed.");
        }
        _ = await acd.Acd.GetAgentAsync(agentId, ct);
        var contact = await acd.Acd.GetContactAsync(contactId, ct);
        EnsureHeldBy(contact, agentId);
        var link = await CaseOfAsync(contactId, contact.CustomerId, ct);
        if (link.CustomerId is not { } customerId)
        {
            throw new ConversationConflictException($"Contact {contactId} has no customer record to note on.");
        }
        var entryId = $"note|{contactId}|{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(agentId + "\n" + note)))[..24]}";
        return await conversations.AddInternalEntryAsync(entryId, TimelineEntryKind.Note, customerId, link.ConversationId, contact.Channel, agentId, contactId, note, ct);
    }

    private async Task RecordWrapUpAsync(ContactState contact, string agentId, CancellationToken ct)
    {
        if (contact.Disposition is null && contact.WrapUpNotes is null)
        {
            return;
        }
        var link = await CaseOfAsync(contact.Id, contact.CustomerId, ct);
        if (link.CustomerId is not { } customerId)
        {
            return; // kept on the contact; there is no customer timeline to put it on
        }
        var label = contact.Disposition is { } code ? queues.Find(contact.QueueId)?.Dispositions.FirstOrDefault(d => d.Code == code)?.Label ?? code : null;
        var text = string.Join("\n", new[] { label is null ? null : $"Disposition: {label} ({contact.Disposition})", contact.WrapUpNotes }.OfType<string>());
        await conversations.AddInternalEntryAsync($"wrapup|{contact.Id}", TimelineEntryKind.WrapUp, customerId, link.ConversationId, contact.Channel, agentId, contact.Id, text, ct);
    }

    private static void EnsureHeldBy(ContactState contact, string agentId)
    {
        if (contact.Status != ContactStatus.Assigned || contact.AgentId != agentId)
        {
            var where = contact.Status switch
            {
                ContactStatus.Assigned => $"with {contact.AgentId}",
                ContactStatus.Offered => $"offered to {contact.OfferedTo}",
                var status => status.ToString().ToLowerInvariant(),
            };
            throw new StaleActionException($"Contact {contact.Id} is no longer {agentId}'s: it is {where}.");
        }
    }

    private sealed record CaseLink(string? CustomerId, string? ConversationId, string? CallId);

    /// <summary>
    /// The customer and case of a contact. Messaging contacts are named after their case ("C-…~2") and carry the customer
    /// id; contacts of calls ("{callId}", "{callId}~2", "{callId}~voicemail") carry the caller's number, so the call's
    /// timeline entry says whose call it was and in which case.
    /// </summary>
    private async Task<CaseLink> CaseOfAsync(string contactId, string? contactCustomerId, CancellationToken ct)
    {
        if (ConversationService.ConversationIdOfContact(contactId) is { } conversationId)
        {
            return new CaseLink(contactCustomerId, conversationId, null);
        }
        var callId = CallRecord.CallIdOfContact(contactId);
        return await conversations.FindCallEntryAsync(callId, ct) is { } call
            ? new CaseLink(call.CustomerId, call.ConversationId, callId)
            : new CaseLink(contactCustomerId, null, null);
    }
}
