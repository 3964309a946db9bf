using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests;

/// <summary>The dispatcher's messages: what each action schedules, and how early, late or repeated work is absorbed.</summary>
public sealed class AcdDispatcherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly VirtualTimeProvider _clock = new(T0);
    private readonly RecordingSender _sent = new();
    private readonly AcdDispatcher _dispatcher;

    public AcdDispatcherTests()
    {
        var queues = new StaticQueueCatalog([
            new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(20), Overflow = [new OverflowRule(TimeSpan.FromSeconds(60)) { OfferCallback = true }] },
            new QueueDefinition("care"),
        ]);
        _dispatcher = new AcdDispatcher(new AcdService(new InMemoryStateStore(_clock), queues, _clock), queues, _sent, _clock);
    }

    private sealed class RecordingSender : IMessageSender
    {
        public List<(string Queue, OutgoingMessage Message, AcdWork Work)> Messages { get; } = [];

        public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            Messages.Add((queueName, message, AcdWork.FromJson(message.Body)));
            return Task.CompletedTask;
        }

        public List<(string Queue, OutgoingMessage Message, AcdWork Work)> Take()
        {
            var taken = Messages.ToList();
            Messages.Clear();
            return taken;
        }
    }

    private async Task<OfferMade> OfferToAnnAsync()
    {
        await _dispatcher.Acd.UpsertAgentAsync(new AgentProfile("ann", "Ann", new Dictionary<string, int>()));
        await _dispatcher.SetPresenceAsync("ann", Presence.Available);
        await _dispatcher.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        _sent.Take();
        return Assert.Single((await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "sales"))).Offers);
    }

    [Fact]
    public async Task Every_action_asks_for_routing_in_the_session_of_each_queue_it_may_feed()
    {
        await _dispatcher.Acd.UpsertAgentAsync(new AgentProfile("ann", "Ann", new Dictionary<string, int>()));
        await _dispatcher.SetPresenceAsync("ann", Presence.Available);
        Assert.Equal(["care", "sales"], _sent.Take().Select(m => m.Message.SessionId!).Order());

        await _dispatcher.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        var sent = _sent.Take();

        Assert.All(sent, m => Assert.Equal(QueueNames.AcdRouting, m.Queue));
        var escalate = Assert.Single(sent, m => m.Work.Kind == AcdWorkKind.Escalate);
        Assert.Equal(T0.AddSeconds(60), escalate.Message.ScheduledFor);
        Assert.Equal("sales", Assert.Single(sent, m => m.Work.Kind == AcdWorkKind.Route).Message.SessionId);
    }

    [Fact]
    public async Task An_offer_schedules_its_expiry_and_an_early_delivery_looks_again_at_the_deadline()
    {
        var offer = await OfferToAnnAsync();
        var expiry = Assert.Single(_sent.Take());
        Assert.Equal(AcdWorkKind.ExpireOffer, expiry.Work.Kind);
        Assert.Equal(offer.ExpiresAt, expiry.Message.ScheduledFor);

        _clock.MoveTo(offer.ExpiresAt.AddMilliseconds(-300)); // the broker's clock ran a little ahead of ours
        var early = await _dispatcher.HandleAsync(expiry.Work);

        Assert.Contains("not due", early.Summary);
        Assert.Equal(ContactStatus.Offered, (await _dispatcher.Acd.GetContactAsync("c1")).Status);
        Assert.Equal(offer.ExpiresAt, Assert.Single(_sent.Take()).Message.ScheduledFor);
    }

    [Fact]
    public async Task An_expiry_after_the_agent_accepted_changes_nothing_however_often_it_arrives()
    {
        var offer = await OfferToAnnAsync();
        var expiry = Assert.Single(_sent.Take()).Work;
        await _dispatcher.AcceptAsync("ann", "c1");
        _sent.Take();
        _clock.MoveTo(offer.ExpiresAt.AddSeconds(5));

        var first = await _dispatcher.HandleAsync(expiry);
        var second = await _dispatcher.HandleAsync(expiry);

        Assert.Contains("already settled", first.Summary);
        Assert.Contains("already settled", second.Summary);
        Assert.Equal(ContactStatus.Assigned, (await _dispatcher.Acd.GetContactAsync("c1")).Status);
        Assert.Empty(_sent.Messages);
    }

    [Fact]
    public async Task A_contact_declined_after_its_overflow_time_gets_the_step_at_once()
    {
        await OfferToAnnAsync();
        _sent.Take();
        _clock.MoveTo(T0.AddSeconds(61));
        var skipped = await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Escalate, "sales", "c1")); // it is offered: nothing to do

        await _dispatcher.DeclineAsync("ann", "c1");
        var escalate = Assert.Single(_sent.Take(), m => m.Work.Kind == AcdWorkKind.Escalate);
        var applied = await _dispatcher.HandleAsync(escalate.Work);

        Assert.Contains("nothing to escalate", skipped.Summary);
        Assert.Null(escalate.Message.ScheduledFor); // overdue: delivered now
        Assert.Contains("overflow applied", applied.Summary);
        Assert.True((await _dispatcher.Acd.GetContactAsync("c1")).CallbackOffered);
    }

    [Theory]
    [InlineData("""{"kind":"route"}""", "queueId")]
    [InlineData("""{"kind":"escalate","queueId":"sales"}""", "needs a contactId")]
    [InlineData("""{"kind":"fly","queueId":"sales"}""", "not valid JSON")]
    [InlineData("[1,2", "not valid JSON")]
    public void Malformed_work_is_refused_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidAcdWorkException>(() => AcdWork.FromJson(json));
        Assert.Contains(reason, error.Message);
    }
}
