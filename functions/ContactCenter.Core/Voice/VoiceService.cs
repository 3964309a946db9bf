using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.Ivr;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using IvrInputs = ContactCenter.Core.Ivr;

namespace ContactCenter.Core.Voice;

/// <summary>
/// The voice channel's use cases: answer a call, run its IVR, queue it in the ACD with hold audio and announcements,
/// call back customers who asked for it, connect the agent, carry out agents' transfers and conferences, and end the call
/// cleanly whoever hangs up. Every provider event and every timer for one call arrives as <see cref="CallWork"/> in that
/// call's session, so one call is handled by one worker at a time, in order. Each step acts first and stores the call
/// with the event's id afterwards: a failed step is retried whole, a repeated event is recognised and skipped, and a
/// late event of an operation the call has moved past is ignored by its operation context.
/// </summary>
public sealed class VoiceService(
    CallRepository calls,
    ICallControl control,
    ICallEventReader reader,
    ICallbackUris callbacks,
    AcdDispatcher acd,
    IvrFlowCatalog flows,
    IQueueCatalog queues,
    IMessageSender sender,
    VoiceSettings settings,
    TimeProvider timeProvider,
    IOutboundOutcomeSink? outcomes = null,
    Conversations.ConversationService? conversations = null)
{
    private const string AnswerContext = "answer";
    private const string AgentContextPrefix = "agent:";
    private const string GuestContextPrefix = "guest:";

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Our id for an offered call: the same offer delivered twice gets the same id, so it is answered once.</summary>
    public static string CallIdFor(IncomingCall call)
    {
        var key = call.ServerCallId ?? call.IncomingCallContext;
        return "call-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];
    }

    /// <summary>Whether the call was made to one of our numbers (every call when none are configured).</summary>
    public bool IsForUs(IncomingCall call) =>
        settings.Numbers.Count == 0 || settings.Numbers.Any(number => CallAddresses.SameParty(number, call.To));

    public Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken = default) => calls.GetAsync(callId, cancellationToken);

    /// <summary>Answers an offered call (idempotent). The IVR starts when the provider reports the call connected.</summary>
    public async Task<CallRecord> AnswerAsync(IncomingCall incoming, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var callId = CallIdFor(incoming);
        var record = new CallRecord
        {
            Id = callId,
            Purpose = CallPurpose.Inbound,
            Stage = CallStage.Answering,
            Customer = Raw(incoming.From),
            Line = Raw(incoming.To),
            IncomingCallContext = incoming.IncomingCallContext,
            ServerCallId = incoming.ServerCallId,
            CorrelationId = incoming.CorrelationId,
            CreatedAt = Now,
            Outcome = "answering",
        };
        StoredCall stored;
        try
        {
            stored = await calls.InsertAsync(record, cancellationToken);
        }
        catch (StateConflictException)
        {
            stored = (await calls.GetAsync(callId, cancellationToken))!;
            if (stored.Call.Stage != CallStage.Answering || stored.Call.CallConnectionId is not null)
            {
                return stored.Call; // answered before: this is a redelivery of the same offer
            }
        }
        var connection = await control.AnswerAsync(new AnswerCallRequest(incoming.IncomingCallContext, callbacks.For(callId)) { OperationContext = AnswerContext }, cancellationToken);
        VoiceMetrics.Record("answered", CallPurpose.Inbound);
        // On the customer's timeline, in their open case; the agent who handled that case is preferred in the queue.
        var preferredAgent = conversations is null ? null
            : await conversations.RecordCallAsync(record.Customer, callId, Conversations.Direction.Inbound, $"Call to {Phone(record.Line) ?? record.Line}", cancellationToken);
        return await UpdateAsync(callId, current => Task.FromResult<CallRecord?>(current with
        {
            CallConnectionId = current.CallConnectionId ?? connection.CallConnectionId,
            ServerCallId = current.ServerCallId ?? connection.ServerCallId,
            PreferredAgentId = current.PreferredAgentId ?? preferredAgent,
        }), cancellationToken) ?? stored.Call;
    }

    /// <summary>Does one piece of work of the call-work queue (inside the call's session).</summary>
    public async Task<CallRecord?> HandleAsync(CallWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        switch (work.Kind)
        {
            case CallWorkKind.ProviderEvent:
                CallRecord? last = null;
                var batch = reader.ReadBatch(work.Payload ?? throw new InvalidCallWorkException("A provider event needs its payload."));
                foreach (var callEvent in batch.Events)
                {
                    last = await ApplyEventAsync(work.CallId, callEvent, cancellationToken);
                }
                if (batch.Unreadable.Count > 0)
                {
                    // The readable events are applied; the rest are reported so the caller parks them (never retried).
                    throw new FormatException(string.Join(" ", batch.Unreadable.Select(u => u.Reason)));
                }
                return last;
            case CallWorkKind.Announce:
                return await UpdateAsync(work.CallId, call => AnnounceAsync(call, work.Sequence, cancellationToken), cancellationToken);
            case CallWorkKind.AgentAssigned:
                return await ConnectAgentAsync(work.CallId, work.ContactId ?? work.CallId, work.AgentId ?? throw new InvalidCallWorkException("An assignment needs an agentId."), cancellationToken);
            case CallWorkKind.VoicemailTimeUp:
                return await UpdateAsync(work.CallId, async call =>
                    call.Stage == CallStage.Voicemail && call.RecordingId is not null ? await EndVoicemailAsync(call, hangUp: true, cancellationToken) : null, cancellationToken);
            case CallWorkKind.RetryCallback:
                return await UpdateAsync(work.CallId, async call => call.Stage == CallStage.CallbackWaiting && call.ContactId is null && call.QueueId is { } queueId
                    ? await RequeueAsync(call, queueId, priority: null, cancellationToken) with { Outcome = $"callback attempt {call.CallbackAttempts + 1} waiting for an agent" }
                    : null, cancellationToken);
            case CallWorkKind.AgentCommand:
                return await UpdateAsync(work.CallId, call => CommandAsync(call, work.Command ?? throw new InvalidCallWorkException("An agent command needs its command."), cancellationToken), cancellationToken);
            default:
                throw new InvalidCallWorkException($"Unknown call work kind {work.Kind}.");
        }
    }

    /// <summary>
    /// Checks an agent's command against the call as it is now (so the agent gets a clear error at once) and queues it
    /// in the call's session, where it is carried out in order with the call's events.
    /// </summary>
    public async Task<CallRecord> SubmitCommandAsync(string callId, CallCommand command, CancellationToken cancellationToken = default)
    {
        var call = (await calls.GetAsync(callId, cancellationToken))?.Call ?? throw new UnknownCallException(callId);
        if (call.Stage == CallStage.Ended)
        {
            throw new CallCommandException($"Call {callId} has ended.");
        }
        if (call.AgentId != command.AgentId)
        {
            throw new CallCommandException($"Agent {command.AgentId} is not on call {callId}.");
        }
        switch (command.Action)
        {
            case "transfer" or "add" when Count(command.QueueId, command.TargetAgentId, command.PhoneNumber) != 1:
                throw new CallCommandException("Say where to: exactly one of queueId, agentId or phoneNumber.");
            case "add" when command.QueueId is not null:
                throw new CallCommandException("A queue cannot join a conference; add an agent or a phone number, or transfer to the queue.");
            case "transfer" or "add" when command.QueueId is { } queueId && queues.Find(queueId) is null:
                throw new UnknownQueueException(queueId);
            case "transfer" or "add" when command.PhoneNumber is { } number && !CallAddresses.TryParse(number, out _):
                throw new CallCommandException($"'{number}' is not an E.164 phone number.");
            case "transfer" or "add" when command.TargetAgentId is { } target:
                var agent = await acd.Acd.GetAgentAsync(target, cancellationToken);
                if (!CallAddresses.TryParse(agent.CallAddress(), out _))
                {
                    throw new CallCommandException($"Agent {target} has no voice address to call.");
                }
                break;
            case "transfer" or "add" or "leave" or "hangup":
                break;
            default:
                throw new CallCommandException($"Unknown action '{command.Action}': use transfer, add, leave or hangup.");
        }
        await SendWorkAsync(new CallWork(CallWorkKind.AgentCommand, callId) { Command = command }, cancellationToken);
        return call;

        static int Count(params string?[] values) => values.Count(v => v is not null);
    }

    /// <summary>Starts an outbound call for a campaign entry; the campaign hears how it ended through <see cref="IOutboundOutcomeSink"/>.</summary>
    public async Task<string> PlaceCampaignCallAsync(OutboundCallRequest request, CancellationToken cancellationToken = default)
    {
        var target = CallAddresses.Parse(request.PhoneNumber);
        var callId = "out-" + Guid.NewGuid().ToString("N")[..20];
        var record = new CallRecord
        {
            Id = callId,
            Purpose = CallPurpose.Campaign,
            Stage = CallStage.Dialing,
            Customer = CallAddresses.ToRawId(target),
            Line = request.CallerId is { } callerId ? Raw(callerId) : settings.CallerId is { } ours ? Raw(ours) : null,
            QueueId = request.QueueId,
            CampaignId = request.CampaignId,
            CampaignEntryId = request.EntryId,
            Greeting = request.Greeting,
            CreatedAt = Now,
            Outcome = "dialing",
        };
        await calls.InsertAsync(record, cancellationToken);
        var connection = await control.CreateCallAsync(new CreateCallRequest(target, callbacks.For(callId))
        {
            CallerId = PhoneOf(record.Line),
            OperationContext = "dial",
        }, cancellationToken);
        await UpdateAsync(callId, current => Task.FromResult<CallRecord?>(current with { CallConnectionId = current.CallConnectionId ?? connection.CallConnectionId }), cancellationToken);
        VoiceMetrics.Record("dialed", CallPurpose.Campaign);
        return connection.CallConnectionId;
    }

    // ---------------------------------------------------------------- provider events

    /// <summary>Applies one provider event to the call (idempotent by event id; late media results are ignored).</summary>
    public Task<CallRecord?> ApplyEventAsync(string callId, CallEvent callEvent, CancellationToken cancellationToken = default) =>
        UpdateAsync(callId, call => ApplyAsync(call, callEvent, cancellationToken), cancellationToken);

    private async Task<CallRecord?> ApplyAsync(CallRecord call, CallEvent e, CancellationToken ct)
    {
        if (call.HasSeen(e.EventId))
        {
            return null;
        }
        call = call.Seen(e.EventId) with
        {
            CallConnectionId = call.CallConnectionId ?? e.CallConnectionId,
            ServerCallId = call.ServerCallId ?? e.ServerCallId,
            CorrelationId = call.CorrelationId ?? e.CorrelationId,
        };
        if (call.Stage == CallStage.Ended)
        {
            return call; // the call is over; anything else about it is late news
        }
        return e switch
        {
            CallConnected => await ConnectedAsync(call, ct),
            CallDisconnected => await DisconnectedAsync(call, ct),
            CreateCallFailed failed => await DialFailedAsync(call, failed, ct),
            PlayCompleted or PlayFailed when e.OperationContext == call.PendingMedia => await PromptDoneAsync(call, ct),
            RecognizeCompleted done when e.OperationContext == call.PendingMedia => await RecognizedAsync(call, done, ct),
            RecognizeFailed failed when e.OperationContext == call.PendingMedia => await NotRecognizedAsync(call, failed, ct),
            AddParticipantSucceeded joined => await JoinedAsync(call, joined, ct),
            AddParticipantFailed notJoined => await NotJoinedAsync(call, notJoined, ct),
            ParticipantsUpdated update => await ParticipantsAsync(call, update, ct),
            CallTransferAccepted => call with { Stage = CallStage.Ended, EndedAt = Now, Outcome = "transferred" },
            CallTransferFailed => await SayGoodbyeAsync(call, "Sorry, we could not transfer your call. Please call again later. Goodbye.", ct),
            RecordingStateChanged recording => call with { RecordingId = call.RecordingId ?? recording.RecordingId },
            _ => call, // late media results, cancellations, events we do not act on
        };
    }

    private async Task<CallRecord> ConnectedAsync(CallRecord call, CancellationToken ct)
    {
        switch (call.Stage)
        {
            case CallStage.Answering:
            {
                var flowId = settings.FlowsByNumber.TryGetValue(Phone(call.Line) ?? "", out var byNumber) ? byNumber : settings.DefaultFlowId;
                var step = Engine().Start(flowId, Now);
                return await RunIvrAsync(call with { Stage = CallStage.Ivr, ConnectedAt = Now, Outcome = $"in IVR flow {flowId}" }, step, ct);
            }
            case CallStage.Dialing when call.Purpose == CallPurpose.Callback:
            {
                call = call with { ConnectedAt = Now, Outcome = "calling back: connecting the agent" };
                call = await PlayAsync(call, new IvrPrompt($"Hello, this is {settings.CompanyName} returning your call. Connecting you to an agent now."), AfterPrompt.Nothing, ct);
                return await AddAgentAsync(call, call.AgentId!, ct);
            }
            case CallStage.Dialing when call.Purpose == CallPurpose.Campaign:
            {
                // A person presses a key; an answering machine does not. Agents only get people.
                var greeting = call.Greeting ?? $"Hello, this is {settings.CompanyName}.";
                call = call with { Stage = CallStage.Verifying, ConnectedAt = Now, Outcome = "checking a person answered" };
                return await RecognizeAsync(call, new Recognize(RecognizeKind.Dtmf, [new IvrPrompt($"{greeting} To speak with us now, press 1.")], settings.HumanCheckTimeout), ct);
            }
            default:
                return call; // a repeated connect
        }
    }

    private async Task<CallRecord> DisconnectedAsync(CallRecord call, CancellationToken ct)
    {
        var ended = call with { Stage = CallStage.Ended, EndedAt = Now, PendingMedia = null };
        switch (call.Stage)
        {
            case CallStage.Queued or CallStage.ConnectingAgent when call.ContactId is { } contactId:
            {
                var contact = await acd.Acd.GetContactAsync(contactId, ct);
                if (contact.Status is ContactStatus.Queued or ContactStatus.Offered)
                {
                    await acd.AbandonAsync(contactId, ct);
                    VoiceMetrics.Record("abandoned", call.Purpose);
                    ended = ended with { Outcome = $"caller hung up waiting in {contact.QueueId}" };
                }
                else if (contact.Status == ContactStatus.Assigned && contact.AgentId is { } agentId)
                {
                    await CompleteQuietlyAsync(agentId, contactId, ct);
                    ended = ended with { Outcome = "caller hung up while the agent was being connected" };
                }
                await ReportCampaignAsync(call, OutboundOutcome.Answered, ct);
                break;
            }
            case CallStage.Connected:
                if (call.AgentId is { } agent && call.ContactId is { } handled)
                {
                    await CompleteQuietlyAsync(agent, handled, ct);
                }
                VoiceMetrics.Record("handled", call.Purpose);
                await ReportCampaignAsync(call, OutboundOutcome.Answered, ct);
                ended = ended with { Outcome = call.AgentId is null ? "ended" : $"handled by {call.AgentId}" };
                break;
            case CallStage.CallbackWaiting:
                // The customer hung up after booking: the contact keeps its place in the queue and we call back.
                return call with { CallConnectionId = null, PendingMedia = null, Outcome = "callback booked: waiting for an agent" };
            case CallStage.Voicemail when call.RecordingId is not null:
                return await EndVoicemailAsync(call, hangUp: false, ct) with { Stage = CallStage.Ended, EndedAt = Now };
            case CallStage.Verifying:
                await ReportCampaignAsync(call, OutboundOutcome.NoAnswer, ct);
                ended = ended with { Outcome = "hung up before pressing a key" };
                break;
            case CallStage.Ivr or CallStage.Answering:
                VoiceMetrics.Record("left-in-ivr", call.Purpose);
                ended = ended with { Outcome = "caller hung up in the IVR" };
                break;
            default:
                ended = ended with { Outcome = call.Outcome is { } was && call.Stage == CallStage.Ending ? was : "ended" };
                break;
        }
        if (call.Purpose == CallPurpose.Callback)
        {
            await calls.ReleaseCallbackAsync(call.Customer, call.Id, ct);
        }
        if (conversations is not null)
        {
            await conversations.RecordCallEndedAsync(call.Id, ended.Outcome ?? "ended", call.AgentId, ct);
        }
        return ended;
    }

    private async Task<CallRecord> DialFailedAsync(CallRecord call, CreateCallFailed failed, CancellationToken ct)
    {
        if (call.Stage != CallStage.Dialing)
        {
            return call;
        }
        var ended = call with { Stage = CallStage.Ended, EndedAt = Now, Outcome = $"not answered ({failed.ResultCode}/{failed.ResultSubCode})" };
        if (call.Purpose == CallPurpose.Campaign)
        {
            // 4xx from the far end (busy, no answer, declined) is a no-answer; anything else is a failure of the call itself.
            await ReportCampaignAsync(call, failed.ResultCode is >= 400 and < 500 or 603 ? OutboundOutcome.NoAnswer : OutboundOutcome.Failed, ct);
            return ended;
        }
        // A callback nobody picked up: free the agent and try again later, a bounded number of times.
        if (call.AgentId is { } agentId && call.ContactId is { } contactId)
        {
            await CompleteQuietlyAsync(agentId, contactId, ct);
        }
        if (call.CallbackAttempts < settings.CallbackMaxAttempts)
        {
            await SendWorkAsync(new CallWork(CallWorkKind.RetryCallback, call.Id) { Sequence = call.CallbackAttempts }, ct, Now + settings.CallbackRetryDelay);
            return call with
            {
                Stage = CallStage.CallbackWaiting,
                AgentId = null,
                ContactId = null,
                CallConnectionId = null,
                Outcome = $"callback attempt {call.CallbackAttempts} not answered; trying again at {Now + settings.CallbackRetryDelay:HH:mm} UTC",
            };
        }
        await calls.ReleaseCallbackAsync(call.Customer, call.Id, ct);
        VoiceMetrics.Record("callback-given-up", call.Purpose);
        return ended with { Outcome = $"callback not answered after {call.CallbackAttempts} attempts" };
    }

    private async Task<CallRecord> PromptDoneAsync(CallRecord call, CancellationToken ct)
    {
        var after = call.AfterPrompt;
        call = call with { PendingMedia = null, AfterPrompt = AfterPrompt.Nothing };
        switch (after)
        {
            case AfterPrompt.HangUp:
                await control.HangUpAsync(call.CallConnectionId!, forEveryone: true, ct);
                return call;
            case AfterPrompt.ResumeHold when call.Stage == CallStage.Queued:
                return await HoldAsync(call, ct);
            case AfterPrompt.StartRecording when call.Stage == CallStage.Voicemail:
            {
                var recording = await control.StartRecordingAsync(new StartRecordingRequest(call.CallConnectionId!), ct);
                await SendWorkAsync(new CallWork(CallWorkKind.VoicemailTimeUp, call.Id), ct, Now + TimeSpan.FromSeconds(call.VoicemailSeconds));
                return call with { RecordingId = recording.RecordingId };
            }
        }
        return call.Stage == CallStage.Ivr ? await FeedIvrAsync(call, new IvrInputs.PlayCompleted(Now), ct) : call;
    }

    private async Task<CallRecord> RecognizedAsync(CallRecord call, RecognizeCompleted done, CancellationToken ct)
    {
        call = call with { PendingMedia = null };
        switch (call.Stage)
        {
            case CallStage.Ivr:
            {
                IvrInput input = done.Tones is { Length: > 0 } tones ? new DigitsReceived(tones, Now)
                    : done.ChoiceLabel is { Length: 1 } key && IvrKeys.IsKey(key[0]) ? new DigitsReceived(key, Now)
                    : new SpeechRecognized(done.ChoiceLabel ?? done.RecognizedPhrase ?? done.Speech ?? "", Now);
                return await FeedIvrAsync(call, input, ct);
            }
            case CallStage.Verifying:
                await ReportCampaignAsync(call, OutboundOutcome.Answered, ct);
                return await QueueAsync(call, call.QueueId!, null, ct);
            case CallStage.Queued when done.Tones?.StartsWith('1') == true:
                return await BookCallbackAsync(call, ct);
            case CallStage.Queued:
                return await HoldAsync(call, ct);
            default:
                return call;
        }
    }

    private async Task<CallRecord> NotRecognizedAsync(CallRecord call, RecognizeFailed failed, CancellationToken ct)
    {
        call = call with { PendingMedia = null };
        switch (call.Stage)
        {
            case CallStage.Ivr:
                var reason = failed.Reason == RecognizeFailureReason.Timeout ? RecognizeFailure.Timeout : RecognizeFailure.NoMatch;
                return await FeedIvrAsync(call, new IvrInputs.RecognizeFailed(reason, Now), ct);
            case CallStage.Verifying:
                // Nobody pressed: an answering machine. Leave a short message and try again per the campaign's policy.
                await ReportCampaignAsync(call, OutboundOutcome.Voicemail, ct);
                return await SayGoodbyeAsync(call with { Outcome = "voicemail" }, $"Sorry we missed you. {settings.CompanyName} will call again.", ct);
            case CallStage.Queued:
                return await HoldAsync(call, ct); // no callback wanted: back to the music
            default:
                return call;
        }
    }

    private async Task<CallRecord> JoinedAsync(CallRecord call, AddParticipantSucceeded joined, CancellationToken ct)
    {
        if (joined.OperationContext is { } context && context.StartsWith(AgentContextPrefix, StringComparison.Ordinal)
            && call.Stage == CallStage.ConnectingAgent && context[AgentContextPrefix.Length..] == call.AgentId)
        {
            if (call.PendingMedia is not null)
            {
                await control.CancelAllMediaOperationsAsync(call.CallConnectionId!, ct); // the hold music stops when the agent speaks
            }
            VoiceMetrics.Record("connected", call.Purpose);
            return call with { Stage = CallStage.Connected, AgentAddress = joined.Participant, PendingMedia = null, Outcome = $"talking to {call.AgentId}" };
        }
        if (joined.OperationContext?.StartsWith(GuestContextPrefix, StringComparison.Ordinal) == true && joined.Participant is { } guest
            && !call.Guests.Any(g => CallAddresses.SameParty(g, guest)))
        {
            return call with { Guests = [.. call.Guests, guest] };
        }
        return call;
    }

    private async Task<CallRecord> NotJoinedAsync(CallRecord call, AddParticipantFailed notJoined, CancellationToken ct)
    {
        if (notJoined.OperationContext is not { } context || !context.StartsWith(AgentContextPrefix, StringComparison.Ordinal)
            || call.Stage != CallStage.ConnectingAgent || context[AgentContextPrefix.Length..] != call.AgentId)
        {
            return call;
        }
        // The agent accepted but their phone or client did not answer: the call goes back to the head of its queue.
        if (call.ContactId is { } contactId)
        {
            await CompleteQuietlyAsync(call.AgentId!, contactId, ct);
        }
        if (call.QueueId is null)
        {
            return await SayGoodbyeAsync(call, "Sorry, nobody is available to take your call. Please call again later. Goodbye.", ct);
        }
        return await RequeueAsync(call with { AgentId = null }, call.QueueId, priority: null, ct);
    }

    private async Task<CallRecord> ParticipantsAsync(CallRecord call, ParticipantsUpdated update, CancellationToken ct)
    {
        var customerThere = update.Participants.Any(p => CallAddresses.SameParty(p, call.Customer));
        var agentThere = call.AgentAddress is { } agent && update.Participants.Any(p => CallAddresses.SameParty(p, agent));
        var guests = call.Guests.Where(g => update.Participants.Any(p => CallAddresses.SameParty(p, g))).ToList();
        call = call with { Guests = guests };
        if (call.Stage != CallStage.Connected)
        {
            return call;
        }
        if (!customerThere || (!agentThere && guests.Count == 0))
        {
            // The customer left, or the agent left with nobody to take over: the conversation is over for everyone.
            await control.HangUpAsync(call.CallConnectionId!, forEveryone: true, ct);
        }
        return call;
    }

    // ---------------------------------------------------------------- IVR

    private IvrEngine Engine() => new(flows.Current, queues);

    private async Task<CallRecord> FeedIvrAsync(CallRecord call, IvrInput input, CancellationToken ct)
    {
        var session = call.IvrSession is { } json ? IvrSession.FromJson(json) : null;
        if (session is null)
        {
            return call;
        }
        return await RunIvrAsync(call, Engine().Handle(session, input), ct);
    }

    private async Task<CallRecord> RunIvrAsync(CallRecord call, IvrStep step, CancellationToken ct)
    {
        call = call with { IvrSession = step.Session.ToJson() };
        foreach (var action in step.Actions)
        {
            call = action switch
            {
                Play play => await PlayAsync(call, play.Prompt, AfterPrompt.Nothing, ct),
                Recognize recognize => await RecognizeAsync(call, recognize, ct),
                QueueCall queue => await QueueAsync(call, queue.QueueId, queue.Contact, ct),
                RequestCallback callback => await RequestCallbackAsync(call, callback, ct),
                Transfer transfer => await TransferFromIvrAsync(call, transfer, ct),
                RecordVoicemail voicemail => await StartVoicemailAsync(call, voicemail, ct),
                HangUp hangUp => call.Stage == CallStage.CallbackWaiting
                    ? await PlayAsync(call, hangUp.Goodbye ?? new IvrPrompt("Goodbye."), AfterPrompt.HangUp, ct)
                    : hangUp.Goodbye is { } goodbye ? await SayGoodbyeAsync(call, goodbye.Text ?? "Goodbye.", ct, goodbye) : await HangUpNowAsync(call, ct),
                _ => call,
            };
        }
        if (step.Session.Ended && call.Stage == CallStage.Ivr && step.Session.Outcome == "caller hung up")
        {
            call = call with { Outcome = "caller hung up in the IVR" };
        }
        return call;
    }

    private async Task<CallRecord> TransferFromIvrAsync(CallRecord call, Transfer transfer, CancellationToken ct)
    {
        if (transfer.Kind == TransferKind.PhoneNumber && CallAddresses.TryParse(transfer.Target, out var number))
        {
            await control.TransferAsync(call.CallConnectionId!, new TransferRequest(number) { OperationContext = "transfer" }, ct);
            return call with { Stage = CallStage.Ending, Outcome = $"transferred to {transfer.Target}" };
        }
        // Straight to a named agent (an on-call engineer): ring them; if they do not answer the caller hears an apology.
        var agent = await TryGetAgentAsync(transfer.Target, ct);
        if (agent is null || !CallAddresses.TryParse(agent.CallAddress(), out _))
        {
            return await SayGoodbyeAsync(call, "Sorry, we cannot reach that person right now. Please call again later. Goodbye.", ct);
        }
        return await AddAgentAsync(call with { Stage = CallStage.ConnectingAgent, AgentId = agent.Id, Outcome = $"ringing {agent.Id}" }, agent.Id, ct);
    }

    // ---------------------------------------------------------------- queueing, callbacks, agents

    private async Task<CallRecord> QueueAsync(CallRecord call, string queueId, ContactAnnotations? annotations, CancellationToken ct)
    {
        var contactId = call.ContactCount == 0 ? call.Id : $"{call.Id}~{call.ContactCount + 1}";
        await acd.EnqueueAsync(new NewContact(contactId, Channel.Voice, queueId)
        {
            Priority = annotations?.Priority,
            RequiredSkills = annotations is { Skills.Count: > 0 } a ? Requirements(queueId, a) : null,
            CustomerId = call.Customer,
            PreferredAgentId = call.PreferredAgentId,
        }, ct);
        VoiceMetrics.Record("queued", call.Purpose);
        call = call with
        {
            Stage = CallStage.Queued,
            QueueId = queueId,
            ContactId = contactId,
            ContactCount = call.ContactCount + 1,
            Outcome = $"queued to {queueId}",
        };
        call = await HoldAsync(call, ct);
        return await ScheduleAnnouncementAsync(call, ct);
    }

    private IReadOnlyList<SkillRequirement> Requirements(string queueId, ContactAnnotations annotations)
    {
        var required = (queues.Find(queueId)?.RequiredSkills ?? []).ToDictionary(s => s.Skill, s => s.MinimumProficiency);
        foreach (var (skill, minimum) in annotations.Skills)
        {
            required[skill] = minimum;
        }
        return required.Select(r => new SkillRequirement(r.Key, r.Value)).ToList();
    }

    /// <summary>A new ACD contact for the same call (after an agent did not answer, or a transfer): the caller waits again.</summary>
    private async Task<CallRecord> RequeueAsync(CallRecord call, string queueId, int? priority, CancellationToken ct)
    {
        var contactId = $"{call.Id}~{call.ContactCount + 1}";
        await acd.EnqueueAsync(new NewContact(contactId, Channel.Voice, queueId) { Priority = priority, CustomerId = call.Customer }, ct);
        call = call with { Stage = call.Stage is CallStage.Dialing or CallStage.CallbackWaiting ? CallStage.CallbackWaiting : CallStage.Queued, QueueId = queueId, ContactId = contactId, ContactCount = call.ContactCount + 1, AgentAddress = null };
        if (call.Stage == CallStage.CallbackWaiting || call.CallConnectionId is null)
        {
            return call;
        }
        call = await HoldAsync(call with { Outcome = $"queued to {queueId}" }, ct);
        return await ScheduleAnnouncementAsync(call, ct);
    }

    private async Task<CallRecord> HoldAsync(CallRecord call, CancellationToken ct)
    {
        var source = settings.HoldAudio is { } audio ? (PlaySource)new PlaySource.AudioFile(audio) : new PlaySource.TextToSpeech(settings.HoldText);
        var context = NextMedia(ref call);
        await control.PlayAsync(call.CallConnectionId!, new PlayRequest(source) { Loop = true, OperationContext = context }, ct);
        return call with { AfterPrompt = AfterPrompt.Nothing };
    }

    private async Task<CallRecord> ScheduleAnnouncementAsync(CallRecord call, CancellationToken ct)
    {
        if (settings.AnnouncementInterval <= TimeSpan.Zero)
        {
            return call;
        }
        var sequence = call.AnnouncementSequence + 1;
        await SendWorkAsync(new CallWork(CallWorkKind.Announce, call.Id) { Sequence = sequence }, ct, Now + settings.AnnouncementInterval);
        return call with { AnnouncementSequence = sequence };
    }

    private async Task<CallRecord?> AnnounceAsync(CallRecord call, int sequence, CancellationToken ct)
    {
        if (call.Stage != CallStage.Queued || sequence != call.AnnouncementSequence || call.ContactId is null)
        {
            return null; // stale: the caller moved on, or a newer announcement is scheduled
        }
        var position = await acd.Acd.GetPositionAsync(call.ContactId, ct);
        if (position.Status != ContactStatus.Queued)
        {
            return await ScheduleAnnouncementAsync(call, ct);
        }
        var contact = await acd.Acd.GetContactAsync(call.ContactId, ct);
        var text = new StringBuilder(position.Position == 1 ? "You are next in line." : $"You are number {position.Position} in line.");
        if (position.EstimatedWait is { } wait)
        {
            var minutes = Math.Max(1, (int)Math.Round(wait.TotalMinutes));
            text.Append(minutes == 1 ? " Your estimated wait is about one minute." : $" Your estimated wait is about {minutes} minutes.");
        }
        await control.CancelAllMediaOperationsAsync(call.CallConnectionId!, ct);
        if (contact.CallbackOffered || settings.OfferCallbackWhileWaiting)
        {
            text.Append(" To keep your place and have us call you back instead, press 1. Or stay on the line.");
            call = await RecognizeAsync(call, new Recognize(RecognizeKind.Dtmf, [new IvrPrompt(text.ToString())], TimeSpan.FromSeconds(5)), ct);
        }
        else
        {
            call = await PlayAsync(call, new IvrPrompt(text.ToString()), AfterPrompt.ResumeHold, ct);
        }
        return await ScheduleAnnouncementAsync(call, ct);
    }

    /// <summary>The IVR's callback offer was accepted: queue the contact now and call back when an agent takes it.</summary>
    private async Task<CallRecord> RequestCallbackAsync(CallRecord call, RequestCallback request, CancellationToken ct)
    {
        if (await calls.TryBookCallbackAsync(call.Customer, call.Id, ct) is { } existing)
        {
            // One open callback per customer: the earlier booking keeps its place; this call just ends.
            VoiceMetrics.Record("callback-duplicate", call.Purpose);
            return call with { Stage = CallStage.Ending, Outcome = $"callback already booked on {existing}" };
        }
        var contactId = call.ContactCount == 0 ? call.Id : $"{call.Id}~{call.ContactCount + 1}";
        await acd.EnqueueAsync(new NewContact(contactId, Channel.Voice, request.QueueId)
        {
            Priority = request.Contact.Priority,
            RequiredSkills = request.Contact.Skills.Count > 0 ? Requirements(request.QueueId, request.Contact) : null,
            CustomerId = call.Customer,
        }, ct);
        VoiceMetrics.Record("callback-booked", call.Purpose);
        return call with
        {
            Stage = CallStage.CallbackWaiting,
            Purpose = CallPurpose.Callback,
            QueueId = request.QueueId,
            ContactId = contactId,
            ContactCount = call.ContactCount + 1,
            Outcome = "callback booked",
        };
    }

    /// <summary>A caller waiting in the queue chose a callback: they keep their place (the same ACD contact) and hang up.</summary>
    private async Task<CallRecord> BookCallbackAsync(CallRecord call, CancellationToken ct)
    {
        if (await calls.TryBookCallbackAsync(call.Customer, call.Id, ct) is not null)
        {
            return await PlayAsync(call, new IvrPrompt("You already have a callback booked with us. Please stay on the line."), AfterPrompt.ResumeHold, ct);
        }
        VoiceMetrics.Record("callback-booked", call.Purpose);
        call = call with { Stage = CallStage.CallbackWaiting, Purpose = CallPurpose.Callback, Outcome = "callback booked" };
        return await PlayAsync(call, new IvrPrompt("Thank you. You keep your place in line and we will call you back on this number. Goodbye."), AfterPrompt.HangUp, ct);
    }

    /// <summary>An agent took the call's contact: ring the agent into the call, or first dial the customer for a callback.</summary>
    private async Task<CallRecord?> ConnectAgentAsync(string callId, string contactId, string agentId, CancellationToken ct)
    {
        var result = await UpdateAsync(callId, async call =>
        {
            if (call.ContactId != contactId)
            {
                return null;
            }
            switch (call.Stage)
            {
                case CallStage.Queued:
                    await control.CancelAllMediaOperationsAsync(call.CallConnectionId!, ct);
                    call = call with { Stage = CallStage.ConnectingAgent, AgentId = agentId, PendingMedia = null, Outcome = $"ringing {agentId}" };
                    call = await PlayAsync(call, new IvrPrompt("Connecting you to an agent now."), AfterPrompt.Nothing, ct);
                    return await AddAgentAsync(call, agentId, ct);
                case CallStage.CallbackWaiting:
                {
                    var target = CallAddresses.FromRawId(call.Customer);
                    var connection = await control.CreateCallAsync(new CreateCallRequest(target, callbacks.For(call.Id))
                    {
                        CallerId = OurNumber(call),
                        OperationContext = "callback",
                    }, ct);
                    VoiceMetrics.Record("callback-dialed", CallPurpose.Callback);
                    return call with
                    {
                        Stage = CallStage.Dialing,
                        AgentId = agentId,
                        CallConnectionId = connection.CallConnectionId,
                        CallbackAttempts = call.CallbackAttempts + 1,
                        Outcome = $"calling back for {agentId}",
                    };
                }
                default:
                    return null;
            }
        }, ct);
        if (result is not null && (result.ContactId != contactId || result.Stage == CallStage.Ended))
        {
            // The customer is gone (hung up before the agent came): release the agent at once. A contact without a call
            // record is not a call this service handles (a voice task created over the API): it is left alone.
            var contact = await acd.Acd.GetContactAsync(contactId, ct);
            if (contact.Status == ContactStatus.Assigned && contact.AgentId == agentId && result.AgentId != agentId)
            {
                await CompleteQuietlyAsync(agentId, contactId, ct);
            }
        }
        return result;
    }

    private async Task<CallRecord> AddAgentAsync(CallRecord call, string agentId, CancellationToken ct)
    {
        var agent = await TryGetAgentAsync(agentId, ct);
        if (agent is null || !CallAddresses.TryParse(agent.CallAddress(), out var target))
        {
            // Nowhere to ring: treat it as an agent who did not answer.
            return await NotJoinedAsync(call with { Stage = CallStage.ConnectingAgent, AgentId = agentId },
                new AddParticipantFailed("no-address", call.CallConnectionId ?? "", Now, null) { OperationContext = AgentContextPrefix + agentId }, ct);
        }
        await InviteAsync(call, target, AgentContextPrefix + agentId, ct);
        return call with { Stage = CallStage.ConnectingAgent, AgentId = agentId };
    }

    // ---------------------------------------------------------------- agent commands

    private async Task<CallRecord?> CommandAsync(CallRecord call, CallCommand command, CancellationToken ct)
    {
        if (call.Stage is CallStage.Ended || call.AgentId != command.AgentId)
        {
            return null; // the call moved on since the agent asked
        }
        switch (command.Action)
        {
            case "hangup":
                await control.HangUpAsync(call.CallConnectionId!, forEveryone: true, ct);
                return call with { Outcome = $"{command.AgentId} ended the call" };
            case "add":
            {
                var target = await TargetOfAsync(command, ct);
                await InviteAsync(call, target, GuestContextPrefix + CallAddresses.ToRawId(target), ct);
                return call;
            }
            case "leave" when call.Guests.Count > 0:
                // Warm transfer: the agent introduced a colleague (added earlier) and now leaves them with the customer.
                await LeaveAsync(call, ct);
                return call with { AgentId = null, AgentAddress = null, Outcome = $"{command.AgentId} handed over to {string.Join(", ", call.Guests)}" };
            case "leave":
                await control.HangUpAsync(call.CallConnectionId!, forEveryone: true, ct);
                return call;
            case "transfer" when command.QueueId is { } queueId:
            {
                // Cold transfer to a queue: the agent drops, the caller waits in the new queue and keeps the call.
                await LeaveAsync(call, ct);
                var moved = call with { AgentId = null, Stage = CallStage.Queued, Outcome = $"transferred by {command.AgentId} to {queueId}" };
                return await RequeueAsync(moved, queueId, priority: null, ct);
            }
            case "transfer":
            {
                // Cold transfer to a person: ring them in, then the agent leaves.
                var target = await TargetOfAsync(command, ct);
                await InviteAsync(call, target, GuestContextPrefix + CallAddresses.ToRawId(target), ct);
                await LeaveAsync(call, ct);
                return call with { AgentId = null, AgentAddress = null, Guests = [.. call.Guests, CallAddresses.ToRawId(target)], Outcome = $"transferred by {command.AgentId}" };
            }
            default:
                return null;
        }
    }

    /// <summary>Rings someone into the call; a phone sees our number (carriers require a caller id).</summary>
    private Task<AddParticipantResult> InviteAsync(CallRecord call, CallTarget target, string operationContext, CancellationToken ct) =>
        control.AddParticipantAsync(call.CallConnectionId!, new AddParticipantRequest(target)
        {
            CallerId = target is CallTarget.PhoneNumber ? OurNumber(call) : null,
            InvitationTimeout = settings.AgentRingTimeout,
            OperationContext = operationContext,
        }, ct);

    /// <summary>The number customers and phones see when we call: Voice:CallerId, else the number the customer called.</summary>
    private CallTarget.PhoneNumber? OurNumber(CallRecord call) => PhoneOf(settings.CallerId is { } ours ? Raw(ours) : call.Line);

    private async Task LeaveAsync(CallRecord call, CancellationToken ct)
    {
        if (call.AgentAddress is { } address && CallAddresses.TryParse(address, out var agentLeg))
        {
            await control.RemoveParticipantAsync(call.CallConnectionId!, agentLeg, "leave", ct);
        }
        if (call.AgentId is { } agentId && call.ContactId is { } contactId)
        {
            await CompleteQuietlyAsync(agentId, contactId, ct);
        }
    }

    private async Task<CallTarget> TargetOfAsync(CallCommand command, CancellationToken ct)
    {
        if (command.PhoneNumber is { } number)
        {
            return CallAddresses.Parse(number);
        }
        var agent = await acd.Acd.GetAgentAsync(command.TargetAgentId!, ct);
        return CallAddresses.Parse(agent.CallAddress() ?? "");
    }

    // ---------------------------------------------------------------- voicemail, goodbye

    private async Task<CallRecord> StartVoicemailAsync(CallRecord call, RecordVoicemail voicemail, CancellationToken ct)
    {
        call = call with { Stage = CallStage.Voicemail, QueueId = voicemail.QueueId, VoicemailSeconds = voicemail.MaxSeconds, Outcome = $"voicemail for {voicemail.QueueId}" };
        return await PlayAsync(call, voicemail.Prompt, AfterPrompt.StartRecording, ct);
    }

    /// <summary>Stops the recording and turns the message into an ACD task (handled like an email) in the flow's queue.</summary>
    private async Task<CallRecord> EndVoicemailAsync(CallRecord call, bool hangUp, CancellationToken ct)
    {
        await control.StopRecordingAsync(call.RecordingId!, ct);
        await acd.EnqueueAsync(new NewContact($"{call.Id}~voicemail", Channel.Email, call.QueueId!) { CustomerId = call.Customer }, ct);
        VoiceMetrics.Record("voicemail", call.Purpose);
        if (hangUp && call.CallConnectionId is { } connection)
        {
            await control.HangUpAsync(connection, forEveryone: true, ct);
        }
        return call with { Stage = CallStage.Ending, Outcome = $"voicemail left for {call.QueueId}" };
    }

    private Task<CallRecord> SayGoodbyeAsync(CallRecord call, string text, CancellationToken ct, IvrPrompt? prompt = null) =>
        PlayAsync(call with { Stage = CallStage.Ending }, prompt ?? new IvrPrompt(text), AfterPrompt.HangUp, ct);

    private async Task<CallRecord> HangUpNowAsync(CallRecord call, CancellationToken ct)
    {
        await control.HangUpAsync(call.CallConnectionId!, forEveryone: true, ct);
        return call with { Stage = CallStage.Ending };
    }

    // ---------------------------------------------------------------- media

    private async Task<CallRecord> PlayAsync(CallRecord call, IvrPrompt prompt, AfterPrompt after, CancellationToken ct)
    {
        var context = NextMedia(ref call);
        await control.PlayAsync(call.CallConnectionId!, new PlayRequest(SourceOf(prompt)) { OperationContext = context }, ct);
        return call with { AfterPrompt = after };
    }

    private async Task<CallRecord> RecognizeAsync(CallRecord call, Recognize recognize, CancellationToken ct)
    {
        var context = NextMedia(ref call);
        RecognizeInput input = recognize.Kind switch
        {
            RecognizeKind.Dtmf => new RecognizeInput.Dtmf(recognize.MaxDigits)
            {
                StopTones = recognize.Terminator is { } terminator && DtmfTones.TryFromChar(terminator, out var stop) ? [stop] : [],
            },
            _ => new RecognizeInput.Choices(ChoicesFor(call, recognize)),
        };
        var request = new RecognizeRequest(CallAddresses.FromRawId(call.Customer), input)
        {
            Prompt = SourceOf(Combine(recognize.Prompts)),
            InitialSilenceTimeout = recognize.Timeout,
            OperationContext = context,
        };
        await control.RecognizeAsync(call.CallConnectionId!, request, ct);
        return call with { AfterPrompt = AfterPrompt.Nothing };
    }

    /// <summary>A menu's options as recognizer choices: the digit is the label (and the key), the phrases are what may be said.</summary>
    private IReadOnlyList<RecognizeChoice> ChoicesFor(CallRecord call, Recognize recognize)
    {
        var session = call.IvrSession is { } json ? IvrSession.FromJson(json) : null;
        if (session is not null && flows.Current.Find(session.FlowId)?.Nodes.GetValueOrDefault(session.NodeId) is MenuNode menu)
        {
            return menu.Options.Select(o => new RecognizeChoice(
                o.Digit ?? o.Phrases[0],
                o.Phrases.Count > 0 ? o.Phrases : [o.Digit!],
                o.Digit is { Length: 1 } digit && DtmfTones.TryFromChar(digit[0], out var tone) ? tone : null)).ToList();
        }
        return recognize.Choices.Select(phrase => new RecognizeChoice(phrase, [phrase])).ToList();
    }

    private static IvrPrompt Combine(IReadOnlyList<IvrPrompt> prompts) =>
        prompts.Count == 1 || prompts.Any(p => p.Text is null)
            ? prompts[^1]
            : prompts[^1] with { Text = string.Join(" ", prompts.Select(p => p.Text)) };

    private static PlaySource SourceOf(IvrPrompt prompt) => prompt.AudioUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var audio)
        ? new PlaySource.AudioFile(audio)
        : new PlaySource.TextToSpeech(prompt.Text ?? "") { VoiceName = prompt.Voice, Language = prompt.Language };

    private static string NextMedia(ref CallRecord call)
    {
        var sequence = call.MediaSequence + 1;
        var context = $"m{sequence}";
        call = call with { MediaSequence = sequence, PendingMedia = context };
        return context;
    }

    // ---------------------------------------------------------------- plumbing

    private async Task<CallRecord?> UpdateAsync(string callId, Func<CallRecord, Task<CallRecord?>> step, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await calls.GetAsync(callId, ct);
            if (stored is null)
            {
                return null; // not a call we know (its answer never stored): nothing to do
            }
            var next = await step(stored.Call);
            if (next is null || next == stored.Call)
            {
                return stored.Call;
            }
            try
            {
                return (await calls.ReplaceAsync(next, stored.ETag, ct)).Call;
            }
            catch (StatePreconditionFailedException) when (attempt < 4)
            {
                // Changed meanwhile (the answer's bookkeeping racing the first event): apply the step to the fresh state.
            }
        }
    }

    private async Task CompleteQuietlyAsync(string agentId, string contactId, CancellationToken ct)
    {
        try
        {
            await acd.CompleteAsync(agentId, contactId, ct);
        }
        catch (StaleActionException)
        {
            // Completed already (the agent clicked done, or a repeated event): nothing left to do.
        }
    }

    private async Task<AgentState?> TryGetAgentAsync(string agentId, CancellationToken ct)
    {
        try
        {
            return await acd.Acd.GetAgentAsync(agentId, ct);
        }
        catch (UnknownAgentException)
        {
            return null;
        }
    }

    private async Task ReportCampaignAsync(CallRecord call, OutboundOutcome outcome, CancellationToken ct)
    {
        if (call.Purpose == CallPurpose.Campaign && call.CampaignId is { } campaign && call.CampaignEntryId is { } entry && outcomes is not null)
        {
            await outcomes.RecordOutcomeAsync(campaign, entry, call.CallConnectionId ?? call.Id, outcome, ct);
        }
    }

    private Task SendWorkAsync(CallWork work, CancellationToken ct, DateTimeOffset? at = null) =>
        sender.SendAsync(QueueNames.CallWork, new OutgoingMessage(work.ToJson())
        {
            SessionId = work.CallId,
            ScheduledFor = at,
            MessageId = work.Kind switch
            {
                CallWorkKind.Announce => $"announce|{work.CallId}|{work.Sequence}",
                CallWorkKind.VoicemailTimeUp => $"voicemail|{work.CallId}",
                CallWorkKind.RetryCallback => $"retry|{work.CallId}|{work.Sequence}",
                _ => null,
            },
        }, ct);

    private static string Raw(string address) => CallAddresses.TryParse(address, out var target) ? CallAddresses.ToRawId(target) : address;

    private static string? Phone(string? raw) => raw is not null && CallAddresses.TryParse(raw, out var t) && t is CallTarget.PhoneNumber p ? p.Value : null;

    private static CallTarget.PhoneNumber? PhoneOf(string? raw) => Phone(raw) is { } number ? new CallTarget.PhoneNumber(number) : null;
}

internal static class IvrKeys
{
    public static bool IsKey(char c) => c is (>= '0' and <= '9') or '*' or '#';
}

/// <summary>Sends "connect the agent" into the call's session when an agent accepts a voice contact.</summary>
public sealed class VoiceAssignmentListener(IMessageSender sender) : IContactAssignmentListener
{
    public Task ContactAssignedAsync(ContactState contact, CancellationToken cancellationToken)
    {
        if (contact.Channel != Channel.Voice || contact.AgentId is null || contact.Id.EndsWith("~voicemail", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var callId = CallRecord.CallIdOfContact(contact.Id);
        var work = new CallWork(CallWorkKind.AgentAssigned, callId) { ContactId = contact.Id, AgentId = contact.AgentId };
        return sender.SendAsync(QueueNames.CallWork, new OutgoingMessage(work.ToJson())
        {
            SessionId = callId,
            MessageId = $"assigned|{contact.Id}|{contact.AgentId}",
        }, cancellationToken);
    }
}

/// <summary>Campaign calls go out through the voice channel.</summary>
public sealed class VoiceOutboundCallPlacer(VoiceService voice) : IOutboundCallPlacer
{
    public Task<string> PlaceAsync(OutboundCallRequest request, CancellationToken cancellationToken = default) => voice.PlaceCampaignCallAsync(request, cancellationToken);
}

public sealed class UnknownCallException(string callId) : Exception($"There is no call '{callId}'.")
{
    public string CallId { get; } = callId;
}

/// <summary>An agent's command that does not fit the call (not theirs, ended, bad target).</summary>
public sealed class CallCommandException(string message) : Exception(message);
