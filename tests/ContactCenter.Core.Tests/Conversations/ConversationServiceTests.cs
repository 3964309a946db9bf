using ContactCenter.Core.Channels;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests.Conversations;

/// <summary>One customer, one timeline, one case across SMS, email and calls; replies on the customer's channel; redeliveries change nothing.</summary>
public sealed class ConversationServiceTests : IMessageSender, ISmsProvider, IEmailProvider
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly VirtualTimeProvider _clock = new(T0);
    private readonly List<(string Queue, OutgoingMessage Message)> _queued = [];
    private readonly List<OutgoingSms> _texts = [];
    private readonly List<OutgoingEmail> _emails = [];
    private readonly AcdDispatcher _acd;
    private readonly ConversationService _service;

    public ConversationServiceTests()
    {
        var store = new InMemoryStateStore(_clock);
        var queues = new StaticQueueCatalog([new QueueDefinition("general") { StickyAgentWindow = TimeSpan.FromMinutes(5) }]);
        _acd = new AcdDispatcher(new AcdService(store, queues, _clock), queues, this, _clock);
        _service = new ConversationService(new ConversationRepository(store), _acd, this,
            new MessagingSettings { SmsFrom = "+18005550199", EmailFrom = "help@contoso.com", EmailDomain = "contoso.com", SmsAcknowledgement = "Thanks, we'll reply soon." }, _clock,
            new StateStoreEmailThreadIndex(store));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task IMessageSender.SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken)
    {
        _queued.Add((queueName, message));
        return Task.CompletedTask;
    }

    private bool FailSms { get; set; }

    Task<SmsSendResult> ISmsProvider.SendAsync(OutgoingSms sms, CancellationToken cancellationToken)
    {
        if (FailSms)
        {
            throw new HttpRequestException("503 from the provider");
        }
        _texts.Add(sms);
        return Task.FromResult(new SmsSendResult(sms.To, $"sms-{_texts.Count}", true));
    }

    Task<EmailSendResult> IEmailProvider.SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        _emails.Add(email);
        return Task.FromResult(new EmailSendResult($"op-{_emails.Count}", EmailSendState.Running));
    }

    Task<EmailSendResult> IEmailProvider.GetStatusAsync(string operationId, CancellationToken cancellationToken) =>
        Task.FromResult(new EmailSendResult(operationId, EmailSendState.Succeeded));

    /// <summary>Sends what is queued on the outbound queue, as the OutboundMessages function does.</summary>
    private async Task FlushOutboundAsync()
    {
        foreach (var (_, message) in _queued.Where(q => q.Queue == QueueNames.OutboundMessages).ToList())
        {
            await _service.SendQueuedAsync(OutboundMessageWork.FromJson(message.Body), this, this, Ct);
            _queued.RemoveAll(q => q.Message == message);
        }
    }

    private InboundSms Text(string id, string body, string from = "+14255550100") => new(id, from, "+18005550199", body, _clock.GetUtcNow());

    [Fact]
    public async Task A_text_creates_the_customer_a_case_and_a_routed_contact_once_however_often_it_is_delivered()
    {
        var entry = await _service.ReceiveSmsAsync(Text("m1", "Where is my parcel?"), Ct);
        Assert.Null(await _service.ReceiveSmsAsync(Text("m1", "Where is my parcel?"), Ct));

        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Phone("+14255550100"), Ct))!;
        var conversation = await _service.GetConversationAsync(customer.OpenConversationId!, Ct);
        Assert.Equal(entry!.ConversationId, conversation.Id);
        var contact = await _acd.Acd.GetContactAsync(conversation.ContactId!, Ct);
        Assert.Equal((Channel.Sms, "general", customer.Id), (contact.Channel, contact.QueueId, contact.CustomerId));
        Assert.Equal(["Where is my parcel?", "Thanks, we'll reply soon."], (await _service.TimelineAsync(customer.Id, ct: Ct)).Select(e => e.Text).Reverse());
        // A second text while the contact waits joins it: no second contact, no second acknowledgement.
        await _service.ReceiveSmsAsync(Text("m2", "Order 1234"), Ct);
        Assert.Equal(1, (await _service.GetConversationAsync(conversation.Id, Ct)).ContactCount);
        Assert.Single(_queued, q => q.Queue == QueueNames.OutboundMessages);
    }

    [Fact]
    public async Task An_email_then_a_call_from_the_same_customer_land_in_the_same_case_with_the_same_agent()
    {
        await _service.ReceiveEmailAsync(new InboundEmail("<a1@mail.example>", "Ann@Example.com", ["help@contoso.com"], "Broken router", _clock.GetUtcNow()) { PlainText = "It blinks red." }, Ct);
        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Email("ann@example.com"), Ct))!;
        await _service.AddIdentityAsync(customer.Id, CustomerIdentity.Phone("+14255550100"), Ct);
        var conversation = await _service.GetConversationAsync(customer.OpenConversationId!, Ct);
        await _acd.Acd.UpsertAgentAsync(new AgentProfile("ann-agent", "Agent", new Dictionary<string, int>()), Ct);
        await _acd.SetPresenceAsync("ann-agent", Presence.Available, Ct);
        await _acd.HandleAsync(new AcdWork(AcdWorkKind.Route, "general"), Ct);
        await _acd.AcceptAsync("ann-agent", conversation.ContactId!, Ct);
        await _service.ContactAssignedAsync(await _acd.Acd.GetContactAsync(conversation.ContactId!, Ct), Ct);

        _clock.MoveTo(T0.AddMinutes(2));
        var preferred = await _service.RecordCallAsync("4:+14255550100", "call-1", Direction.Inbound, "called about the router", Ct);

        Assert.Equal("ann-agent", preferred);
        var timeline = await _service.TimelineAsync(customer.Id, ct: Ct);
        Assert.Equal([Channel.Voice, Channel.Email], timeline.Select(e => e.Channel));
        Assert.All(timeline, e => Assert.Equal(conversation.Id, e.ConversationId));
        // Someone else cannot claim the number now.
        var other = await _service.ResolveCustomerAsync(CustomerIdentity.Email("bob@example.com"), ct: Ct);
        await Assert.ThrowsAsync<ConversationConflictException>(() => _service.AddIdentityAsync(other.Id, CustomerIdentity.Phone("+14255550100"), Ct));
    }

    [Fact]
    public async Task An_email_reply_threads_into_its_case_by_in_reply_to_references_or_the_subject_token()
    {
        await _service.ReceiveEmailAsync(new InboundEmail("<first@mail.example>", "ann@example.com", ["help@contoso.com"], "Refund", _clock.GetUtcNow()), Ct);
        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Email("ann@example.com"), Ct))!;
        var conversationId = customer.OpenConversationId!;
        var reply = await _service.ReplyAsync(conversationId, "agent-1", "We refunded you.", ct: Ct);
        await FlushOutboundAsync();
        var sent = Assert.Single(_emails);
        Assert.Equal($"Re: Refund [#{conversationId}]", sent.Subject);
        Assert.Equal("<first@mail.example>", sent.InReplyTo);
        await _service.ResolveAsync(conversationId, Ct);

        // The customer answers our email from another address: In-Reply-To names our Message-ID, so it joins the case (reopened).
        await _service.ReceiveEmailAsync(new InboundEmail("<second@mail.example>", "ann.work@example.com", ["help@contoso.com"], "RE: Re: Refund", _clock.GetUtcNow())
        { InReplyTo = sent.MessageId }, Ct);
        var conversation = await _service.GetConversationAsync(conversationId, Ct);
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(["<first@mail.example>", "<second@mail.example>"], conversation.EmailThread);
        // Only the subject token survived (headers stripped by a forwarding client).
        await _service.ReceiveEmailAsync(new InboundEmail("<third@mail.example>", "ann@example.com", ["help@contoso.com"], $"Fwd: Refund [#{conversationId}]", _clock.GetUtcNow()), Ct);
        Assert.Equal(3, (await _service.GetConversationAsync(conversationId, Ct)).EmailThread.Count);
        Assert.Equal($"Re: Refund [#{conversationId}]", EmailThreading.ReplySubject($"RE: Re: Refund [#{conversationId}]", conversationId));
        Assert.Equal("queued", reply.Status);
    }

    [Fact]
    public async Task Replies_go_out_on_the_last_channel_unless_the_agent_picks_another_and_delivery_reports_move_status_forward()
    {
        await _service.ReceiveEmailAsync(new InboundEmail("<e1@mail.example>", "ann@example.com", ["help@contoso.com"], "Hello", _clock.GetUtcNow()), Ct);
        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Email("ann@example.com"), Ct))!;
        await _service.AddIdentityAsync(customer.Id, CustomerIdentity.Phone("+14255550100"), Ct);
        await _service.ReceiveSmsAsync(Text("s1", "Also: can you call me?"), Ct);
        _queued.Clear();

        await _service.ReplyAsync(customer.OpenConversationId!, "agent-1", "Sure, at 3pm.", ct: Ct);
        await _service.ReplyAsync(customer.OpenConversationId!, "agent-1", "Details by email.", Channel.Email, Ct);
        await FlushOutboundAsync();

        Assert.Equal(("+14255550100", "+18005550199", "Sure, at 3pm."), (_texts.Single().To, _texts.Single().From, _texts.Single().Text));
        Assert.Equal(["ann@example.com"], _emails.Single().To);
        await _service.RecordDeliveryAsync("sms-1", "Delivered", null, _clock.GetUtcNow(), Ct);
        await _service.RecordDeliveryAsync("sms-1", "Sent", null, _clock.GetUtcNow(), Ct); // late and out of order
        var text = (await _service.TimelineAsync(customer.Id, ct: Ct)).Single(e => e.Text == "Sure, at 3pm.");
        Assert.Equal("delivered", text.Status);
    }

    [Fact]
    public async Task A_provider_failure_keeps_the_reply_queued_for_the_retry_and_it_is_sent_once()
    {
        await _service.ReceiveSmsAsync(Text("s1", "Hi"), Ct);
        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Phone("+14255550100"), Ct))!;
        _queued.Clear();
        await _service.ReplyAsync(customer.OpenConversationId!, "agent-1", "Hello!", ct: Ct);
        var work = OutboundMessageWork.FromJson(_queued.Single().Message.Body);

        FailSms = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => _service.SendQueuedAsync(work, this, this, Ct));
        Assert.Equal("queued", (await _service.TimelineAsync(customer.Id, ct: Ct)).First(e => e.Text == "Hello!").Status);

        FailSms = false;
        await _service.SendQueuedAsync(work, this, this, Ct);
        await _service.SendQueuedAsync(work, this, this, Ct); // redelivered
        Assert.Single(_texts, t => t.Text == "Hello!");
        Assert.Equal("sent", (await _service.TimelineAsync(customer.Id, ct: Ct)).First(e => e.Text == "Hello!").Status);
    }
}
