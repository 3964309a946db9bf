using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Tests.Workspace;

/// <summary>The supervisor's board, reassigning contacts to named agents, and changing skills.</summary>
public sealed class SupervisorTests
{
    private readonly WorkspaceFixture _f = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AcdService Acd => _f.Acd.Acd;

    [Fact]
    public async Task The_board_shows_each_queue_line_and_each_agent_load()
    {
        await _f.AgentAsync("ann", capacity: new() { [Channel.Sms] = 2, [Channel.Voice] = 1 });
        await _f.AgentAsync("bob", Presence.Away, skills: new() { ["billing"] = 5 });
        await _f.Acd.EnqueueAsync(new NewContact("s1", Channel.Sms, "general"), Ct);
        Assert.Single(await _f.RouteAsync("general"));
        await _f.Acd.AcceptAsync("ann", "s1", Ct);
        _f.Clock.Advance(TimeSpan.FromSeconds(30));
        await _f.Acd.EnqueueAsync(new NewContact("b1", Channel.Voice, "billing"), Ct);
        _f.Clock.Advance(TimeSpan.FromSeconds(30));
        await _f.Acd.EnqueueAsync(new NewContact("b2", Channel.Email, "billing") { Priority = 9 }, Ct);
        await _f.Acd.EnqueueAsync(new NewContact("g1", Channel.Voice, "general"), Ct);
        Assert.Single(await _f.RouteAsync("general")); // g1 is offered to ann
        _f.Clock.Advance(TimeSpan.FromSeconds(15));

        var board = await Acd.ReadBoardAsync(Ct);

        var billing = board.Queues.Single(q => q.QueueId == "billing");
        Assert.Equal((2, TimeSpan.FromSeconds(45), 0, 0), (billing.Waiting, billing.LongestWait, billing.Offered, billing.Active));
        Assert.Equal(new Dictionary<string, int> { ["voice"] = 1, ["email"] = 1 }, billing.WaitingByChannel);
        Assert.Equal((0, 1), (billing.AgentsByPresence["available"], billing.AgentsByPresence["away"])); // ann lacks billing
        var general = board.Queues.Single(q => q.QueueId == "general");
        Assert.Equal((0, (TimeSpan?)null, 1, 1), (general.Waiting, general.LongestWait, general.Offered, general.Active));
        Assert.Equal((1, 1), (general.AgentsByPresence["available"], general.AgentsByPresence["away"]));

        var ann = board.Agents.Single(a => a.AgentId == "ann");
        Assert.Equal(Presence.Available, ann.Presence);
        Assert.Equal(new ChannelLoad(1, 2), ann.Channels["sms"]);
        Assert.Equal(new ChannelLoad(0, 1), ann.Channels["voice"]);
        Assert.False(ann.Channels.ContainsKey("email"));
        Assert.Equal("g1", ann.Offer!.ContactId);
        Assert.Null(ann.WrapUpUntil);
        Assert.Equal(["ann", "bob"], board.Agents.Select(a => a.AgentId));
    }

    [Fact]
    public async Task The_board_shows_wrap_up_only_while_it_lasts()
    {
        await _f.AgentAsync("ann");
        await _f.Acd.EnqueueAsync(new NewContact("s1", Channel.Sms, "general"), Ct);
        Assert.Single(await _f.RouteAsync("general"));
        await _f.Acd.AcceptAsync("ann", "s1", Ct);
        await _f.Acd.CompleteAsync("ann", "s1", Ct);

        Assert.Equal(WorkspaceFixture.T0.AddSeconds(10), (await Acd.ReadBoardAsync(Ct)).Agents.Single().WrapUpUntil);
        _f.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null((await Acd.ReadBoardAsync(Ct)).Agents.Single().WrapUpUntil);
    }

    [Fact]
    public async Task A_waiting_contact_is_offered_to_the_named_agent_whatever_their_skills_and_a_repeat_changes_nothing()
    {
        await _f.AgentAsync("bob");
        await _f.Acd.EnqueueAsync(new NewContact("b1", Channel.Voice, "billing"), Ct);
        _f.Sent.Clear();

        var result = await _f.Acd.ReassignAsync("b1", "bob", Ct);
        var repeat = await _f.Acd.ReassignAsync("b1", "bob", Ct);

        Assert.Equal((ContactStatus.Offered, "bob", ContactStatus.Queued, null), (result.Contact.Status, result.Contact.OfferedTo, result.PreviousStatus, result.WithdrawnFrom));
        Assert.Equal("reassigned by a supervisor", result.Offer!.Decision.Reason);
        Assert.Equal("b1", (await Acd.GetAgentAsync("bob", Ct)).Offer!.ContactId);
        Assert.Empty(await Acd.WaitingAsync("billing", Ct));
        var expiry = Assert.Single(_f.AcdMessages);
        Assert.Equal((AcdWorkKind.ExpireOffer, "b1", "bob", WorkspaceFixture.T0.AddSeconds(20)), (expiry.Kind, expiry.ContactId, expiry.AgentId, expiry.Due));
        Assert.Null(repeat.Offer);
        Assert.Single(_f.AcdMessages);

        await _f.Acd.AcceptAsync("bob", "b1", Ct);
        Assert.Equal(ContactStatus.Assigned, (await Acd.GetContactAsync("b1", Ct)).Status);
        Assert.Null((await _f.Acd.ReassignAsync("b1", "bob", Ct)).Offer); // still idempotent once accepted
    }

    [Fact]
    public async Task An_offer_is_withdrawn_from_its_agent_without_counting_as_missed()
    {
        await _f.AgentAsync("ann");
        await _f.Acd.EnqueueAsync(new NewContact("g1", Channel.Sms, "general"), Ct);
        Assert.Equal("ann", Assert.Single(await _f.RouteAsync("general")).AgentId);
        await _f.AgentAsync("bob");
        _f.Sent.Clear();

        var result = await _f.Acd.ReassignAsync("g1", "bob", Ct);

        Assert.Equal(("ann", ContactStatus.Offered), (result.WithdrawnFrom, result.PreviousStatus));
        var ann = await Acd.GetAgentAsync("ann", Ct);
        Assert.Equal((null, 0), (ann.Offer, ann.MissedOffers));
        Assert.Equal("bob", (await Acd.GetContactAsync("g1", Ct)).OfferedTo);
        Assert.Contains(_f.AcdMessages, w => w.Kind == AcdWorkKind.Route); // ann is free for other work
        await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.AcceptAsync("ann", "g1", Ct));

        // Ann's own expiry check arrives later and changes nothing; bob's puts the contact back in line for routing.
        _f.Clock.Advance(TimeSpan.FromSeconds(21));
        await _f.Acd.HandleAsync(new AcdWork(AcdWorkKind.ExpireOffer, "general", "g1", "ann"), Ct);
        Assert.Equal("bob", (await Acd.GetContactAsync("g1", Ct)).OfferedTo);
        Assert.Equal(0, (await Acd.GetAgentAsync("ann", Ct)).MissedOffers);
        var bobsExpiry = Assert.Single(_f.AcdMessages, w => w.Kind == AcdWorkKind.ExpireOffer && w.AgentId == "bob");
        await _f.Acd.HandleAsync(bobsExpiry, Ct);
        var back = await Acd.GetContactAsync("g1", Ct);
        Assert.Equal((ContactStatus.Offered, "ann", "bob"), (back.Status, back.OfferedTo, Assert.Single(back.DeclinedBy))); // back in line, routed again
        Assert.Null((await Acd.GetAgentAsync("bob", Ct)).Offer);
    }

    [Fact]
    public async Task A_messaging_contact_in_hand_moves_to_another_agent_but_a_call_in_progress_does_not()
    {
        await _f.AgentAsync("ann");
        await _f.Acd.EnqueueAsync(new NewContact("s1", Channel.Sms, "general"), Ct);
        await _f.Acd.EnqueueAsync(new NewContact("v1", Channel.Voice, "general"), Ct);
        await _f.RouteAsync("general");
        await _f.Acd.AcceptAsync("ann", "s1", Ct);
        await _f.RouteAsync("general");
        await _f.Acd.AcceptAsync("ann", "v1", Ct);
        await _f.AgentAsync("bob");

        var moved = await _f.Acd.ReassignAsync("s1", "bob", Ct);
        var call = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("v1", "bob", Ct));

        Assert.Equal(("ann", ContactStatus.Assigned, ContactStatus.Offered, null), (moved.WithdrawnFrom, moved.PreviousStatus, moved.Contact.Status, moved.Contact.AgentId));
        Assert.Equal(["v1"], (await Acd.GetAgentAsync("ann", Ct)).Assignments.Select(a => a.ContactId));
        Assert.Contains("call in progress with ann", call.Message, StringComparison.Ordinal);
        await _f.Acd.AcceptAsync("bob", "s1", Ct);
        Assert.Equal("bob", (await Acd.GetContactAsync("s1", Ct)).AgentId);
    }

    [Fact]
    public async Task Reassignment_respects_presence_wrap_up_pending_offers_and_capacity()
    {
        await _f.AgentAsync("away", Presence.Away);
        await _f.AgentAsync("full", capacity: new() { [Channel.Sms] = 1 });
        await _f.Acd.EnqueueAsync(new NewContact("s1", Channel.Sms, "general"), Ct);
        Assert.Equal("full", Assert.Single(await _f.RouteAsync("general")).AgentId);
        await _f.Acd.EnqueueAsync(new NewContact("s2", Channel.Sms, "general"), Ct);

        var pending = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("s2", "full", Ct));
        await _f.Acd.AcceptAsync("full", "s1", Ct);
        var capacity = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("s2", "full", Ct));
        var presence = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("s2", "away", Ct));
        await _f.AgentAsync("tired");
        await _f.Acd.ReassignAsync("s2", "tired", Ct);
        await _f.Acd.AcceptAsync("tired", "s2", Ct);
        await _f.Acd.CompleteAsync("tired", "s2", Ct); // 10 s wrap-up in general
        await _f.Acd.EnqueueAsync(new NewContact("s3", Channel.Sms, "general"), Ct);
        var wrapUp = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("s3", "tired", Ct));
        var completed = await Assert.ThrowsAsync<StaleActionException>(() => _f.Acd.ReassignAsync("s2", "full", Ct));

        Assert.Contains("full is considering another offer (s1)", pending.Message, StringComparison.Ordinal);
        Assert.Contains("full's sms capacity is full (1 of 1)", capacity.Message, StringComparison.Ordinal);
        Assert.Contains("away is away", presence.Message, StringComparison.Ordinal);
        Assert.Contains("tired is in wrap-up until", wrapUp.Message, StringComparison.Ordinal);
        Assert.Contains("s2 is completed", completed.Message, StringComparison.Ordinal);
        Assert.Equal(ContactStatus.Queued, (await Acd.GetContactAsync("s3", Ct)).Status);
        Assert.Equal(["s3"], await Acd.WaitingAsync("general", Ct));
        await Assert.ThrowsAsync<UnknownAgentException>(() => _f.Acd.ReassignAsync("s3", "ghost", Ct));
        await Assert.ThrowsAsync<UnknownContactException>(() => _f.Acd.ReassignAsync("ghost", "tired", Ct));
    }

    [Fact]
    public async Task New_skills_route_the_queues_the_agent_may_now_serve()
    {
        await _f.AgentAsync("bob");
        await _f.Acd.EnqueueAsync(new NewContact("b1", Channel.Voice, "billing"), Ct);
        Assert.Empty(await _f.RouteAsync("billing"));
        _f.Sent.Clear();

        var changed = await _f.Acd.SetSkillsAsync("bob", new Dictionary<string, int> { [" Billing "] = 6 }, Ct);

        Assert.Equal(6, changed.Agent.Skills["billing"]);
        Assert.Equal(Presence.Available, changed.Agent.Presence);
        Assert.Equal(["billing", "general", "support"], changed.QueuesToRoute);
        Assert.Equal(["billing", "general", "support"], _f.AcdMessages.Where(w => w.Kind == AcdWorkKind.Route).Select(w => w.QueueId).Order());
        Assert.Equal("bob", Assert.Single(await _f.RouteAsync("billing")).AgentId);

        await _f.AgentAsync("cat", Presence.Away);
        _f.Sent.Clear();
        Assert.Empty((await _f.Acd.SetSkillsAsync("cat", new Dictionary<string, int> { ["billing"] = 9 }, Ct)).QueuesToRoute); // away: nothing to route
        Assert.Empty(_f.AcdMessages);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _f.Acd.SetSkillsAsync("cat", new Dictionary<string, int> { ["billing"] = 11 }, Ct));
        await Assert.ThrowsAsync<UnknownAgentException>(() => _f.Acd.SetSkillsAsync("ghost", new Dictionary<string, int>(), Ct));
    }
}
