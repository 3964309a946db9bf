using ContactCenter.Azure.Tables;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.State;

/// <summary>
/// Many routers and agents at once, with duplicated and out-of-order actions, on each backend: every contact ends
/// handled, no agent ever holds more than its capacity, and no contact is ever held by two agents.
/// </summary>
public abstract class AcdConcurrencyContract
{
    private const int Agents = 10, ContactsPerQueue = 30, Routers = 6;
    private static readonly string[] Queues = ["sales", "care", "billing"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IStateStore CreateStore();

    [Fact]
    public async Task Concurrent_routers_and_agents_keep_every_invariant_and_handle_every_contact()
    {
        var store = CreateStore();
        var acd = new AcdService(store, new StaticQueueCatalog(Queues.Select(q => new QueueDefinition(q) { MaxMissedOffers = 0 })), TimeProvider.System);
        for (var a = 0; a < Agents; a++)
        {
            await acd.UpsertAgentAsync(new AgentProfile($"agent{a:D2}", null, new Dictionary<string, int>(), new Dictionary<Channel, int> { [Channel.Sms] = 2, [Channel.Voice] = 1 }), Ct);
            await acd.SetPresenceAsync($"agent{a:D2}", Presence.Available, Ct);
        }
        var contacts = Queues.SelectMany(q => Enumerable.Range(0, ContactsPerQueue).Select(i => new NewContact($"{q}-{i:D3}", i % 3 == 0 ? Channel.Voice : Channel.Sms, q))).ToList();
        // Every contact is enqueued twice, from two tasks: a duplicated event.
        await Task.WhenAll(contacts.Concat(contacts).Select(c => Task.Run(() => acd.EnqueueAsync(c))));

        var random = new Random(7);
        var violations = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = 0;
        var routers = Enumerable.Range(0, Routers).Select(r => Task.Run(async () =>
        {
            var rng = new Random(r);
            while (Volatile.Read(ref done) == 0 && !deadline.IsCancellationRequested)
            {
                foreach (var offer in await acd.RouteQueueAsync(Queues[rng.Next(Queues.Length)]))
                {
                    switch (rng.Next(10))
                    {
                        case 0:
                            await acd.DeclineAsync(offer.AgentId, offer.ContactId);
                            await acd.DeclineAsync(offer.AgentId, offer.ContactId); // duplicate
                            break;
                        case 1:
                            await acd.ExpireOfferAsync(offer.AgentId, offer.ContactId); // early: must change nothing
                            await acd.AcceptAsync(offer.AgentId, offer.ContactId);
                            break;
                        default:
                            await acd.AcceptAsync(offer.AgentId, offer.ContactId);
                            await acd.AcceptAsync(offer.AgentId, offer.ContactId); // duplicate
                            break;
                    }
                }
            }
        })).ToList();
        var workers = Task.Run(async () =>
        {
            while (!deadline.IsCancellationRequested)
            {
                var agents = await acd.ListAgentsAsync();
                lock (violations)
                {
                    violations.AddRange(Invariants(agents));
                }
                var working = agents.SelectMany(a => a.Assignments.Select(w => (a.Id, w.ContactId))).ToList();
                foreach (var (agentId, contactId) in working.OrderBy(_ => random.Next()).Take(8))
                {
                    await acd.CompleteAsync(agentId, contactId);
                    await acd.CompleteAsync(agentId, contactId); // duplicate, late
                }
                var states = await Task.WhenAll(contacts.Select(c => acd.GetContactAsync(c.Id)));
                if (states.All(s => s.Status == ContactStatus.Completed))
                {
                    Volatile.Write(ref done, 1);
                    return;
                }
            }
        }, Ct);
        await Task.WhenAll(routers.Append(workers));

        Assert.Empty(violations);
        var final = await Task.WhenAll(contacts.Select(c => acd.GetContactAsync(c.Id)));
        Assert.All(final, c => Assert.Equal(ContactStatus.Completed, c.Status));
        foreach (var queue in Queues)
        {
            Assert.Empty(await acd.WaitingAsync(queue, Ct));
        }
        var idle = await acd.ListAgentsAsync(Ct);
        Assert.All(idle, a => Assert.True(a.Assignments.Count == 0 && a.Offer is null, $"{a.Id} still holds work"));
        // The ready index went through every one of those writes and still lists exactly the agents who are ready.
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var expected = idle.Where(a => a.Presence == Presence.Available && a.CapacityFor(channel) > 0).Select(a => a.Id).Order();
            Assert.Equal(expected, (await acd.ListReadyAgentsAsync(channel, Ct)).Select(a => a.Id).Order());
        }
    }

    private static IEnumerable<string> Invariants(IReadOnlyList<AgentState> agents)
    {
        foreach (var agent in agents)
        {
            foreach (var channel in Enum.GetValues<Channel>())
            {
                if (agent.ActiveOn(channel) > agent.CapacityFor(channel))
                {
                    yield return $"{agent.Id} holds {agent.ActiveOn(channel)} {channel} contacts, capacity {agent.CapacityFor(channel)}";
                }
            }
        }
        var holders = agents.SelectMany(a => a.Assignments.Select(w => (w.ContactId, a.Id)).Concat(a.Offer is { } o ? [(o.ContactId, a.Id)] : []));
        foreach (var shared in holders.GroupBy(h => h.ContactId).Where(g => g.Select(h => h.Id).Distinct().Count() > 1))
        {
            yield return $"{shared.Key} is held by {string.Join(", ", shared.Select(h => h.Id))}";
        }
    }
}

public sealed class InMemoryAcdConcurrencyTests : AcdConcurrencyContract
{
    protected override IStateStore CreateStore() => new InMemoryStateStore();
}

public sealed class TableStorageAcdConcurrencyTests(AzuriteFixture azurite) : AcdConcurrencyContract
{
    // Tables of this run only, so a long-lived Azurite never hands a rerun the previous run's finished contacts.
    protected override IStateStore CreateStore() => InterceptingStore.Isolated(new TableStateStore(azurite.ServiceClient));
}
