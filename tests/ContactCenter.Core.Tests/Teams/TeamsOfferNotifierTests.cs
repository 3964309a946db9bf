using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Core.Teams;
using ContactCenter.Core.Workspace;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests.Teams;

/// <summary>Offers reach agents who use Teams in their activity feed; nothing about Teams can fail the offer.</summary>
public sealed class TeamsOfferNotifierTests
{
    private const string TeamsUserId = "5f1c3c2e-8a4b-4d3e-9a51-0c2b7e6d4f10";
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly AcdService _acd;
    private readonly RecordingFeed _feed = new();
    private readonly List<(Exception Error, string AgentId)> _failures = [];
    private readonly TeamsOfferNotifier _notifier;

    public TeamsOfferNotifierTests()
    {
        _acd = new AcdService(new InMemoryStateStore(_clock), new StaticQueueCatalog([new QueueDefinition("sales")]), _clock);
        _notifier = new TeamsOfferNotifier(_acd, _feed, new TeamsAppOptions("c0ffee00-1111-4222-8333-444455556666"), _clock,
            (ex, agentId) => _failures.Add((ex, agentId)));
    }

    private Task AgentAsync(string id, string? teamsUserId) =>
        _acd.UpsertAgentAsync(new AgentProfile(id, id, new Dictionary<string, int>()) { TeamsUserId = teamsUserId }, TestContext.Current.CancellationToken);

    private WorkspaceMessage Offer(string agentId, string contactId = "C-1~1", Channel channel = Channel.Sms, TimeSpan? expiresIn = null) =>
        WorkspaceMessage.Offer(agentId, new OfferNotice(contactId, channel, "sales", "cust-1", "C-1", T0 + (expiresIn ?? TimeSpan.FromSeconds(30))));

    [Fact]
    public async Task An_offer_to_an_agent_with_a_Teams_identity_goes_to_their_activity_feed()
    {
        await AgentAsync("ann", TeamsUserId);

        Assert.True(await _notifier.NotifyAsync(Offer("ann"), TestContext.Current.CancellationToken));

        var sent = Assert.Single(_feed.Sent);
        Assert.Equal(TeamsUserId, sent.TeamsUserId);
        Assert.Equal(TeamsActivityTypes.OfferReceived, sent.ActivityType);
        Assert.Equal([new("channel", "SMS"), new("queue", "sales")], sent.TemplateParameters);
        Assert.StartsWith("https://teams.microsoft.com/l/entity/c0ffee00-1111-4222-8333-444455556666/workspace?context=", sent.WebUrl);
        Assert.Contains(Uri.EscapeDataString("{\"subEntityId\":\"C-1~1\"}"), sent.WebUrl);
        Assert.Contains("SMS", sent.PreviewText);
    }

    [Fact]
    public async Task Agents_without_a_Teams_identity_and_other_messages_send_nothing()
    {
        await AgentAsync("bob", teamsUserId: null);
        await AgentAsync("ann", TeamsUserId);

        Assert.False(await _notifier.NotifyAsync(Offer("bob"), TestContext.Current.CancellationToken));
        Assert.False(await _notifier.NotifyAsync(WorkspaceMessage.OfferWithdrawn("ann", new OfferWithdrawnNotice("C-1~1", OfferWithdrawnReasons.Expired)), TestContext.Current.CancellationToken));
        Assert.False(await _notifier.NotifyAsync(WorkspaceMessage.Board(), TestContext.Current.CancellationToken));
        Assert.Empty(_feed.Sent);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task The_same_offer_delivered_twice_is_one_notification_but_a_new_offer_of_the_same_contact_is_another()
    {
        await AgentAsync("ann", TeamsUserId);
        var offer = Offer("ann");

        await _notifier.NotifyAsync(offer, TestContext.Current.CancellationToken);
        await _notifier.NotifyAsync(WorkspaceMessage.FromJson(offer.ToJson()), TestContext.Current.CancellationToken);
        Assert.Single(_feed.Sent);

        await _notifier.NotifyAsync(Offer("ann", expiresIn: TimeSpan.FromSeconds(50)), TestContext.Current.CancellationToken);
        Assert.Equal(2, _feed.Sent.Count);
    }

    [Fact]
    public async Task An_offer_that_expired_before_it_was_read_is_not_sent()
    {
        await AgentAsync("ann", TeamsUserId);
        var offer = Offer("ann", expiresIn: TimeSpan.FromSeconds(20));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.False(await _notifier.NotifyAsync(offer, TestContext.Current.CancellationToken));
        Assert.Empty(_feed.Sent);
    }

    [Fact]
    public async Task A_failed_Graph_call_is_reported_not_thrown_and_a_redelivery_tries_again()
    {
        await AgentAsync("ann", TeamsUserId);
        _feed.FailNext = new HttpRequestException("Graph answered 503");

        Assert.False(await _notifier.NotifyAsync(Offer("ann"), TestContext.Current.CancellationToken));
        var failure = Assert.Single(_failures);
        Assert.Equal("ann", failure.AgentId);
        Assert.IsType<HttpRequestException>(failure.Error);

        Assert.True(await _notifier.NotifyAsync(Offer("ann"), TestContext.Current.CancellationToken));
        Assert.Single(_feed.Sent);
    }

    [Fact]
    public async Task An_unknown_agent_is_reported_not_thrown()
    {
        Assert.False(await _notifier.NotifyAsync(Offer("ghost"), TestContext.Current.CancellationToken));
        Assert.IsType<UnknownAgentException>(Assert.Single(_failures).Error);
    }

    [Fact]
    public async Task Teams_notifications_ride_on_the_queued_offer_so_a_failing_feed_never_reaches_the_ACD()
    {
        // The ACD publishes through the notifier; the Teams feed is fed from the queued message afterwards.
        await AgentAsync("ann", TeamsUserId);
        _feed.FailNext = new InvalidOperationException("token endpoint down");
        var queued = new List<WorkspaceMessage>();
        var workspace = new WorkspaceNotifier([new ListPublisher(queued)]);
        await workspace.PublishAsync(Offer("ann"), TestContext.Current.CancellationToken);

        foreach (var message in queued)
        {
            await _notifier.NotifyAsync(message, TestContext.Current.CancellationToken);
        }
        Assert.Single(queued);
        Assert.Single(_failures);
    }

    private sealed class ListPublisher(List<WorkspaceMessage> messages) : IWorkspacePublisher
    {
        public Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken)
        {
            messages.Add(message);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingFeed : ITeamsActivityFeed
    {
        public List<TeamsActivityNotification> Sent { get; } = [];
        public Exception? FailNext { get; set; }

        public Task SendAsync(TeamsActivityNotification notification, CancellationToken cancellationToken)
        {
            if (FailNext is { } failure)
            {
                FailNext = null;
                throw failure;
            }
            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }
}
