using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Tests.Voice;

/// <summary>An agent chooses where calls ring: the usual voice address, or their Teams identity.</summary>
public sealed class RingTargetTests
{
    private const string TeamsUserId = "5f1c3c2e-8a4b-4d3e-9a51-0c2b7e6d4f10";
    private readonly VoiceHarness _h = new();

    private async Task<string> QueuedInSalesAsync()
    {
        var callId = await _h.IncomingCallAsync();
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "1");
        return callId;
    }

    private async Task AgentAsync(RingTarget? ringTarget, string? teamsUserId = TeamsUserId)
    {
        await _h.Acd.Acd.UpsertAgentAsync(new AgentProfile("ann", "Ann", new Dictionary<string, int>())
        {
            VoiceAddress = "8:acs:agent-ann", TeamsUserId = teamsUserId, RingTarget = ringTarget,
        });
        await _h.Acd.SetPresenceAsync("ann", Presence.Available);
        await _h.PumpAsync();
    }

    private async Task<CallTarget> RungAsync()
    {
        var callId = await QueuedInSalesAsync();
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();
        return _h.Provider.Requests<AddParticipantRequest>().Single().Participant;
    }

    [Fact]
    public async Task An_agent_who_chose_Teams_is_rung_on_their_Teams_identity()
    {
        await AgentAsync(RingTarget.Teams);

        Assert.Equal(CallAddresses.Parse("8:orgid:" + TeamsUserId), await RungAsync());
    }

    [Fact]
    public async Task An_agent_with_a_Teams_identity_who_did_not_choose_it_is_rung_on_the_usual_address()
    {
        await AgentAsync(ringTarget: null);

        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), await RungAsync());
    }

    [Fact]
    public async Task Switching_back_to_default_rings_the_usual_address_again()
    {
        await AgentAsync(RingTarget.Teams);
        var agent = await _h.Acd.SetRingTargetAsync("ann", RingTarget.Default);
        Assert.Equal(RingTarget.Default, agent.RingTarget);

        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), await RungAsync());
    }

    [Fact]
    public async Task The_choice_survives_a_profile_update_that_does_not_name_it()
    {
        await AgentAsync(ringTarget: null);
        await _h.Acd.SetRingTargetAsync("ann", RingTarget.Teams);
        await AgentAsync(ringTarget: null);

        Assert.Equal(RingTarget.Teams, (await _h.Acd.Acd.GetAgentAsync("ann")).RingTarget);
        Assert.Equal(CallAddresses.Parse("8:orgid:" + TeamsUserId), await RungAsync());
    }

    [Fact]
    public async Task Choosing_Teams_without_a_Teams_identity_is_refused_and_changes_nothing()
    {
        await AgentAsync(ringTarget: null, teamsUserId: null);

        var error = await Assert.ThrowsAsync<NoTeamsIdentityException>(() => _h.Acd.SetRingTargetAsync("ann", RingTarget.Teams));
        Assert.Contains("teamsUserId", error.Message);
        await Assert.ThrowsAsync<NoTeamsIdentityException>(() => _h.Acd.Acd.UpsertAgentAsync(
            new AgentProfile("ann", "Ann", new Dictionary<string, int>()) { RingTarget = RingTarget.Teams }));
        Assert.Equal(RingTarget.Default, (await _h.Acd.Acd.GetAgentAsync("ann")).RingTarget);
        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), await RungAsync());
    }

    [Fact]
    public async Task Removing_the_Teams_identity_falls_back_to_the_usual_address()
    {
        await AgentAsync(RingTarget.Teams);
        await AgentAsync(ringTarget: null, teamsUserId: null);

        Assert.Equal(RingTarget.Default, (await _h.Acd.Acd.GetAgentAsync("ann")).RingTarget);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("8:orgid:5f1c3c2e-8a4b-4d3e-9a51-0c2b7e6d4f10")]
    public async Task A_Teams_user_id_must_be_an_object_id(string teamsUserId)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _h.Acd.Acd.UpsertAgentAsync(
            new AgentProfile("ann", "Ann", new Dictionary<string, int>()) { TeamsUserId = teamsUserId }));
        Assert.Contains("not a GUID", error.Message);
    }

    [Fact]
    public async Task A_Teams_user_id_is_kept_in_canonical_form()
    {
        await AgentAsync(RingTarget.Teams, TeamsUserId.ToUpperInvariant());

        var agent = await _h.Acd.Acd.GetAgentAsync("ann");
        Assert.Equal(TeamsUserId, agent.TeamsUserId);
        Assert.Equal("8:orgid:" + TeamsUserId, agent.CallAddress());
    }
}
