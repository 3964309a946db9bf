using ContactCenter.Core.Channels;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Core.Workspace;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests.Workspace;

/// <summary>An ACD, the conversations and the agent workspace over one in-memory store, with the messages they send recorded.</summary>
internal sealed class WorkspaceFixture : IMessageSender
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public WorkspaceFixture()
    {
        var store = new InMemoryStateStore(Clock);
        Queues = new StaticQueueCatalog([
            new QueueDefinition("general") { WrapUp = TimeSpan.FromSeconds(10) },
            new QueueDefinition("support") { Dispositions = [new DispositionCode("resolved", "Resolved"), new DispositionCode("escalated", "Escalated to second line")] },
            new QueueDefinition("billing", [new SkillRequirement("billing", 4)]),
        ]);
        Acd = new AcdDispatcher(new AcdService(store, Queues, Clock), Queues, this, Clock);
        Conversations = new ConversationService(new ConversationRepository(store), Acd, this,
            new MessagingSettings { SmsQueueId = "support", EmailQueueId = "general", SmsFrom = "+18005550199", EmailFrom = "help@contoso.com" }, Clock,
            new StateStoreEmailThreadIndex(store));
        Workspace = new AgentWorkspace(Acd, Conversations, Queues);
    }

    public FakeTimeProvider Clock { get; } = new(T0);
    public StaticQueueCatalog Queues { get; }
    public AcdDispatcher Acd { get; }
    public ConversationService Conversations { get; }
    public AgentWorkspace Workspace { get; }
    public List<(string Queue, OutgoingMessage Message)> Sent { get; } = [];

    public IEnumerable<AcdWork> AcdMessages => Sent.Where(s => s.Queue == QueueNames.AcdRouting).Select(s => AcdWork.FromJson(s.Message.Body));

    Task IMessageSender.SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken)
    {
        Sent.Add((queueName, message));
        return Task.CompletedTask;
    }

    public async Task AgentAsync(string id, Presence presence = Presence.Available, Dictionary<string, int>? skills = null, Dictionary<Channel, int>? capacity = null)
    {
        await Acd.Acd.UpsertAgentAsync(new AgentProfile(id, id.ToUpperInvariant(), skills ?? [], capacity), TestContext.Current.CancellationToken);
        await Acd.SetPresenceAsync(id, presence, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs a routing pass of one queue, as the acd-routing queue's worker would.</summary>
    public async Task<IReadOnlyList<OfferMade>> RouteAsync(string queueId) =>
        (await Acd.HandleAsync(new AcdWork(AcdWorkKind.Route, queueId), TestContext.Current.CancellationToken)).Offers;

    /// <summary>A customer texts; the case's contact is routed to <paramref name="agentId"/> (the only one available) and accepted.</summary>
    public async Task<(ContactState Contact, TimelineEntry Text)> TextAcceptedByAsync(string agentId, string from = "+14255550100", string body = "My router is down")
    {
        var ct = TestContext.Current.CancellationToken;
        var text = (await Conversations.ReceiveSmsAsync(new InboundSms(Guid.NewGuid().ToString("N"), from, "+18005550199", body, Clock.GetUtcNow()), ct))!;
        var contactId = (await Conversations.GetConversationAsync(text.ConversationId!, ct)).ContactId!;
        var offer = Assert.Single(await RouteAsync("support"));
        Assert.Equal((contactId, agentId), (offer.ContactId, offer.AgentId));
        return (await Acd.AcceptAsync(agentId, contactId, ct), text);
    }
}
