using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Tests.Voice;

/// <summary>Calls end to end through the real IVR engine and ACD, with a recording provider: what the caller hears and what the ACD sees.</summary>
public sealed class VoiceServiceTests
{
    private readonly VoiceHarness _h = new();

    private async Task<string> QueuedInSalesAsync(string from = "+14255550100")
    {
        var callId = await _h.IncomingCallAsync(from);
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "1");
        return callId;
    }

    [Fact]
    public async Task An_answered_call_runs_the_menu_and_waits_in_the_chosen_queue_with_hold_audio()
    {
        var callId = await _h.IncomingCallAsync();
        var answer = Assert.Single(_h.Provider.Requests<AnswerCallRequest>());
        Assert.Equal($"https://contact-center.test/api/calls/events?call={callId}", answer.CallbackUri.ToString());

        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        var menu = Assert.Single(_h.Provider.Requests<RecognizeRequest>());
        var choices = Assert.IsType<RecognizeInput.Choices>(menu.Input);
        Assert.Equal(["1", "2"], choices.Options.Select(o => o.Label));
        Assert.Equal(DtmfTone.One, choices.Options[0].Tone);

        var call = await _h.PressAsync(callId, "1");

        Assert.Equal(CallStage.Queued, call.Stage);
        var contact = await _h.Acd.Acd.GetContactAsync(callId);
        Assert.Equal(("sales", ContactStatus.Queued, 3, "4:+14255550100"), (contact.QueueId, contact.Status, contact.Priority, contact.CustomerId));
        Assert.True(_h.Provider.Requests<PlayRequest>().Last().Loop);
    }

    [Fact]
    public async Task A_repeated_event_and_a_late_media_result_change_nothing()
    {
        var callId = await _h.IncomingCallAsync();
        var connected = new CallConnected("evt-same", "conn-1", _h.Clock.GetUtcNow());
        await _h.Voice.ApplyEventAsync(callId, connected);
        var before = await _h.CallAsync(callId);
        await _h.Voice.ApplyEventAsync(callId, connected);
        Assert.Single(_h.Provider.Requests<RecognizeRequest>());

        // A recognize result for an operation the call never waited for (or has moved past) is ignored.
        await _h.EventAsync(callId, (id, conn, at) => new RecognizeCompleted(id, conn, at) { Tones = "1", OperationContext = "m0" });
        var after = await _h.CallAsync(callId);
        Assert.Equal((before.Stage, before.PendingMedia), (after.Stage, after.PendingMedia));
        Assert.Equal(CallStage.Ivr, after.Stage);
    }

    [Fact]
    public async Task The_same_offer_delivered_twice_is_answered_once()
    {
        var offer = new IncomingCall("ctx-1", "+14255550100", "+442071234567", _h.Clock.GetUtcNow()) { ServerCallId = "server-1" };
        var first = await _h.Voice.AnswerAsync(offer);
        var second = await _h.Voice.AnswerAsync(offer);
        Assert.Equal(first.Id, second.Id);
        Assert.Single(_h.Provider.Requests<AnswerCallRequest>());
    }

    [Fact]
    public async Task An_accepted_offer_rings_the_agent_in_and_the_hold_music_stops_when_they_join()
    {
        var callId = await QueuedInSalesAsync();
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();

        var ring = _h.Provider.Requests<AddParticipantRequest>().Single();
        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), ring.Participant);
        Assert.Equal(CallStage.ConnectingAgent, (await _h.CallAsync(callId)).Stage);

        var call = await _h.EventAsync(callId, (id, conn, at) => new AddParticipantSucceeded(id, conn, at, "8:acs:agent-ann") { OperationContext = "agent:ann" });
        Assert.Equal(CallStage.Connected, call.Stage);
        Assert.Equal("cancelMedia", _h.Provider.Operations[^1].Operation);

        // The customer hangs up: the agent's work is done and wrap-up starts.
        await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));
        Assert.Equal(ContactStatus.Completed, (await _h.Acd.Acd.GetContactAsync(callId)).Status);
        var ann = await _h.Acd.Acd.GetAgentAsync("ann");
        Assert.Empty(ann.Assignments);
        Assert.True(ann.IsInWrapUp(_h.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_caller_who_hangs_up_in_the_queue_is_an_abandon_and_leaves_the_queue()
    {
        var callId = await QueuedInSalesAsync();
        var call = await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));

        Assert.Equal(CallStage.Ended, call.Stage);
        Assert.Contains("hung up waiting in sales", call.Outcome);
        Assert.Equal(ContactStatus.Abandoned, (await _h.Acd.Acd.GetContactAsync(callId)).Status);
        Assert.Empty(await _h.Acd.Acd.WaitingAsync("sales"));
    }

    [Fact]
    public async Task A_declined_offer_keeps_the_caller_waiting_and_nobody_is_rung()
    {
        var callId = await QueuedInSalesAsync();
        await _h.AgentAsync("ann");
        await _h.Acd.DeclineAsync("ann", callId);
        await _h.PumpAsync();

        Assert.Empty(_h.Provider.Requests<AddParticipantRequest>());
        Assert.Equal(CallStage.Queued, (await _h.CallAsync(callId)).Stage);
        var contact = await _h.Acd.Acd.GetContactAsync(callId);
        Assert.Equal(["ann"], contact.DeclinedBy);
        Assert.NotEqual(ContactStatus.Assigned, contact.Status); // waiting again (re-offered to the only agent, last)
    }

    [Fact]
    public async Task An_agent_whose_phone_does_not_answer_sends_the_caller_back_to_the_queue()
    {
        var callId = await QueuedInSalesAsync();
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();

        var call = await _h.EventAsync(callId, (id, conn, at) => new AddParticipantFailed(id, conn, at, "8:acs:agent-ann") { OperationContext = "agent:ann" });

        Assert.Equal(CallStage.Queued, call.Stage);
        Assert.Equal($"{callId}~2", call.ContactId);
        Assert.Contains((await _h.Acd.Acd.GetContactAsync(call.ContactId!)).Status, new[] { ContactStatus.Queued, ContactStatus.Offered });
        Assert.Equal(ContactStatus.Completed, (await _h.Acd.Acd.GetContactAsync(callId)).Status);
        Assert.Empty((await _h.Acd.Acd.GetAgentAsync("ann")).Assignments);
    }

    [Fact]
    public async Task Waiting_callers_hear_their_position_at_each_announcement_interval()
    {
        var first = await QueuedInSalesAsync("+14255550101");
        var second = await QueuedInSalesAsync("+14255550102");
        await _h.AdvanceAsync(TimeSpan.FromSeconds(44));
        Assert.DoesNotContain(_h.Provider.Said, s => s.Contains("in line"));

        await _h.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Contains(_h.Provider.Said, s => s.StartsWith("You are next in line."));
        Assert.Contains(_h.Provider.Said, s => s.StartsWith("You are number 2 in line."));
        Assert.Equal(CallStage.Queued, (await _h.CallAsync(second)).Stage);
        // After the announcement the music comes back, and the next announcement is booked.
        await _h.PromptPlayedAsync(first);
        Assert.True(_h.Provider.Requests<PlayRequest>().Last().Loop);
        Assert.Contains(_h.PendingCallWork, w => w.Kind == CallWorkKind.Announce && w.CallId == first);
    }

    [Fact]
    public async Task A_booked_callback_keeps_the_place_calls_the_customer_when_an_agent_takes_it_and_is_not_booked_twice()
    {
        var callId = await _h.IncomingCallAsync("+14255550199");
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "2");
        var booked = await _h.PressAsync(callId, "1");
        Assert.Equal(CallStage.CallbackWaiting, booked.Stage);
        await _h.PromptPlayedAsync(callId); // the goodbye
        Assert.Equal("hangup", _h.Provider.Operations[^1].Operation);
        await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));
        Assert.Equal(ContactStatus.Queued, (await _h.Acd.Acd.GetContactAsync(callId)).Status);

        // The same customer calls again and asks again: still one callback.
        var again = await _h.IncomingCallAsync("+14255550199");
        await _h.EventAsync(again, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(again, "2");
        var second = await _h.PressAsync(again, "1");
        Assert.Contains("already booked", second.Outcome);
        Assert.Single(await _h.Acd.Acd.WaitingAsync("sales"));

        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();
        var dial = Assert.Single(_h.Provider.Requests<CreateCallRequest>());
        Assert.Equal(new CallTarget.PhoneNumber("+14255550199"), dial.Target);
        Assert.Equal(new CallTarget.PhoneNumber("+442071234567"), dial.CallerId);

        var connected = await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        Assert.Equal(CallStage.ConnectingAgent, connected.Stage);
        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), _h.Provider.Requests<AddParticipantRequest>().Single().Participant);
    }

    [Fact]
    public async Task A_campaign_call_answered_by_a_person_is_queued_and_one_left_to_a_machine_counts_as_voicemail()
    {
        var connection = await _h.Voice.PlaceCampaignCallAsync(new OutboundCallRequest("spring", "e1", "+14255550123", "sales") { Greeting = "Hi from Contoso." });
        var create = Assert.Single(_h.Provider.Requests<CreateCallRequest>());
        var callId = create.CallbackUri.Query.Split('=')[1];
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        Assert.StartsWith("Hi from Contoso.", _h.Provider.Said.Last());
        var call = await _h.PressAsync(callId, "1");
        Assert.Equal(CallStage.Queued, call.Stage);
        Assert.Equal(("spring", "e1", OutboundOutcome.Answered), Assert.Single(_h.Outcomes));

        await _h.Voice.PlaceCampaignCallAsync(new OutboundCallRequest("spring", "e2", "+14255550124", "sales"));
        var machine = _h.Provider.Requests<CreateCallRequest>().Last().CallbackUri.Query.Split('=')[1];
        await _h.EventAsync(machine, (id, conn, at) => new CallConnected(id, conn, at));
        var pending = (await _h.CallAsync(machine)).PendingMedia;
        await _h.EventAsync(machine, (id, conn, at) => new RecognizeFailed(id, conn, at, RecognizeFailureReason.Timeout) { OperationContext = pending });
        Assert.Equal(("spring", "e2", OutboundOutcome.Voicemail), _h.Outcomes[^1]);
        Assert.NotEmpty(connection);
    }

    [Fact]
    public async Task A_cold_transfer_to_another_queue_frees_the_agent_and_the_caller_waits_there()
    {
        var callId = await QueuedInSalesAsync();
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();
        await _h.EventAsync(callId, (id, conn, at) => new AddParticipantSucceeded(id, conn, at, "8:acs:agent-ann") { OperationContext = "agent:ann" });

        await Assert.ThrowsAsync<CallCommandException>(() => _h.Voice.SubmitCommandAsync(callId, new CallCommand("transfer", "bob") { QueueId = "care" }));
        await _h.Voice.SubmitCommandAsync(callId, new CallCommand("transfer", "ann") { QueueId = "care" });
        await _h.PumpAsync();

        var call = await _h.CallAsync(callId);
        Assert.Equal((CallStage.Queued, "care", $"{callId}~2"), (call.Stage, call.QueueId, call.ContactId));
        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), _h.Provider.Requests<CallTarget>().Last());
        Assert.Equal(ContactStatus.Completed, (await _h.Acd.Acd.GetContactAsync(callId)).Status);
        Assert.Empty((await _h.Acd.Acd.GetAgentAsync("ann")).Assignments);
    }

    [Fact]
    public async Task A_customer_with_an_open_case_who_calls_is_on_the_same_timeline_and_prefers_the_case_agent()
    {
        var sms = new ContactCenter.Core.Channels.InboundSms("m1", "+14255550100", "+18005550199", "My router is broken", _h.Clock.GetUtcNow());
        await _h.Conversations.ReceiveSmsAsync(sms);
        var customer = (await _h.Conversations.FindCustomerAsync(Core.Conversations.CustomerIdentity.Phone("+14255550100")))!;
        var conversation = await _h.Conversations.GetConversationAsync(customer.OpenConversationId!);
        await _h.Conversations.ContactAssignedAsync((await _h.Acd.Acd.GetContactAsync(conversation.ContactId!)) with { AgentId = "ann" });
        _h.Clock.MoveTo(_h.Clock.GetUtcNow().AddMinutes(1));

        var callId = await QueuedInSalesAsync();
        Assert.Equal("ann", (await _h.Acd.Acd.GetContactAsync(callId)).PreferredAgentId);
        await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));

        var timeline = await _h.Conversations.TimelineAsync(customer.Id);
        var call = timeline.First();
        Assert.Equal((Channel.Voice, conversation.Id, "ended"), (call.Channel, call.ConversationId, call.Status));
        Assert.Contains("hung up waiting in sales", call.StatusDetails);
    }

    [Fact]
    public async Task A_failure_of_the_provider_leaves_the_call_unchanged_so_the_retried_work_runs_again()
    {
        var callId = await _h.IncomingCallAsync();
        _h.Provider.FailNext["recognize"] = new HttpRequestException("503 from the provider");
        var connected = new CallConnected("evt-c", "conn-1", _h.Clock.GetUtcNow());
        await Assert.ThrowsAsync<HttpRequestException>(() => _h.Voice.ApplyEventAsync(callId, connected));
        Assert.Equal(CallStage.Answering, (await _h.CallAsync(callId)).Stage);

        var call = await _h.Voice.ApplyEventAsync(callId, connected); // the broker's redelivery
        Assert.Equal(CallStage.Ivr, call!.Stage);
        Assert.Single(_h.Provider.Requests<RecognizeRequest>());
    }
}

/// <summary>The less common paths: agent hang-up, warm transfer, callbacks nobody answers, IVR transfers and voicemail.</summary>
public sealed class VoiceServiceEdgeTests
{
    private const string ClosedLine = "+442070000001";

    private readonly VoiceHarness _h = new(new VoiceSettings
    {
        CallbackMaxAttempts = 2,
        CallbackRetryDelay = TimeSpan.FromMinutes(5),
        FlowsByNumber = new Dictionary<string, string> { [ClosedLine] = "closed" },
    });

    [Fact]
    public async Task A_voicemail_is_recorded_up_to_its_limit_and_becomes_a_task_in_the_queue()
    {
        var callId = await _h.IncomingCallAsync(to: ClosedLine);
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "1");
        Assert.Equal("Leave a message after the tone.", _h.Provider.Said.Last());
        await _h.PromptPlayedAsync(callId);
        Assert.Equal("record", _h.Provider.Operations[^1].Operation);

        await _h.AdvanceAsync(TimeSpan.FromSeconds(60));

        Assert.Contains(_h.Provider.Operations, o => o.Operation == "stopRecording");
        Assert.Equal("hangup", _h.Provider.Operations[^1].Operation);
        var task = await _h.Acd.Acd.GetContactAsync($"{callId}~voicemail");
        Assert.Equal((Channel.Email, "care", "4:+14255550100"), (task.Channel, task.QueueId, task.CustomerId));
        // The hang-up that follows does not record it twice.
        await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));
        Assert.Single(_h.Provider.Operations, o => o.Operation == "stopRecording");
    }

    [Fact]
    public async Task The_flow_can_transfer_the_caller_to_a_phone_number()
    {
        var callId = await _h.IncomingCallAsync(to: ClosedLine);
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "2");
        Assert.Equal(new CallTarget.PhoneNumber("+442079460000"), _h.Provider.Requests<TransferRequest>().Single().Target);
        var call = await _h.EventAsync(callId, (id, conn, at) => new CallTransferAccepted(id, conn, at));
        Assert.Equal(CallStage.Ended, call.Stage);
    }

    private async Task<string> ConnectedToAnnAsync()
    {
        var callId = await _h.IncomingCallAsync();
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "1");
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();
        await _h.EventAsync(callId, (id, conn, at) => new AddParticipantSucceeded(id, conn, at, "8:acs:agent-ann") { OperationContext = "agent:ann" });
        return callId;
    }

    [Fact]
    public async Task When_the_agent_hangs_up_alone_the_call_ends_for_the_customer_too()
    {
        var callId = await ConnectedToAnnAsync();
        await _h.EventAsync(callId, (id, conn, at) => new ParticipantsUpdated(id, conn, at, ["4:+14255550100"], 3));
        Assert.Equal(("hangup", (object?)true), (_h.Provider.Operations[^1].Operation, _h.Provider.Operations[^1].Request));
    }

    [Fact]
    public async Task A_warm_transfer_adds_a_colleague_then_the_agent_leaves_them_with_the_customer()
    {
        var callId = await ConnectedToAnnAsync();
        await _h.Acd.Acd.UpsertAgentAsync(new AgentProfile("bob", "Bob", new Dictionary<string, int>()) { VoiceAddress = "+14255550777" });
        await _h.Voice.SubmitCommandAsync(callId, new CallCommand("add", "ann") { TargetAgentId = "bob" });
        await _h.PumpAsync();
        var invite = _h.Provider.Requests<AddParticipantRequest>().Last();
        Assert.Equal(new CallTarget.PhoneNumber("+14255550777"), invite.Participant);
        Assert.Equal(new CallTarget.PhoneNumber("+442071234567"), invite.CallerId);
        await _h.EventAsync(callId, (id, conn, at) => new AddParticipantSucceeded(id, conn, at, "4:+14255550777") { OperationContext = invite.OperationContext });

        await _h.Voice.SubmitCommandAsync(callId, new CallCommand("leave", "ann"));
        await _h.PumpAsync();

        var call = await _h.CallAsync(callId);
        Assert.Null(call.AgentId);
        Assert.Equal(["4:+14255550777"], call.Guests);
        Assert.Equal(new CallTarget.CommunicationUser("8:acs:agent-ann"), _h.Provider.Requests<CallTarget>().Last());
        Assert.Empty((await _h.Acd.Acd.GetAgentAsync("ann")).Assignments);
        // The customer and the colleague keep talking: nobody is hung up on.
        await _h.EventAsync(callId, (id, conn, at) => new ParticipantsUpdated(id, conn, at, ["4:+14255550100", "4:+14255550777"], 5));
        Assert.DoesNotContain(_h.Provider.Operations, o => o.Operation == "hangup");
    }

    [Fact]
    public async Task A_callback_nobody_answers_is_tried_again_after_the_delay_then_given_up()
    {
        var callId = await _h.IncomingCallAsync("+14255550188");
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "2");
        await _h.PressAsync(callId, "1");
        await _h.PromptPlayedAsync(callId);
        await _h.EventAsync(callId, (id, conn, at) => new CallDisconnected(id, conn, at));
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        await _h.PumpAsync();

        var call = await _h.EventAsync(callId, (id, conn, at) => new CreateCallFailed(id, conn, at) { ResultCode = 408, ResultSubCode = 0 });
        Assert.Equal(CallStage.CallbackWaiting, call.Stage);
        Assert.Empty((await _h.Acd.Acd.GetAgentAsync("ann")).Assignments);
        await _h.AdvanceAsync(TimeSpan.FromMinutes(5));
        call = await _h.CallAsync(callId);
        Assert.Equal($"{callId}~2", call.ContactId);

        // Second and last attempt.
        await _h.AdvanceAsync(TimeSpan.FromMinutes(1)); // ann's wrap-up is long over
        var offered = await _h.Acd.Acd.GetContactAsync(call.ContactId!);
        await _h.Acd.AcceptAsync(offered.OfferedTo!, call.ContactId!);
        await _h.PumpAsync();
        Assert.Equal(2, _h.Provider.Requests<CreateCallRequest>().Count());
        call = await _h.EventAsync(callId, (id, conn, at) => new CreateCallFailed(id, conn, at) { ResultCode = 486 });
        Assert.Equal(CallStage.Ended, call.Stage);
        Assert.Contains("after 2 attempts", call.Outcome);
    }

    [Fact]
    public async Task The_call_that_ends_between_accept_and_connect_frees_the_agent()
    {
        var callId = await _h.IncomingCallAsync();
        await _h.EventAsync(callId, (id, conn, at) => new CallConnected(id, conn, at));
        await _h.PressAsync(callId, "1");
        await _h.AgentAsync("ann");
        await _h.Acd.AcceptAsync("ann", callId);
        // The hang-up is applied before the assignment message is delivered.
        await _h.Voice.ApplyEventAsync(callId, new CallDisconnected("evt-gone", "conn-1", _h.Clock.GetUtcNow()));
        await _h.PumpAsync();

        Assert.Empty((await _h.Acd.Acd.GetAgentAsync("ann")).Assignments);
        Assert.Empty(_h.Provider.Requests<AddParticipantRequest>());
    }
}
