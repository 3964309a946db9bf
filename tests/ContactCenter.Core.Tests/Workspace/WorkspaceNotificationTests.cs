using System.Text.Json;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Core.Workspace;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests.Workspace;

/// <summary>What the workspace is told, by whom, and that each fact is told once and never breaks the ACD action.</summary>
public sealed class WorkspaceNotificationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly VirtualTimeProvider _clock = new(T0);
    private readonly RecordingPublisher _published = new();
    private readonly List<Exception> _failures = [];
    private readonly AcdDispatcher _dispatcher;

    public WorkspaceNotificationTests()
    {
        var queues = new StaticQueueCatalog([new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(20) }]);
        _dispatcher = new AcdDispatcher(new AcdService(new InMemoryStateStore(_clock), queues, _clock), queues, new NullSender(), _clock,
            workspace: new WorkspaceNotifier([_published], (ex, _) => _failures.Add(ex)));
    }

    private sealed class RecordingPublisher : IWorkspacePublisher
    {
        public List<WorkspaceMessage> Messages { get; } = [];
        public bool Fail { get; set; }

        public Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("push service down");
            }
            Messages.Add(message);
            return Task.CompletedTask;
        }

        public List<WorkspaceMessage> Take()
        {
            var taken = Messages.ToList();
            Messages.Clear();
            return taken;
        }
    }

    private sealed class NullSender : IMessageSender
    {
        public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private async Task OfferToAnnAsync(string contactId = "C-01~1")
    {
        await _dispatcher.Acd.UpsertAgentAsync(new AgentProfile("ann", "Ann", new Dictionary<string, int>()));
        await _dispatcher.SetPresenceAsync("ann", Presence.Available);
        await _dispatcher.EnqueueAsync(new NewContact(contactId, Channel.Sms, "sales") { CustomerId = "cust-1" });
        await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "sales"));
    }

    [Fact]
    public async Task An_offer_reaches_the_agent_and_supervisors_with_the_contract_fields()
    {
        await OfferToAnnAsync();

        var offer = Assert.Single(_published.Messages, m => m.Type == WorkspaceMessageTypes.Offer);
        Assert.Equal("ann", offer.AgentId);
        Assert.True(offer.Supervisors);
        var data = offer.Data;
        Assert.Equal("C-01~1", data.GetProperty("contactId").GetString());
        Assert.Equal("Sms", data.GetProperty("channel").GetString(), ignoreCase: true);
        Assert.Equal("sales", data.GetProperty("queueId").GetString());
        Assert.Equal("cust-1", data.GetProperty("customerId").GetString());
        Assert.Equal("C-01", data.GetProperty("conversationId").GetString());
        Assert.Equal(T0.AddSeconds(20), data.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Contains(_published.Messages, m => m.Type == WorkspaceMessageTypes.Agent && m.AgentId == "ann" && m.Data.GetProperty("presence").GetString() == "Available");
        Assert.Contains(_published.Messages, m => m.Type == WorkspaceMessageTypes.Board && m.Supervisors && m.AgentId is null);
    }

    [Fact]
    public async Task Accepting_withdraws_the_offer_and_assigns_once_even_when_the_accept_is_repeated()
    {
        await OfferToAnnAsync();
        _published.Take();

        await _dispatcher.AcceptAsync("ann", "C-01~1");
        var first = _published.Take();
        var withdrawn = Assert.Single(first, m => m.Type == WorkspaceMessageTypes.OfferWithdrawn);
        Assert.Equal("accepted", withdrawn.Data.GetProperty("reason").GetString());
        var assigned = Assert.Single(first, m => m.Type == WorkspaceMessageTypes.ContactAssigned);
        Assert.Equal(("ann", "C-01", "cust-1"), (assigned.AgentId, assigned.Data.GetProperty("conversationId").GetString(), assigned.Data.GetProperty("customerId").GetString()));

        await _dispatcher.AcceptAsync("ann", "C-01~1");
        Assert.Empty(_published.Take());
    }

    [Fact]
    public async Task Declining_and_expiring_withdraw_with_their_reason_and_a_late_expiry_says_nothing()
    {
        await OfferToAnnAsync();
        _published.Take();
        await _dispatcher.DeclineAsync("ann", "C-01~1");
        Assert.Equal("declined", Assert.Single(_published.Take(), m => m.Type == WorkspaceMessageTypes.OfferWithdrawn).Data.GetProperty("reason").GetString());

        // Offered again (Ann is the only agent), then the offer times out.
        await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "sales"));
        Assert.Single(_published.Take(), m => m.Type == WorkspaceMessageTypes.Offer);
        _clock.MoveTo(T0.AddSeconds(21));
        var expiry = new AcdWork(AcdWorkKind.ExpireOffer, "sales", "C-01~1", "ann", T0.AddSeconds(20));
        await _dispatcher.HandleAsync(expiry);
        var expired = _published.Take();
        Assert.Equal("expired", Assert.Single(expired, m => m.Type == WorkspaceMessageTypes.OfferWithdrawn).Data.GetProperty("reason").GetString());

        await _dispatcher.Acd.SetPresenceAsync("ann", Presence.Away); // so nothing is offered again
        await _dispatcher.HandleAsync(expiry); // redelivered
        Assert.DoesNotContain(_published.Take(), m => m.Type == WorkspaceMessageTypes.OfferWithdrawn);
    }

    [Fact]
    public async Task Completing_ends_the_contact_for_the_agent_and_supervisors_once()
    {
        await OfferToAnnAsync();
        await _dispatcher.AcceptAsync("ann", "C-01~1");
        _published.Take();

        await _dispatcher.CompleteAsync("ann", "C-01~1");
        var ended = Assert.Single(_published.Take(), m => m.Type == WorkspaceMessageTypes.ContactEnded);
        Assert.Equal(("ann", true, "C-01~1"), (ended.AgentId, ended.Supervisors, ended.Data.GetProperty("contactId").GetString()));

        await _dispatcher.CompleteAsync("ann", "C-01~1");
        Assert.Empty(_published.Take());
    }

    [Fact]
    public async Task A_failing_publisher_never_fails_the_acd_action()
    {
        _published.Fail = true;
        await OfferToAnnAsync();
        var contact = await _dispatcher.AcceptAsync("ann", "C-01~1");

        Assert.Equal(ContactStatus.Assigned, contact.Status);
        Assert.NotEmpty(_failures);
        Assert.All(_failures, f => Assert.Equal("push service down", f.Message));
    }

    [Fact]
    public async Task A_failing_publisher_does_not_keep_the_others_from_delivering()
    {
        var working = new RecordingPublisher();
        var notifier = new WorkspaceNotifier([new RecordingPublisher { Fail = true }, working], (_, _) => { });
        await notifier.PublishAsync(WorkspaceMessage.Board());
        Assert.Single(working.Messages);
    }

    [Fact]
    public async Task Timeline_entries_go_to_the_conversations_agent_when_recorded_and_when_updated()
    {
        var store = new InMemoryStateStore(_clock);
        ConversationRepository? repository = null;
        repository = new ConversationRepository(store, new WorkspaceTimelineListener(new WorkspaceNotifier([_published]), () => repository!));
        await repository.InsertConversationAsync(new ConversationRecord { Id = "C-01", CustomerId = "cust-1", Token = "[#C-01]", LastChannel = Channel.Sms, AgentId = "ann", OpenedAt = T0 }, default);
        var entry = new TimelineEntry { Id = "sms-1", CustomerId = "cust-1", ConversationId = "C-01", Channel = Channel.Sms, Direction = Direction.Inbound, At = T0, Text = "hi" };

        Assert.True(await repository.AddEntryAsync(entry, default));
        Assert.False(await repository.AddEntryAsync(entry, default)); // redelivered: not pushed again
        var pushed = Assert.Single(_published.Take());
        Assert.Equal((WorkspaceMessageTypes.Timeline, "ann"), (pushed.Type, pushed.AgentId));
        Assert.Equal("hi", pushed.Data.GetProperty("entry").GetProperty("text").GetString());
        Assert.Equal("C-01", pushed.Data.GetProperty("conversationId").GetString());

        var stored = await repository.FindEntryAsync("sms-1", default);
        await repository.ReplaceEntryAsync(stored!.Value with { Status = "delivered" }, stored.ETag, default);
        Assert.Equal("delivered", Assert.Single(_published.Take()).Data.GetProperty("entry").GetProperty("status").GetString());
    }

    [Fact]
    public void Queue_messages_round_trip_and_malformed_ones_are_refused()
    {
        var message = WorkspaceMessage.ContactEnded("ann", new ContactEndedNotice("c1"));
        var back = WorkspaceMessage.FromJson(message.ToJson());
        Assert.Equal((message.Type, message.AgentId, message.Supervisors), (back.Type, back.AgentId, back.Supervisors));
        Assert.Equal("c1", back.Data.GetProperty("contactId").GetString());
        Assert.Throws<ArgumentException>(() => WorkspaceMessage.FromJson("""{"type":"offer","data":{}}"""));
        Assert.Throws<ArgumentException>(() => WorkspaceMessage.FromJson("not json"));
        Assert.Equal(JsonValueKind.Object, WorkspaceMessage.Board().Data.ValueKind);
    }
}
