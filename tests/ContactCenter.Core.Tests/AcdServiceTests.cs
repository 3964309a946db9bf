using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests;

public sealed class AcdServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly VirtualTimeProvider _clock = new(T0);
    private readonly InMemoryStateStore _store;

    public AcdServiceTests() => _store = new InMemoryStateStore(_clock);

    private AcdService Acd(params QueueDefinition[] queues) =>
        new(_store, new StaticQueueCatalog(queues.Length > 0 ? queues : [new QueueDefinition("sales")]), _clock);

    private async Task Agent(AcdService acd, string id, Dictionary<string, int>? skills = null, Dictionary<Channel, int>? capacity = null, bool available = true)
    {
        await acd.UpsertAgentAsync(new AgentProfile(id, id, skills ?? [], capacity));
        if (available)
        {
            await acd.SetPresenceAsync(id, Presence.Available);
        }
    }

    private void Advance(double seconds) => _clock.MoveTo(_clock.GetUtcNow().AddSeconds(seconds));

    [Fact]
    public async Task Longest_idle_agent_gets_the_contact_and_the_decision_says_why()
    {
        var acd = Acd();
        await Agent(acd, "ann");
        Advance(30);
        await Agent(acd, "bob");
        Advance(30);
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));

        var offer = Assert.Single(await acd.RouteQueueAsync("sales"));

        Assert.Equal("ann", offer.AgentId);
        Assert.Equal("longest idle", offer.Decision.Reason);
        Assert.Equal(["ann", "bob"], offer.Decision.TopCandidates.Select(c => c.AgentId));
        Assert.Equal(60, offer.Decision.TopCandidates[0].Score);
        var stored = (await acd.GetContactAsync("c1")).LastDecision!;
        Assert.Equal(("ann", "longest idle", T0.AddSeconds(60)), (stored.AgentId, stored.Reason, stored.DecidedAt));
        Assert.Equal(offer.Decision.TopCandidates, stored.TopCandidates);
    }

    [Fact]
    public async Task Skills_below_the_minimum_proficiency_rule_an_agent_out_and_are_counted()
    {
        var acd = Acd(new QueueDefinition("billing", [new SkillRequirement("billing", 5)]));
        await Agent(acd, "junior", new() { ["billing"] = 3 });
        await Agent(acd, "nobody", new() { ["sales"] = 9 });
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "billing"));

        Assert.Empty(await acd.RouteQueueAsync("billing"));
        await Agent(acd, "senior", new() { ["Billing"] = 7 });
        var offer = Assert.Single(await acd.RouteQueueAsync("billing"));

        Assert.Equal("senior", offer.AgentId);
        Assert.Equal(2, offer.Decision.Ineligible["lacks billing>=5"]);
    }

    [Fact]
    public async Task Capacity_per_channel_is_shared_across_queues()
    {
        var acd = Acd(new QueueDefinition("a"), new QueueDefinition("b"));
        await Agent(acd, "ann", capacity: new() { [Channel.Sms] = 2, [Channel.Voice] = 1 });
        for (var i = 0; i < 3; i++)
        {
            await acd.EnqueueAsync(new NewContact($"a{i}", Channel.Sms, "a"));
            await acd.EnqueueAsync(new NewContact($"b{i}", Channel.Sms, "b"));
        }

        for (var round = 0; round < 4; round++)
        {
            foreach (var queue in new[] { "a", "b" })
            {
                foreach (var offer in await acd.RouteQueueAsync(queue))
                {
                    await acd.AcceptAsync(offer.AgentId, offer.ContactId);
                }
            }
        }

        var ann = await acd.GetAgentAsync("ann");
        Assert.Equal(2, ann.ActiveOn(Channel.Sms));
        await acd.EnqueueAsync(new NewContact("call", Channel.Voice, "a"));
        Assert.Equal("call", Assert.Single(await acd.RouteQueueAsync("a")).ContactId);
    }

    [Fact]
    public async Task Higher_priority_is_served_first_then_first_come_first_served()
    {
        var acd = Acd();
        await acd.EnqueueAsync(new NewContact("early", Channel.Voice, "sales"));
        Advance(1);
        await acd.EnqueueAsync(new NewContact("late", Channel.Voice, "sales"));
        Advance(1);
        await acd.EnqueueAsync(new NewContact("vip", Channel.Voice, "sales") { Priority = 5 });

        Assert.Equal(["vip", "early", "late"], await acd.WaitingAsync("sales"));
        Assert.Equal(2, (await acd.GetPositionAsync("early")).Position);
        await Agent(acd, "ann");
        Assert.Equal("vip", Assert.Single(await acd.RouteQueueAsync("sales")).ContactId);
    }

    [Fact]
    public async Task A_declined_offer_returns_the_contact_to_the_head_and_goes_to_someone_else()
    {
        var acd = Acd();
        await Agent(acd, "ann");
        Advance(1);
        await Agent(acd, "bob");
        await acd.EnqueueAsync(new NewContact("first", Channel.Voice, "sales"));
        var offer = Assert.Single(await acd.RouteQueueAsync("sales", maxOffers: 1));
        Advance(1);
        await acd.EnqueueAsync(new NewContact("second", Channel.Voice, "sales"));

        await acd.DeclineAsync(offer.AgentId, "first");

        Assert.Equal(["first", "second"], await acd.WaitingAsync("sales"));
        var offers = await acd.RouteQueueAsync("sales");
        Assert.Equal("bob", offers.Single(o => o.ContactId == "first").AgentId);
        Assert.Equal(1, (await acd.GetAgentAsync("ann")).MissedOffers);
    }

    [Fact]
    public async Task Offers_expire_only_after_their_deadline_and_repeated_misses_set_the_agent_away()
    {
        var acd = Acd(new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(20), MaxMissedOffers = 2 });
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        Assert.Single(await acd.RouteQueueAsync("sales"));

        Advance(10);
        Assert.Equal(ContactStatus.Offered, (await acd.ExpireOfferAsync("ann", "c1")).Status);
        Advance(11);
        Assert.Equal(ContactStatus.Queued, (await acd.ExpireOfferAsync("ann", "c1")).Status);
        Assert.Equal(ContactStatus.Queued, (await acd.ExpireOfferAsync("ann", "c1")).Status);
        Assert.Equal(1, (await acd.GetAgentAsync("ann")).MissedOffers);

        Assert.Single(await acd.RouteQueueAsync("sales"));
        Advance(21);
        await acd.ExpireOfferAsync("ann", "c1");
        var ann = await acd.GetAgentAsync("ann");
        Assert.Equal(Presence.Away, ann.Presence);
        Assert.Null(ann.Offer);
        Assert.Equal(["c1"], await acd.WaitingAsync("sales"));
    }

    [Fact]
    public async Task Stale_accepts_are_refused_and_a_repeated_accept_changes_nothing()
    {
        var acd = Acd();
        await Agent(acd, "ann");
        await Agent(acd, "bob");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        var offer = Assert.Single(await acd.RouteQueueAsync("sales"));
        var other = offer.AgentId == "ann" ? "bob" : "ann";

        await Assert.ThrowsAsync<StaleActionException>(() => acd.AcceptAsync(other, "c1"));
        await acd.AcceptAsync(offer.AgentId, "c1");
        await acd.AcceptAsync(offer.AgentId, "c1");
        // A late decline of an accepted contact changes nothing.
        Assert.Equal(ContactStatus.Assigned, (await acd.DeclineAsync(offer.AgentId, "c1")).Status);

        Assert.Single((await acd.GetAgentAsync(offer.AgentId)).Assignments);
        await Assert.ThrowsAsync<UnknownContactException>(() => acd.AcceptAsync("ann", "nope"));

        // A duplicate accept delivered after the agent finished: no error, and the agent does not take it on again.
        await acd.CompleteAsync(offer.AgentId, "c1");
        Assert.Equal(ContactStatus.Completed, (await acd.AcceptAsync(offer.AgentId, "c1")).Status);
        Assert.Empty((await acd.GetAgentAsync(offer.AgentId)).Assignments);
        await Assert.ThrowsAsync<StaleActionException>(() => acd.AcceptAsync(other, "c1"));
    }

    /// <summary>
    /// Found by the concurrency test on a loaded machine ("agent07 holds 3 Sms contacts, capacity 2"): a duplicate accept
    /// that read the contact while it was still assigned, then the agent after the completion had taken it off, put the
    /// finished contact back on the agent, past its capacity. The completion runs exactly in that gap here.
    /// </summary>
    [Fact]
    public async Task A_duplicate_accept_overtaken_by_the_completion_does_not_put_the_contact_back_on_the_agent()
    {
        var store = new GapStore(_store);
        var acd = new AcdService(store, new StaticQueueCatalog([new QueueDefinition("sales")]), _clock);
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Sms, "sales"));
        Assert.Single(await acd.RouteQueueAsync("sales"));
        await acd.AcceptAsync("ann", "c1");

        // The duplicate has read the contact (assigned to Ann); the completion runs before it reads Ann.
        store.BeforeNextAgentRead = () => acd.CompleteAsync("ann", "c1");
        await acd.AcceptAsync("ann", "c1");

        Assert.Null(store.BeforeNextAgentRead);
        Assert.Equal(ContactStatus.Completed, (await acd.GetContactAsync("c1")).Status);
        Assert.Empty((await acd.GetAgentAsync("ann")).Assignments);
    }

    /// <summary>Runs <see cref="BeforeNextAgentRead"/> once, just before the next read of an agent.</summary>
    private sealed class GapStore(IStateStore inner) : IStateStore
    {
        public Func<Task>? BeforeNextAgentRead { get; set; }

        public string Kind => inner.Kind;

        public async Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
        {
            if (table == TableNames.Agents && BeforeNextAgentRead is { } gap)
            {
                BeforeNextAgentRead = null;
                await gap();
            }
            return await inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
        }

        public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default) => inner.InsertAsync(table, entity, cancellationToken);
        public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default) => inner.ReplaceAsync(table, entity, ifMatchETag, cancellationToken);
        public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default) => inner.UpsertAsync(table, entity, cancellationToken);
        public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(table, partitionKey, rowKey, ifMatchETag, cancellationToken);
        public IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null, CancellationToken cancellationToken = default) => inner.QueryPartitionAsync(table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken);
        public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default) => inner.SubmitBatchAsync(table, operations, cancellationToken);
        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }

    [Fact]
    public async Task An_expired_offer_cannot_be_accepted()
    {
        var acd = Acd(new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(5) });
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        Assert.Single(await acd.RouteQueueAsync("sales"));
        Advance(6);

        var ex = await Assert.ThrowsAsync<StaleActionException>(() => acd.AcceptAsync("ann", "c1"));
        Assert.Contains("expired", ex.Message);
    }

    [Fact]
    public async Task Wrap_up_holds_the_agent_back_then_frees_them()
    {
        var acd = Acd(new QueueDefinition("sales") { WrapUp = TimeSpan.FromSeconds(30) });
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        await acd.AcceptAsync("ann", Assert.Single(await acd.RouteQueueAsync("sales")).ContactId);
        await acd.EnqueueAsync(new NewContact("c2", Channel.Voice, "sales"));

        await acd.CompleteAsync("ann", "c1");
        Assert.Empty(await acd.RouteQueueAsync("sales"));
        Advance(31);
        Assert.Equal("c2", Assert.Single(await acd.RouteQueueAsync("sales")).ContactId);
        Assert.Equal(ContactStatus.Completed, (await acd.CompleteAsync("ann", "c1")).Status);
    }

    [Fact]
    public async Task A_returning_customer_waits_for_their_last_agent_within_the_sticky_window()
    {
        var acd = Acd(new QueueDefinition("care") { StickyAgentWindow = TimeSpan.FromSeconds(60) });
        await Agent(acd, "ann");
        await Agent(acd, "bob", available: false);
        await acd.EnqueueAsync(new NewContact("c1", Channel.Sms, "care") { PreferredAgentId = "bob" });

        Assert.Empty(await acd.RouteQueueAsync("care"));
        await acd.SetPresenceAsync("bob", Presence.Available);
        var sticky = Assert.Single(await acd.RouteQueueAsync("care"));
        Assert.Equal("bob", sticky.AgentId);
        Assert.StartsWith("sticky", sticky.Decision.Reason);
        await acd.AcceptAsync("bob", "c1");

        await acd.EnqueueAsync(new NewContact("c2", Channel.Voice, "care") { PreferredAgentId = "carol" });
        Assert.Empty(await acd.RouteQueueAsync("care"));
        Advance(61);
        Assert.Equal("ann", Assert.Single(await acd.RouteQueueAsync("care")).AgentId);
    }

    [Fact]
    public async Task Round_robin_and_best_skill_match_rank_by_their_own_rule()
    {
        var acd = Acd(new QueueDefinition("rr", policy: DistributionPolicy.RoundRobin),
            new QueueDefinition("best", [new SkillRequirement("spanish")], DistributionPolicy.BestSkillMatch));
        await Agent(acd, "ann", new() { ["spanish"] = 4 }, new() { [Channel.Sms] = 5 });
        await Agent(acd, "bob", new() { ["spanish"] = 9 }, new() { [Channel.Sms] = 5 });

        await acd.EnqueueAsync(new NewContact("b1", Channel.Sms, "best"));
        var best = Assert.Single(await acd.RouteQueueAsync("best"));
        Assert.Equal("bob", best.AgentId);
        await acd.AcceptAsync("bob", "b1");

        var served = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            Advance(1);
            await acd.EnqueueAsync(new NewContact($"r{i}", Channel.Sms, "rr"));
            var offer = Assert.Single(await acd.RouteQueueAsync("rr"));
            await acd.AcceptAsync(offer.AgentId, offer.ContactId);
            served.Add(offer.AgentId);
        }
        Assert.Equal(["ann", "bob", "ann", "bob"], served);
    }

    [Fact]
    public async Task Abandoning_removes_a_waiting_contact_and_frees_an_offered_agent()
    {
        var acd = Acd();
        await acd.EnqueueAsync(new NewContact("waiting", Channel.Voice, "sales"));
        await acd.EnqueueAsync(new NewContact("offered", Channel.Voice, "sales") { Priority = 9 });
        await Agent(acd, "ann");
        Assert.Equal("offered", Assert.Single(await acd.RouteQueueAsync("sales")).ContactId);

        Assert.Equal(ContactStatus.Abandoned, (await acd.AbandonAsync("offered")).Status);
        Assert.Null((await acd.GetAgentAsync("ann")).Offer);
        Assert.Equal(ContactStatus.Abandoned, (await acd.AbandonAsync("waiting")).Status);
        Assert.Empty(await acd.WaitingAsync("sales"));
        Assert.Equal(ContactStatus.Abandoned, (await acd.AbandonAsync("waiting")).Status);
    }

    [Fact]
    public async Task Enqueueing_the_same_contact_twice_is_one_contact_and_unknown_queues_are_refused()
    {
        var acd = Acd();
        await acd.EnqueueAsync(new NewContact("c1", Channel.Email, "sales"));
        Advance(5);
        await acd.EnqueueAsync(new NewContact("c1", Channel.Email, "sales"));

        Assert.Equal(["c1"], await acd.WaitingAsync("sales"));
        Assert.Equal(T0, (await acd.GetContactAsync("c1")).EnqueuedAt);
        await Assert.ThrowsAsync<UnknownQueueException>(() => acd.EnqueueAsync(new NewContact("c2", Channel.Email, "nope")));
        await Assert.ThrowsAsync<UnknownAgentException>(() => acd.SetPresenceAsync("ghost", Presence.Available));
    }

    [Fact]
    public async Task Concurrent_routers_never_oversubscribe_an_agent_or_offer_a_contact_twice()
    {
        var acd = Acd(new QueueDefinition("q1"), new QueueDefinition("q2"));
        for (var a = 0; a < 6; a++)
        {
            await Agent(acd, $"agent{a}", capacity: new() { [Channel.Sms] = 2 });
        }
        for (var c = 0; c < 40; c++)
        {
            await acd.EnqueueAsync(new NewContact($"c{c}", Channel.Sms, c % 2 == 0 ? "q1" : "q2"));
        }

        var offers = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => acd.RouteQueueAsync(i % 2 == 0 ? "q1" : "q2")))))
            .SelectMany(o => o).ToList();

        Assert.Equal(offers.Count, offers.Select(o => o.ContactId).Distinct().Count());
        Assert.Equal(6, offers.Count); // one pending offer per agent at a time
        foreach (var offer in offers)
        {
            Assert.Equal(offer.AgentId, (await acd.GetContactAsync(offer.ContactId)).OfferedTo);
        }
        Assert.Equal(34, (await acd.WaitingAsync("q1")).Count + (await acd.WaitingAsync("q2")).Count);
    }

    [Fact]
    public async Task The_ready_index_follows_presence_offers_and_capacity_per_channel()
    {
        var acd = Acd();
        await Agent(acd, "ann", capacity: new() { [Channel.Voice] = 1, [Channel.Sms] = 2 }, available: false);
        async Task<string> Ready() => string.Join(" ", await Task.WhenAll(Enum.GetValues<Channel>().Select(async c =>
            $"{c}:{(await acd.ListReadyAgentsAsync(c)).Count}")));

        Assert.Equal("Voice:0 Sms:0 Email:0 Chat:0", await Ready()); // offline
        await acd.SetPresenceAsync("ann", Presence.Available);
        Assert.Equal("Voice:1 Sms:1 Email:0 Chat:0", await Ready()); // no email or chat capacity
        await acd.EnqueueAsync(new NewContact("s1", Channel.Sms, "sales"));
        var offer = Assert.Single(await acd.RouteQueueAsync("sales"));
        Assert.Equal("Voice:0 Sms:0 Email:0 Chat:0", await Ready()); // one offer at a time
        await acd.AcceptAsync("ann", offer.ContactId);
        Assert.Equal("Voice:1 Sms:1 Email:0 Chat:0", await Ready()); // one of two SMS slots used
        await acd.EnqueueAsync(new NewContact("s2", Channel.Sms, "sales"));
        await acd.AcceptAsync("ann", Assert.Single(await acd.RouteQueueAsync("sales")).ContactId);
        Assert.Equal("Voice:1 Sms:0 Email:0 Chat:0", await Ready()); // SMS full, voice still free
        await acd.CompleteAsync("ann", "s1");
        Assert.Equal("Voice:1 Sms:1 Email:0 Chat:0", await Ready());
        await acd.SetPresenceAsync("ann", Presence.Away);
        Assert.Equal("Voice:0 Sms:0 Email:0 Chat:0", await Ready());
        Assert.Equal("s2", Assert.Single((await acd.GetAgentAsync("ann")).Assignments).ContactId);
    }

    [Fact]
    public async Task The_overdue_offer_sweep_returns_only_offers_past_deadline_and_grace()
    {
        var acd = Acd(new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(10) });
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));
        Assert.Single(await acd.RouteQueueAsync("sales"));
        await Agent(acd, "bob");

        Advance(11);
        Assert.Empty(await acd.RouteQueueAsync("sales")); // routing alone never scans for overdue offers
        Assert.Empty(await acd.ExpireOverdueOffersAsync(TimeSpan.FromSeconds(5)));
        Advance(4);
        Assert.Equal("c1", Assert.Single(await acd.ExpireOverdueOffersAsync(TimeSpan.FromSeconds(5))).ContactId);
        var again = Assert.Single(await acd.RouteQueueAsync("sales"));

        Assert.Equal("bob", again.AgentId);
        Assert.Null((await acd.GetAgentAsync("ann")).Offer);
        Assert.Equal(["ann"], (await acd.GetContactAsync("c1")).DeclinedBy);
    }

    [Fact]
    public async Task Overflow_relaxes_skills_once_the_wait_reaches_the_step()
    {
        var acd = Acd(new QueueDefinition("billing", [new SkillRequirement("billing", 5)])
        {
            Overflow = [new OverflowRule(TimeSpan.FromSeconds(60)) { RelaxSkills = new Dictionary<string, int> { ["billing"] = 3 } }],
        });
        await Agent(acd, "junior", new() { ["billing"] = 3 });
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "billing"));

        Advance(59);
        Assert.Empty(await acd.RouteQueueAsync("billing"));
        Assert.Equal(T0.AddSeconds(60), await acd.NextEscalationAsync("c1"));
        Advance(2);
        var offer = Assert.Single(await acd.RouteQueueAsync("billing"));

        Assert.Equal("junior", offer.AgentId);
        var contact = await acd.GetContactAsync("c1");
        Assert.Equal(3, contact.RequiredSkills.Single().MinimumProficiency);
        Assert.Equal(1, contact.OverflowStepsApplied);
    }

    [Fact]
    public async Task Overflow_moves_a_contact_to_another_queue_keeping_its_age_and_offers_a_callback()
    {
        var acd = Acd(
            new QueueDefinition("sales", [new SkillRequirement("sales")])
            {
                Overflow = [new OverflowRule(TimeSpan.FromSeconds(120)) { MoveToQueueId = "general", OfferCallback = true }],
            },
            new QueueDefinition("general") { MaxWait = TimeSpan.FromSeconds(300) });
        await acd.EnqueueAsync(new NewContact("old", Channel.Voice, "sales"));
        Advance(100);
        await acd.EnqueueAsync(new NewContact("newer", Channel.Voice, "general"));
        Advance(30);

        var escalated = await acd.EscalateAsync("old");
        var again = await acd.EscalateAsync("old");

        Assert.True(escalated.MovedQueue);
        Assert.True(escalated.OfferCallback);
        Assert.False(again.Changed);
        var moved = await acd.GetContactAsync("old");
        Assert.Equal(("general", T0, T0.AddSeconds(130), true), (moved.QueueId, moved.EnqueuedAt, moved.QueuedSince!.Value, moved.CallbackOffered));
        Assert.Empty(await acd.WaitingAsync("sales"));
        Assert.Equal(["old", "newer"], await acd.WaitingAsync("general"));
        Assert.Equal(T0.AddSeconds(430), await acd.NextEscalationAsync("old"));

        Advance(300);
        var waitedOut = await acd.EscalateAsync("old");
        Assert.True(waitedOut.MaxWaitReached);
        Assert.Null(await acd.NextEscalationAsync("old"));
        await Agent(acd, "ann");
        Assert.Equal("old", (await acd.RouteQueueAsync("general"))[0].ContactId);
    }

    [Fact]
    public async Task Routing_applies_overdue_moves_so_the_contact_is_served_in_its_new_queue()
    {
        var acd = Acd(
            new QueueDefinition("sales", [new SkillRequirement("sales")]) { Overflow = [new OverflowRule(TimeSpan.FromSeconds(30)) { MoveToQueueId = "general" }] },
            new QueueDefinition("general"));
        await Agent(acd, "ann");
        await acd.EnqueueAsync(new NewContact("c1", Channel.Voice, "sales"));

        Assert.Empty(await acd.RouteQueueAsync("sales"));
        Advance(31);
        Assert.Empty(await acd.RouteQueueAsync("sales"));
        Assert.Equal("ann", Assert.Single(await acd.RouteQueueAsync("general")).AgentId);
    }

    [Fact]
    public async Task Estimated_wait_uses_the_measured_handle_time_and_the_agents_who_can_serve_the_queue()
    {
        var acd = Acd(new QueueDefinition("billing", [new SkillRequirement("billing", 4)]));
        await acd.EnqueueAsync(new NewContact("w1", Channel.Voice, "billing"));
        var nobody = await acd.GetPositionAsync("w1");
        Assert.Null(nobody.EstimatedWait);
        Assert.Contains("no agent", nobody.EstimateBasis);

        await Agent(acd, "ann", new() { ["billing"] = 5 });
        await Agent(acd, "bob", new() { ["billing"] = 5 });
        await Agent(acd, "novice", new() { ["billing"] = 1 });
        await acd.SetPresenceAsync("bob", Presence.Away);
        var assumed = await acd.GetPositionAsync("w1");
        Assert.Equal(AcdService.DefaultHandleTime / 2, assumed.EstimatedWait);
        Assert.Contains("assumed", assumed.EstimateBasis);

        // Two handled contacts, 60 s and 120 s: average 90 s.
        foreach (var (id, seconds) in new[] { ("h1", 60), ("h2", 120) })
        {
            await acd.EnqueueAsync(new NewContact(id, Channel.Sms, "billing") { Priority = 9 });
            var offer = (await acd.RouteQueueAsync("billing")).Single(o => o.ContactId == id);
            await acd.AcceptAsync(offer.AgentId, id);
            Advance(seconds);
            await acd.CompleteAsync(offer.AgentId, id);
            await acd.CompleteAsync(offer.AgentId, id); // a repeat must not count twice
        }
        await acd.EnqueueAsync(new NewContact("w2", Channel.Voice, "billing"));
        await acd.SetPresenceAsync("ann", Presence.Busy);

        var measured = await acd.GetPositionAsync("w2");
        Assert.Equal(2, measured.Position);
        Assert.Equal(TimeSpan.FromSeconds(90), measured.EstimatedWait);
        Assert.Contains("over 2 contacts", measured.EstimateBasis);
    }
}
