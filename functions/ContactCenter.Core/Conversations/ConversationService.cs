using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Conversations;

/// <summary>How the messaging channels behave; every value has a default.</summary>
public sealed record MessagingSettings
{
    public string SmsQueueId { get; init; } = "general";
    public string EmailQueueId { get; init; } = "general";

    /// <summary>Our number texts go out from when the conversation has none (E.164).</summary>
    public string? SmsFrom { get; init; }

    /// <summary>Our sender address (an ACS verified domain's address) and the domain of our Message-IDs.</summary>
    public string? EmailFrom { get; init; }

    public string EmailDomain { get; init; } = "contactcenter.local";

    /// <summary>Sent when a customer's message opens a new contact; null sends nothing.</summary>
    public string? SmsAcknowledgement { get; init; }
    public string? EmailAcknowledgement { get; init; }
}

/// <summary>A reply or acknowledgement waiting to be sent by the provider (the outbound-messages queue).</summary>
public sealed record OutboundMessageWork(string EntryId, string CustomerId, Channel Channel, string To, string From)
{
    public string? Text { get; init; }
    public string? Subject { get; init; }
    public string? Html { get; init; }
    public string? MessageId { get; init; }
    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Events.CoreJsonContext.Default.OutboundMessageWork);

    public static OutboundMessageWork FromJson(string json) => JsonSerializer.Deserialize(json, Events.CoreJsonContext.Default.OutboundMessageWork)
        ?? throw new FormatException("Outbound message work is JSON null.");
}

public sealed class UnknownConversationException(string id) : Exception($"There is no conversation '{id}'.");

public sealed class UnknownCustomerException(string id) : Exception($"There is no customer '{id}'.");

/// <summary>The request does not fit the customer or case (no address on the chosen channel, identity owned by another customer).</summary>
public sealed class ConversationConflictException(string message) : Exception(message)
{
    /// <summary>When an identity belongs to another customer: that customer (merging the two is the way out).</summary>
    public string? OwnerCustomerId { get; init; }
}

/// <summary>The customer was merged into another (the survivor): changes go to the survivor.</summary>
public sealed class CustomerMergedException(string customerId, string survivorId)
    : Exception($"Customer {customerId} was merged into customer {survivorId}; use {survivorId}.")
{
    public string CustomerId { get; } = customerId;
    public string SurvivorId { get; } = survivorId;
}

/// <summary>
/// One customer record across channels and one case per need: every inbound text, email and call lands on the
/// customer's timeline and in their open conversation, which the ACD routes (preferring the agent who handled it last);
/// agents' replies go out on the channel the customer used last unless they choose another. Recording is idempotent by
/// the provider's message id, so redelivered events change nothing; sending goes through a queue, so a provider outage
/// delays a reply, never loses it.
/// </summary>
public sealed class ConversationService(
    ConversationRepository repository,
    AcdDispatcher acd,
    IMessageSender sender,
    MessagingSettings settings,
    TimeProvider timeProvider,
    IEmailThreadIndex threads) : IInboundEmailSink
{
    private readonly EmailThreading _threading = new(settings.EmailDomain);

    Task IInboundEmailSink.ReceiveAsync(InboundEmail email, CancellationToken cancellationToken) => ReceiveEmailAsync(email, cancellationToken);

    public const string OutboundQueue = QueueNames.OutboundMessages;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    // ------------------------------------------------------------------ customers

    /// <summary>The customer with this identity, created on first contact.</summary>
    public async Task<CustomerRecord> ResolveCustomerAsync(CustomerIdentity identity, string? name = null, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await repository.FindCustomerIdAsync(identity, ct) is { } existingId && await LiveCustomerAsync(existingId, ct) is { } existing)
            {
                return existing;
            }
            var customer = new CustomerRecord { Id = "cus-" + Guid.NewGuid().ToString("N")[..16], Name = name, Identities = [identity.ToString()], CreatedAt = Now, UpdatedAt = Now };
            // The customer row first, then the identity: a crash in between leaves an unreferenced row, never a dangling identity.
            await repository.InsertCustomerAsync(customer, ct);
            if (await repository.ClaimIdentityAsync(identity, customer.Id, ct) == customer.Id || attempt > 2)
            {
                return customer;
            }
            // Someone created this customer at the same moment and claimed the identity first: theirs is the customer.
        }
    }

    public async Task<CustomerRecord> GetCustomerAsync(string customerId, CancellationToken ct = default) =>
        (await repository.GetCustomerAsync(customerId, ct))?.Value ?? throw new UnknownCustomerException(customerId);

    /// <summary>The customer with this identity (the survivor, when the record that had it was merged).</summary>
    public async Task<CustomerRecord?> FindCustomerAsync(CustomerIdentity identity, CancellationToken ct = default) =>
        await repository.FindCustomerIdAsync(identity, ct) is { } id ? await LiveCustomerAsync(id, ct) : null;

    /// <summary>Adds an identity an agent learned (the caller's email address): from then on both reach the same record.</summary>
    public async Task<CustomerRecord> AddIdentityAsync(string customerId, CustomerIdentity identity, CancellationToken ct = default)
    {
        if ((await GetCustomerAsync(customerId, ct)).MergedInto is { } survivor)
        {
            throw new CustomerMergedException(customerId, survivor);
        }
        var owner = await repository.ClaimIdentityAsync(identity, customerId, ct);
        if (owner != customerId)
        {
            // A record already merged into this one (its merge not finished yet) gives the identity up.
            if ((await LiveCustomerAsync(owner, ct))?.Id != customerId || await repository.RepointIdentityAsync(identity, owner, customerId, ct) != customerId)
            {
                throw new ConversationConflictException($"{identity} belongs to customer {owner}; to make them one customer, merge {owner} into {customerId}.")
                {
                    OwnerCustomerId = owner,
                };
            }
        }
        return await UpdateCustomerAsync(customerId, c => c.Identities.Contains(identity.ToString()) ? null : c with { Identities = [.. c.Identities, identity.ToString()], UpdatedAt = Now }, ct);
    }

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string customerId, int limit = 100, CancellationToken ct = default) =>
        repository.TimelineAsync(customerId, Math.Clamp(limit, 1, 500), ct);

    /// <summary>The record itself, or the one it was merged into (following a chain of merges); null when unknown.</summary>
    public async Task<CustomerRecord?> LiveCustomerAsync(string customerId, CancellationToken ct = default)
    {
        var id = customerId;
        for (var hop = 0; hop < 16; hop++)
        {
            if ((await repository.GetCustomerAsync(id, ct))?.Value is not { } customer)
            {
                return null;
            }
            if (customer.MergedInto is null)
            {
                return customer;
            }
            id = customer.MergedInto;
        }
        throw new InvalidOperationException($"Customer {customerId} leads through more than 16 merges.");
    }

    // ------------------------------------------------------------------ merging

    /// <summary>
    /// Merges <paramref name="mergedId"/> into <paramref name="survivorId"/>: the merged record's identities resolve to the
    /// survivor, its conversations and timeline become the survivor's, and it stays as a tombstone naming the survivor.
    /// <para>
    /// No transaction spans the partitions involved, so the order of writes carries the safety: the tombstone first (from
    /// then on every message from the merged record's identities reaches the survivor, and the tombstone keeps the list of
    /// what to move), then the identity index, the survivor's record, the conversations, the timeline (copy, re-point,
    /// delete), and last the audit entry. Each step can be repeated, so running the merge again after a failure finishes it,
    /// and running it after it finished changes nothing.
    /// </para>
    /// Throws <see cref="ArgumentException"/> for a merge into itself, <see cref="UnknownCustomerException"/>, and
    /// <see cref="CustomerMergedException"/> when the survivor was merged away or the other record into someone else.
    /// </summary>
    public async Task<CustomerRecord> MergeCustomersAsync(string survivorId, string mergedId, CancellationToken ct = default)
    {
        if (string.Equals(survivorId, mergedId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Customer {survivorId} cannot be merged into itself.");
        }
        var survivor = await GetCustomerAsync(survivorId, ct);
        if (survivor.MergedInto is { } survivorMovedTo)
        {
            throw new CustomerMergedException(survivorId, survivorMovedTo);
        }
        var merged = await GetCustomerAsync(mergedId, ct);
        if (merged.MergedInto is { } elsewhere && elsewhere != survivorId)
        {
            throw new CustomerMergedException(mergedId, elsewhere);
        }
        if (merged.MergedInto is null)
        {
            merged = await UpdateCustomerAsync(mergedId, c => c.MergedInto switch
            {
                null => c with { MergedInto = survivorId, MergedAt = Now, UpdatedAt = Now },
                var into when into == survivorId => null,
                var into => throw new CustomerMergedException(mergedId, into),
            }, ct);
            // The survivor may have been merged away (into the record being merged, even) between the check and the
            // tombstone: undo ours rather than leave a loop of tombstones.
            if ((await GetCustomerAsync(survivorId, ct)).MergedInto is { } movedMeanwhile)
            {
                await UpdateCustomerAsync(mergedId, c => c.MergedInto == survivorId ? c with { MergedInto = null, MergedAt = null, UpdatedAt = Now } : null, ct);
                throw new CustomerMergedException(survivorId, movedMeanwhile);
            }
        }

        var identities = new List<string>();
        foreach (var text in merged.Identities)
        {
            if (CustomerIdentity.TryParse(text, out var identity) && await repository.RepointIdentityAsync(identity, mergedId, survivorId, ct) == survivorId)
            {
                identities.Add(identity.ToString());
            }
        }
        var openCase = merged.OpenConversationId is { } open && (await repository.GetConversationAsync(open, ct))?.Value.Status == ConversationStatus.Open ? open : null;
        survivor = await UpdateCustomerAsync(survivorId, c =>
        {
            var missing = identities.Where(i => !c.Identities.Contains(i)).ToList();
            var takesCase = c.OpenConversationId is null && openCase is not null;
            return missing.Count == 0 && !takesCase && c.MergedFrom.Contains(mergedId) ? null : c with
            {
                Identities = [.. c.Identities, .. missing],
                OpenConversationId = takesCase ? openCase : c.OpenConversationId,
                MergedFrom = c.MergedFrom.Contains(mergedId) ? c.MergedFrom : [.. c.MergedFrom, mergedId],
                Name = c.Name ?? merged.Name,
                UpdatedAt = Now,
            };
        }, ct);

        // Conversations before the timeline: the timeline is how the merged record's conversations are found.
        var conversationIds = new HashSet<string>(await repository.ConversationIdsOnTimelineAsync(mergedId, ct), StringComparer.Ordinal);
        if (merged.OpenConversationId is { } mergedOpen)
        {
            conversationIds.Add(mergedOpen);
        }
        foreach (var conversationId in conversationIds)
        {
            if (await repository.GetConversationAsync(conversationId, ct) is not null)
            {
                await UpdateConversationAsync(conversationId, c => c.CustomerId == mergedId ? c with { CustomerId = survivorId, UpdatedAt = Now } : null, ct);
            }
        }
        await repository.MoveTimelineAsync(mergedId, survivorId, ct);

        await repository.AddEntryAsync(new TimelineEntry
        {
            Id = $"merge|{mergedId}",
            CustomerId = survivorId,
            Channel = null,
            Direction = Direction.Internal,
            At = merged.MergedAt ?? Now,
            Text = $"Merged with customer {mergedId}" + (merged.Identities.Count > 0 ? $" ({string.Join(", ", merged.Identities)})" : "")
                + ": its identities, conversations and timeline are now this customer's.",
            Status = "merged",
        }, ct);
        return survivor;
    }

    // ------------------------------------------------------------------ inbound

    /// <summary>A text from a customer: on the timeline, in their case, and routed to an agent who can take SMS.</summary>
    public async Task<TimelineEntry?> ReceiveSmsAsync(InboundSms sms, CancellationToken ct = default)
    {
        // A sender that is no phone number (an alphanumeric id, a carrier's odd format) is kept as sent, not refused.
        var identity = CustomerIdentity.PhoneOrRaw(sms.From);
        var customer = await ResolveCustomerAsync(identity, ct: ct);
        var conversation = await OpenOrContinueAsync(customer, Channel.Sms, sms.From, sms.To, subject: null, threadConversationId: null, ct);
        var entry = new TimelineEntry
        {
            Id = $"sms|{sms.MessageId}",
            CustomerId = customer.Id,
            ConversationId = conversation.Id,
            Channel = Channel.Sms,
            Direction = Direction.Inbound,
            At = sms.ReceivedAt,
            Text = Bound(sms.Text),
            From = sms.From,
            To = sms.To,
            ProviderMessageId = sms.MessageId,
            Status = "received",
        };
        if (!await repository.AddEntryAsync(entry, ct))
        {
            return null; // delivered before
        }
        var opened = await RouteAsync(conversation, Channel.Sms, settings.SmsQueueId, ct);
        if (opened && settings.SmsAcknowledgement is { } ack)
        {
            await QueueSendAsync(customer.Id, conversation.Id, Channel.Sms, sms.From, sms.To, ack, subject: null, agentId: null, ct);
        }
        return entry;
    }

    /// <summary>
    /// A STOP / START / HELP text, already answered by the SMS outbox: on the customer's timeline with the automatic reply,
    /// for agents to see, but it opens no case and routes nothing. Recorded once per provider message id; a reply sent
    /// on a later delivery (the first attempt failed) updates the reply's entry.
    /// </summary>
    public async Task<TimelineEntry?> RecordSmsKeywordAsync(InboundSms sms, SmsKeywordResult keyword, CancellationToken ct = default)
    {
        if (keyword.Keyword == SmsKeyword.None)
        {
            throw new ArgumentException("An ordinary text is received with ReceiveSmsAsync.", nameof(keyword));
        }
        var customer = await ResolveCustomerAsync(CustomerIdentity.PhoneOrRaw(sms.From), ct: ct);
        var word = sms.Text.Trim().ToUpperInvariant();
        var (status, meaning) = keyword.Keyword switch
        {
            SmsKeyword.OptOut => ("opted-out", keyword.Changed ? $"opted out of texts from {sms.To}" : "already opted out, nothing changed"),
            SmsKeyword.OptIn => ("opted-in", keyword.Changed ? $"opted in to texts from {sms.To} again" : "already opted in, nothing changed"),
            _ => ("received", "asked for help"),
        };
        var entry = new TimelineEntry
        {
            Id = $"sms|{sms.MessageId}",
            CustomerId = customer.Id,
            ConversationId = customer.OpenConversationId,
            Channel = Channel.Sms,
            Direction = Direction.Inbound,
            At = sms.ReceivedAt,
            Text = $"Customer texted {word} — {meaning}",
            From = sms.From,
            To = sms.To,
            ProviderMessageId = sms.MessageId,
            Status = status,
        };
        var added = await repository.AddEntryAsync(entry, ct);
        if (keyword.Reply is { } reply)
        {
            var replyEntry = new TimelineEntry
            {
                Id = $"sms-auto|{sms.MessageId}",
                CustomerId = customer.Id,
                ConversationId = customer.OpenConversationId,
                Channel = Channel.Sms,
                Direction = Direction.Outbound,
                // Never before the keyword it answers, whatever the clocks say.
                At = Now > sms.ReceivedAt ? Now : sms.ReceivedAt,
                Text = Bound(keyword.ReplyText ?? $"(automatic reply to {word})"),
                From = sms.To,
                To = sms.From,
                ProviderMessageId = reply.MessageId,
                Status = reply.Accepted ? "sent" : "failed",
                StatusDetails = reply.Error,
            };
            if (!await repository.AddEntryAsync(replyEntry, ct) && reply.Accepted && await repository.FindEntryAsync(replyEntry.Id, ct) is { } earlier && earlier.Value.Status == "failed")
            {
                await repository.ReplaceEntryAsync(earlier.Value with { Status = "sent", StatusDetails = null, ProviderMessageId = reply.MessageId }, earlier.ETag, ct);
            }
            if (reply.MessageId is { } providerId)
            {
                // Its delivery report then moves the reply's status like any other text's.
                await repository.LinkProviderIdAsync(replyEntry, providerId, ct);
            }
        }
        return added ? entry : null;
    }

    /// <summary>An email from a customer: threaded into its case by Message-ID, References or the subject token.</summary>
    public async Task<TimelineEntry?> ReceiveEmailAsync(InboundEmail email, CancellationToken ct = default)
    {
        var identity = CustomerIdentity.Email(email.From);
        var thread = await EmailThreading.FindConversationAsync(email, threads, ct) is { } match ? (await repository.GetConversationAsync(match.ConversationId, ct))?.Value : null;
        var customer = thread is not null ? await LiveCustomerAsync(thread.CustomerId, ct) ?? throw new UnknownCustomerException(thread.CustomerId)
            : await ResolveCustomerAsync(identity, email.FromName, ct);
        var conversation = await OpenOrContinueAsync(customer, Channel.Email, identity.Value, email.To.FirstOrDefault(), email.Subject, thread?.Id, ct);
        var messageId = EmailThreading.NormalizeMessageId(email.MessageId) ?? $"<{Guid.NewGuid():N}@{settings.EmailDomain}>";
        var entry = new TimelineEntry
        {
            Id = $"email|{messageId}",
            CustomerId = customer.Id,
            ConversationId = conversation.Id,
            Channel = Channel.Email,
            Direction = Direction.Inbound,
            At = email.ReceivedAt,
            Subject = email.Subject,
            Text = Bound(email.PlainText ?? email.Html),
            From = identity.Value,
            To = string.Join(", ", email.To),
            ProviderMessageId = messageId,
            Status = "received",
            Attachments = [.. email.Attachments.Select(a => $"{a.Name} ({a.Length} bytes) {a.Location}"), .. email.AttachmentsNotKept.Select(a => a.Describe())],
            StatusDetails = email.AttachmentsNotKept.Count > 0 ? $"{email.AttachmentsNotKept.Count} attachment(s) not kept" : null,
        };
        if (!await repository.AddEntryAsync(entry, ct))
        {
            return null;
        }
        await EmailThreading.RememberAsync(threads, conversation.Id, messageId, email.Subject, ct);
        await UpdateConversationAsync(conversation.Id, c => c with { EmailThread = [.. c.EmailThread.Where(m => m != messageId).TakeLast(19), messageId] }, ct);
        var opened = await RouteAsync(conversation, Channel.Email, settings.EmailQueueId, ct);
        if (opened && settings.EmailAcknowledgement is { } ack)
        {
            await QueueSendAsync(customer.Id, conversation.Id, Channel.Email, identity.Value, email.To.FirstOrDefault() ?? settings.EmailFrom ?? "", ack, email.Subject, agentId: null, ct);
        }
        return entry;
    }

    /// <summary>A delivery report: the entry's status moves forward (a late "sent" never overwrites "delivered").</summary>
    public async Task<TimelineEntry?> RecordDeliveryAsync(string providerMessageId, string status, string? details, DateTimeOffset at, CancellationToken ct = default)
    {
        if (await repository.FindEntryAsync(providerMessageId, ct) is not { } stored)
        {
            return null; // not one of ours (or recorded by another system)
        }
        var normalized = status.Trim().ToLowerInvariant();
        if (Rank(normalized) < Rank(stored.Value.Status))
        {
            return stored.Value;
        }
        var updated = stored.Value with { Status = normalized, StatusDetails = details };
        await repository.ReplaceEntryAsync(updated, stored.ETag, ct);
        return updated;
    }

    // ------------------------------------------------------------------ agents

    public async Task<ConversationRecord> GetConversationAsync(string conversationId, CancellationToken ct = default) =>
        (await repository.GetConversationAsync(conversationId, ct))?.Value ?? throw new UnknownConversationException(conversationId);

    /// <summary>An agent's reply, on the customer's last channel unless <paramref name="channel"/> says otherwise; sent through the outbound queue.</summary>
    public async Task<TimelineEntry> ReplyAsync(string conversationId, string agentId, string text, Channel? channel = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var conversation = await GetConversationAsync(conversationId, ct);
        var customer = await LiveCustomerAsync(conversation.CustomerId, ct) ?? throw new UnknownCustomerException(conversation.CustomerId);
        var via = channel ?? conversation.LastChannel;
        string to;
        string from;
        switch (via)
        {
            case Channel.Sms:
                to = (conversation.LastChannel == Channel.Sms ? conversation.CustomerAddress : null) ?? customer.IdentityOf("phone")
                    ?? throw new ConversationConflictException($"Customer {customer.Id} has no phone number to text.");
                from = (conversation.LastChannel == Channel.Sms ? conversation.OurAddress : null) ?? settings.SmsFrom
                    ?? throw new ConversationConflictException("No number to text from: set Messaging:SmsFrom.");
                break;
            case Channel.Email:
                to = (conversation.LastChannel == Channel.Email ? conversation.CustomerAddress : null) ?? customer.IdentityOf("email")
                    ?? throw new ConversationConflictException($"Customer {customer.Id} has no email address.");
                from = settings.EmailFrom ?? (conversation.LastChannel == Channel.Email ? conversation.OurAddress : null)
                    ?? throw new ConversationConflictException("No address to email from: set Messaging:EmailFrom.");
                break;
            default:
                throw new ConversationConflictException($"Replies go out by SMS or email; {via} is not a messaging channel.");
        }
        return await QueueSendAsync(customer.Id, conversation.Id, via, to, from, text, conversation.Subject, agentId, ct);
    }

    public async Task<ConversationRecord> ResolveAsync(string conversationId, CancellationToken ct = default)
    {
        var resolved = await UpdateConversationAsync(conversationId, c => c.Status == ConversationStatus.Resolved ? null : c with { Status = ConversationStatus.Resolved, ResolvedAt = Now, UpdatedAt = Now }, ct);
        await UpdateCustomerAsync(resolved.CustomerId, c => c.OpenConversationId == conversationId ? c with { OpenConversationId = null, UpdatedAt = Now } : null, ct);
        return resolved;
    }

    /// <summary>Notes which agent took a conversation's contact (the ACD's accept), so the customer's next message prefers them.</summary>
    public async Task ContactAssignedAsync(ContactState contact, CancellationToken ct = default)
    {
        var conversationId = ConversationIdOfContact(contact.Id);
        if (conversationId is not null && contact.AgentId is { } agentId && await repository.GetConversationAsync(conversationId, ct) is not null)
        {
            await UpdateConversationAsync(conversationId, c => c.AgentId == agentId ? null : c with { AgentId = agentId, UpdatedAt = Now }, ct);
        }
    }

    /// <summary>
    /// An agent's internal entry (a note or a wrap-up) on the customer's timeline, in the case when there is one. Nothing
    /// is sent. Recorded once per <paramref name="entryId"/>: a repeat returns the entry first recorded.
    /// </summary>
    public async Task<TimelineEntry> AddInternalEntryAsync(string entryId, TimelineEntryKind kind, string customerId, string? conversationId,
        Channel channel, string agentId, string contactId, string text, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (kind == TimelineEntryKind.Communication)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), "Internal entries are notes or wrap-ups.");
        }
        var entry = new TimelineEntry
        {
            Id = entryId,
            Kind = kind,
            CustomerId = customerId,
            ConversationId = conversationId,
            Channel = channel,
            Direction = Direction.Outbound,
            At = Now,
            Text = Bound(text),
            AgentId = agentId,
            ContactId = contactId,
            Status = "internal",
        };
        return await repository.AddEntryAsync(entry, ct) ? entry : (await repository.FindEntryAsync(entryId, ct))?.Value ?? entry;
    }

    /// <summary>The timeline entry of a call (<see cref="RecordCallAsync"/>): whose call it was and in which case.</summary>
    public async Task<TimelineEntry?> FindCallEntryAsync(string callId, CancellationToken ct = default) =>
        (await repository.FindEntryAsync($"call|{callId}", ct))?.Value;

    // ------------------------------------------------------------------ voice

    /// <summary>
    /// A call from (or to) a customer: on their timeline and in their open case. Returns the agent who last handled the
    /// case, whom the ACD prefers (within the queue's sticky window) — an email then a call reaches the same agent.
    /// </summary>
    public async Task<string?> RecordCallAsync(string customerNumber, string callId, Direction direction, string summary, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(customerNumber))
        {
            return null;
        }
        // A caller of an identifier kind we do not read (a Teams visitor, an anonymous number) is filed by its raw id.
        var identity = Voice.CallAddresses.TryParse(customerNumber, out var target) && target is Voice.CallTarget.PhoneNumber phone
            ? CustomerIdentity.Phone(phone.Value)
            : CustomerIdentity.Raw(customerNumber);
        var customer = await ResolveCustomerAsync(identity, ct: ct);
        var conversation = customer.OpenConversationId is { } open ? (await repository.GetConversationAsync(open, ct))?.Value : null;
        await repository.AddEntryAsync(new TimelineEntry
        {
            Id = $"call|{callId}",
            CustomerId = customer.Id,
            ConversationId = conversation?.Id,
            Channel = Channel.Voice,
            Direction = direction,
            At = Now,
            Text = summary,
            From = direction == Direction.Inbound ? identity.Value : null,
            To = direction == Direction.Outbound ? identity.Value : null,
            ProviderMessageId = callId,
            Status = "started",
        }, ct);
        return conversation?.AgentId;
    }

    /// <summary>What became of a call, on the timeline entry <see cref="RecordCallAsync"/> made.</summary>
    public async Task RecordCallEndedAsync(string callId, string outcome, string? agentId, CancellationToken ct = default)
    {
        if (await repository.FindEntryAsync($"call|{callId}", ct) is { } stored && stored.Value.Status != "ended")
        {
            await repository.ReplaceEntryAsync(stored.Value with { Status = "ended", StatusDetails = outcome, AgentId = agentId ?? stored.Value.AgentId }, stored.ETag, ct);
        }
    }

    // ------------------------------------------------------------------ sending

    /// <summary>Sends one queued message through the channel's provider and records the outcome on its timeline entry.</summary>
    public async Task<TimelineEntry?> SendQueuedAsync(OutboundMessageWork work, ISmsProvider? sms, IEmailProvider? email, CancellationToken ct = default)
    {
        if (await repository.FindEntryAsync(work.EntryId, ct) is not { } stored)
        {
            throw new InvalidOperationException($"Timeline entry {work.EntryId} of a queued message is missing.");
        }
        if (stored.Value.Status is not "queued")
        {
            return stored.Value; // sent before: a redelivered message
        }
        string? providerId;
        string status;
        string? details = null;
        if (work.Channel == Channel.Sms)
        {
            var result = await (sms ?? throw new InvalidOperationException("No SMS provider is configured.")).SendAsync(new OutgoingSms(work.From, work.To, work.Text ?? "") { Tag = work.EntryId }, ct);
            (providerId, status, details) = (result.MessageId, result.Accepted ? "sent" : "failed", result.Error);
        }
        else
        {
            var result = await (email ?? throw new InvalidOperationException("No email provider is configured.")).SendAsync(new OutgoingEmail(work.From, [work.To], work.Subject ?? "")
            {
                PlainText = work.Text,
                Html = work.Html,
                MessageId = work.MessageId,
                InReplyTo = work.InReplyTo,
                References = work.References,
            }, ct);
            (providerId, status, details) = (result.OperationId, result.State == EmailSendState.Failed ? "failed" : "sent", result.Error);
        }
        var updated = stored.Value with { Status = status, StatusDetails = details, ProviderMessageId = providerId ?? stored.Value.ProviderMessageId };
        if (providerId is not null)
        {
            await repository.LinkProviderIdAsync(updated, providerId, ct);
        }
        await repository.ReplaceEntryAsync(updated, stored.ETag, ct);
        return updated;
    }

    private async Task<TimelineEntry> QueueSendAsync(string customerId, string conversationId, Channel channel, string to, string from, string text,
        string? subject, string? agentId, CancellationToken ct)
    {
        var conversation = (await repository.GetConversationAsync(conversationId, ct))?.Value;
        var entryId = $"{(channel == Channel.Sms ? "sms" : "email")}-out|{Guid.NewGuid():N}";
        string? messageId = null;
        string? replySubject = null;
        if (channel == Channel.Email)
        {
            messageId = _threading.NewMessageId();
            replySubject = EmailThreading.ReplySubject(subject ?? conversation?.Subject ?? "Your request", conversationId);
        }
        var entry = new TimelineEntry
        {
            Id = entryId,
            CustomerId = customerId,
            ConversationId = conversationId,
            Channel = channel,
            Direction = Direction.Outbound,
            At = Now,
            Text = Bound(text),
            Subject = replySubject,
            From = from,
            To = to,
            AgentId = agentId,
            Status = "queued",
        };
        await repository.AddEntryAsync(entry, ct);
        if (messageId is not null)
        {
            // Our Message-ID (and the subject token) find the case when the customer replies to this email.
            await EmailThreading.RememberAsync(threads, conversationId, messageId, replySubject, ct);
        }
        var work = new OutboundMessageWork(entryId, customerId, channel, to, from)
        {
            Text = text,
            Subject = replySubject,
            MessageId = messageId,
            InReplyTo = conversation?.EmailThread.LastOrDefault(),
            References = conversation?.EmailThread ?? [],
        };
        await sender.SendAsync(OutboundQueue, new OutgoingMessage(work.ToJson()) { MessageId = entryId }, ct);
        return entry;
    }

    // ------------------------------------------------------------------ cases and routing

    private async Task<ConversationRecord> OpenOrContinueAsync(CustomerRecord customer, Channel channel, string customerAddress, string? ourAddress,
        string? subject, string? threadConversationId, CancellationToken ct)
    {
        var existingId = threadConversationId ?? customer.OpenConversationId;
        if (existingId is not null && await repository.GetConversationAsync(existingId, ct) is { } existing)
        {
            // A reply to a resolved case reopens it: the customer is still talking about the same thing.
            var reopened = existing.Value.Status == ConversationStatus.Resolved && threadConversationId is not null;
            if (existing.Value.Status == ConversationStatus.Open || reopened)
            {
                var continued = await UpdateConversationAsync(existing.Value.Id, c => c with
                {
                    Status = ConversationStatus.Open,
                    ResolvedAt = null,
                    LastChannel = channel,
                    CustomerAddress = customerAddress,
                    OurAddress = ourAddress ?? c.OurAddress,
                    Subject = c.Subject ?? subject,
                    UpdatedAt = Now,
                }, ct);
                await UpdateCustomerAsync(customer.Id, c => c.OpenConversationId == continued.Id ? null : c with { OpenConversationId = continued.Id, UpdatedAt = Now }, ct);
                return continued;
            }
        }
        var lastAgent = existingId is not null ? (await repository.GetConversationAsync(existingId, ct))?.Value.AgentId : null;
        var conversation = new ConversationRecord
        {
            Id = NewConversationId(),
            CustomerId = customer.Id,
            Token = "",
            Subject = subject,
            LastChannel = channel,
            CustomerAddress = customerAddress,
            OurAddress = ourAddress,
            AgentId = lastAgent,
            OpenedAt = Now,
            UpdatedAt = Now,
        };
        conversation = conversation with { Token = conversation.Id };
        await repository.InsertConversationAsync(conversation, ct);
        await UpdateCustomerAsync(customer.Id, c => c with { OpenConversationId = conversation.Id, UpdatedAt = Now }, ct);
        return conversation;
    }

    /// <summary>Gives the case to the ACD unless a contact of it is already waiting or with an agent; true when a new contact was opened.</summary>
    private async Task<bool> RouteAsync(ConversationRecord conversation, Channel channel, string queueId, CancellationToken ct)
    {
        var current = (await repository.GetConversationAsync(conversation.Id, ct))!.Value;
        if (current.ContactId is { } active)
        {
            try
            {
                var contact = await acd.Acd.GetContactAsync(active, ct);
                if (contact.Status is ContactStatus.Queued or ContactStatus.Offered or ContactStatus.Assigned)
                {
                    return false; // the agent (or the one to come) sees the new message on the timeline
                }
            }
            catch (UnknownContactException)
            {
            }
        }
        var contactId = $"{current.Id}~{current.ContactCount + 1}";
        await UpdateConversationAsync(current.Id, c => c with { ContactId = contactId, ContactCount = c.ContactCount + 1 }, ct);
        await acd.EnqueueAsync(new NewContact(contactId, channel, queueId) { CustomerId = current.CustomerId, PreferredAgentId = current.AgentId }, ct);
        return true;
    }

    /// <summary>The conversation a messaging contact belongs to ("C-...~2" → "C-..."); null for contacts of calls.</summary>
    public static string? ConversationIdOfContact(string contactId) =>
        contactId.StartsWith("C-", StringComparison.Ordinal) ? Voice.CallRecord.CallIdOfContact(contactId) : null;

    private static string NewConversationId() => "C-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5));

    private static string? Bound(string? text) => text is null ? null : text.Length <= TimelineEntry.MaxText ? text : text[..TimelineEntry.MaxText] + "…";

    private static int Rank(string? status) => status switch
    {
        "queued" => 0,
        "sent" or "accepted" => 1,
        "delivered" or "failed" or "bounced" or "expired" or "suppressed" or "quarantined" or "filteredspam" => 2,
        _ => 1,
    };

    private async Task<ConversationRecord> UpdateConversationAsync(string id, Func<ConversationRecord, ConversationRecord?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await repository.GetConversationAsync(id, ct) ?? throw new UnknownConversationException(id);
            if (change(stored.Value) is not { } next)
            {
                return stored.Value;
            }
            try
            {
                await repository.ReplaceConversationAsync(next, stored.ETag, ct);
                return next;
            }
            catch (StatePreconditionFailedException) when (attempt < 5)
            {
            }
        }
    }

    private async Task<CustomerRecord> UpdateCustomerAsync(string id, Func<CustomerRecord, CustomerRecord?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await repository.GetCustomerAsync(id, ct) ?? throw new UnknownCustomerException(id);
            if (change(stored.Value) is not { } next)
            {
                return stored.Value;
            }
            try
            {
                await repository.ReplaceCustomerAsync(next, stored.ETag, ct);
                return next;
            }
            catch (StatePreconditionFailedException) when (attempt < 5)
            {
            }
        }
    }
}

/// <summary>
/// Tells the conversation which agent took its contact. Takes the service through a factory: the service routes through
/// the dispatcher, which holds this listener.
/// </summary>
public sealed class ConversationAssignmentListener(Func<ConversationService> conversations) : IContactAssignmentListener
{
    public Task ContactAssignedAsync(ContactState contact, CancellationToken cancellationToken) =>
        contact.Channel is Channel.Sms or Channel.Email ? conversations().ContactAssignedAsync(contact, cancellationToken) : Task.CompletedTask;
}
