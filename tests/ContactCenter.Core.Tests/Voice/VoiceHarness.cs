using ContactCenter.Core.Ivr;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Core.Voice;
using PlayCompleted = ContactCenter.Core.Voice.PlayCompleted;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests.Voice;

/// <summary>
/// The voice channel with the real ACD on an in-memory store and virtual time, a recording telephony provider, and a
/// little broker that delivers the ACD's and the calls' messages (scheduled ones when their time comes).
/// </summary>
internal sealed class VoiceHarness : IMessageSender, IOutboundOutcomeSink
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public const string Flows = """
    { "version": 1, "flows": [ { "id": "main", "entry": "menu", "nodes": {
      "menu": { "type": "menu", "prompt": "Press 1 for sales, 2 for a callback.",
                "options": [ { "digit": "1", "phrases": ["sales"], "next": "sales" }, { "digit": "2", "phrases": ["call me"], "next": "cb" } ],
                "timeoutSeconds": 5, "maxRetries": 1, "fallback": "sales" },
      "sales": { "type": "queue", "queue": "sales", "priority": 3 },
      "cb": { "type": "offerCallback", "prompt": "Press 1 for a callback.", "acceptDigit": "1", "queue": "sales", "timeoutSeconds": 5, "accepted": "bye", "declined": "sales" },
      "bye": { "type": "hangup", "text": "We will call you back. Goodbye." }
    } },
    { "id": "closed", "entry": "choose", "nodes": {
      "choose": { "type": "menu", "prompt": "Press 1 to leave a message, 2 for the duty desk.",
                  "options": [ { "digit": "1", "next": "vm" }, { "digit": "2", "next": "desk" } ], "maxRetries": 0, "fallback": "vm" },
      "vm": { "type": "voicemail", "prompt": "Leave a message after the tone.", "maxSeconds": 60, "queue": "care" },
      "desk": { "type": "transfer", "to": "+442079460000" }
    } } ] }
    """;

    private readonly List<(string Queue, OutgoingMessage Message)> _messages = [];
    private int _eventCounter;

    public VoiceHarness(VoiceSettings? settings = null)
    {
        Clock = new VirtualTimeProvider(T0);
        Store = new InMemoryStateStore(Clock);
        var queues = new StaticQueueCatalog([new QueueDefinition("sales") { OfferTimeout = TimeSpan.FromSeconds(20), WrapUp = TimeSpan.FromSeconds(15) }, new QueueDefinition("care")]);
        Queues = queues;
        Acd = new AcdDispatcher(new AcdService(Store, queues, Clock), queues, this, Clock, [new VoiceAssignmentListener(this)]);
        Conversations = new Core.Conversations.ConversationService(new Core.Conversations.ConversationRepository(Store), Acd, this, new Core.Conversations.MessagingSettings { SmsQueueId = "care" }, Clock, new ContactCenter.Core.Channels.StateStoreEmailThreadIndex(Store));
        Voice = new VoiceService(new CallRepository(Store), Provider, new NoReader(), new TestCallbacks(), Acd,
            new IvrFlowCatalog(IvrFlows.Parse(Flows, ["sales", "care"])), queues, this, settings ?? new VoiceSettings(), Clock, this, Conversations);
    }

    public VirtualTimeProvider Clock { get; }
    public InMemoryStateStore Store { get; }
    public IQueueCatalog Queues { get; }
    public AcdDispatcher Acd { get; }
    public Core.Conversations.ConversationService Conversations { get; }
    public VoiceService Voice { get; }
    public RecordingCallControl Provider { get; } = new();
    public List<(string Campaign, string Entry, OutboundOutcome Outcome)> Outcomes { get; } = [];

    public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        _messages.Add((queueName, message));
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(string campaignId, string entryId, string callConnectionId, OutboundOutcome outcome, CancellationToken cancellationToken = default)
    {
        Outcomes.Add((campaignId, entryId, outcome));
        return Task.CompletedTask;
    }

    /// <summary>Delivers every message that is due, and what those send, until nothing due is left.</summary>
    public async Task PumpAsync()
    {
        while (_messages.FirstOrDefault(m => (m.Message.ScheduledFor ?? DateTimeOffset.MinValue) <= Clock.GetUtcNow()) is { Message: not null } due)
        {
            _messages.Remove(due);
            if (due.Queue == QueueNames.AcdRouting)
            {
                await Acd.HandleAsync(AcdWork.FromJson(due.Message.Body));
            }
            else if (due.Queue == QueueNames.CallWork)
            {
                await Voice.HandleAsync(CallWork.FromJson(due.Message.Body));
            }
        }
    }

    public IReadOnlyList<CallWork> PendingCallWork => _messages.Where(m => m.Queue == QueueNames.CallWork).Select(m => CallWork.FromJson(m.Message.Body)).ToList();

    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.MoveTo(Clock.GetUtcNow() + by);
        await PumpAsync();
    }

    public string NextEventId() => $"evt-{++_eventCounter}";

    /// <summary>A call offered by the provider and answered; returns our call id.</summary>
    public async Task<string> IncomingCallAsync(string from = "+14255550100", string to = "+442071234567")
    {
        var call = await Voice.AnswerAsync(new IncomingCall($"ctx-{from}-{_eventCounter++}", from, to, Clock.GetUtcNow()) { ServerCallId = $"server-{Guid.NewGuid():N}" });
        return call.Id;
    }

    public async Task<CallRecord> EventAsync(string callId, Func<string, string, DateTimeOffset, CallEvent> make)
    {
        var call = (await Voice.GetAsync(callId))!.Call;
        var record = await Voice.ApplyEventAsync(callId, make(NextEventId(), call.CallConnectionId ?? "conn", Clock.GetUtcNow()));
        await PumpAsync();
        return record!;
    }

    public async Task<CallRecord> CallAsync(string callId) => (await Voice.GetAsync(callId))!.Call;

    /// <summary>The provider reports the result of the call's current media operation.</summary>
    public async Task<CallRecord> PressAsync(string callId, string tones)
    {
        var pending = (await CallAsync(callId)).PendingMedia;
        return await EventAsync(callId, (id, conn, at) => new RecognizeCompleted(id, conn, at) { Tones = tones, OperationContext = pending });
    }

    public async Task<CallRecord> PromptPlayedAsync(string callId)
    {
        var pending = (await CallAsync(callId)).PendingMedia;
        return await EventAsync(callId, (id, conn, at) => new PlayCompleted(id, conn, at) { OperationContext = pending });
    }

    public async Task AgentAsync(string id, string? voiceAddress = null)
    {
        await Acd.Acd.UpsertAgentAsync(new AgentProfile(id, id, new Dictionary<string, int>()) { VoiceAddress = voiceAddress ?? $"8:acs:agent-{id}" });
        await Acd.SetPresenceAsync(id, Presence.Available);
        await PumpAsync();
    }

    private sealed class NoReader : ICallEventReader
    {
        public IReadOnlyList<CallEvent> Read(string payload) => throw new FormatException("not used here");

        public IncomingCall ReadIncomingCall(ContactCenter.Core.Events.InboundEvent inboundEvent) => throw new FormatException("not used here");
    }

    private sealed class TestCallbacks : ICallbackUris
    {
        public Uri For(string callId) => new($"https://contact-center.test/api/calls/events?call={callId}");
    }
}

/// <summary>A telephony provider that records what it was asked to do.</summary>
internal sealed class RecordingCallControl : ICallControl
{
    private int _connections;

    public List<(string Operation, string? Connection, object? Request)> Operations { get; } = [];

    /// <summary>Fails the next operation of this name with this exception.</summary>
    public Dictionary<string, Exception> FailNext { get; } = [];

    public IEnumerable<T> Requests<T>() => Operations.Select(o => o.Request).OfType<T>();

    public IEnumerable<string> Said => Operations.Select(o => o.Request switch
    {
        PlayRequest { Source: PlaySource.TextToSpeech tts } => tts.Text,
        RecognizeRequest { Prompt: PlaySource.TextToSpeech tts } => tts.Text,
        _ => null,
    }).OfType<string>();

    private Task Record(string operation, string? connection, object? request)
    {
        if (FailNext.Remove(operation, out var failure))
        {
            throw failure;
        }
        Operations.Add((operation, connection, request));
        return Task.CompletedTask;
    }

    public async Task<CallConnection> AnswerAsync(AnswerCallRequest request, CancellationToken cancellationToken = default)
    {
        await Record("answer", null, request);
        return new CallConnection($"conn-{++_connections}");
    }

    public Task RejectAsync(string incomingCallContext, CallRejectReason reason = CallRejectReason.None, CancellationToken cancellationToken = default) => Record("reject", null, reason);

    public Task RedirectAsync(string incomingCallContext, CallTarget target, CancellationToken cancellationToken = default) => Record("redirect", null, target);

    public async Task<CallConnection> CreateCallAsync(CreateCallRequest request, CancellationToken cancellationToken = default)
    {
        await Record("create", null, request);
        return new CallConnection($"conn-{++_connections}");
    }

    public Task PlayAsync(string callConnectionId, PlayRequest request, CancellationToken cancellationToken = default) => Record("play", callConnectionId, request);

    public Task RecognizeAsync(string callConnectionId, RecognizeRequest request, CancellationToken cancellationToken = default) => Record("recognize", callConnectionId, request);

    public Task CancelAllMediaOperationsAsync(string callConnectionId, CancellationToken cancellationToken = default) => Record("cancelMedia", callConnectionId, null);

    public Task TransferAsync(string callConnectionId, TransferRequest request, CancellationToken cancellationToken = default) => Record("transfer", callConnectionId, request);

    public async Task<AddParticipantResult> AddParticipantAsync(string callConnectionId, AddParticipantRequest request, CancellationToken cancellationToken = default)
    {
        await Record("add", callConnectionId, request);
        return new AddParticipantResult("inv-1");
    }

    public Task RemoveParticipantAsync(string callConnectionId, CallTarget participant, string? operationContext = null, CancellationToken cancellationToken = default) =>
        Record("remove", callConnectionId, participant);

    public Task HangUpAsync(string callConnectionId, bool forEveryone, CancellationToken cancellationToken = default) => Record("hangup", callConnectionId, forEveryone);

    public async Task<RecordingStarted> StartRecordingAsync(StartRecordingRequest request, CancellationToken cancellationToken = default)
    {
        await Record("record", request.CallConnectionId, request);
        return new RecordingStarted("rec-1", "active");
    }

    public Task StopRecordingAsync(string recordingId, CancellationToken cancellationToken = default) => Record("stopRecording", null, recordingId);
}
