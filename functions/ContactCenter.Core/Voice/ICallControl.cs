namespace ContactCenter.Core.Voice;

/// <summary>
/// What the contact center asks of a telephony provider, independent of which one: answer, route and end calls, play
/// and collect media, record. Operations return once the provider has accepted them; their outcome (call connected,
/// play completed, digits recognized, transfer accepted ...) arrives later as an event at the call's callback URI.
/// Implementations surface provider failures as their own exceptions (the ACS client: <c>RequestFailedException</c>).
/// </summary>
public interface ICallControl
{
    Task<CallConnection> AnswerAsync(AnswerCallRequest request, CancellationToken cancellationToken = default);

    Task RejectAsync(string incomingCallContext, CallRejectReason reason = CallRejectReason.None, CancellationToken cancellationToken = default);

    /// <summary>Send an offered call elsewhere without answering it.</summary>
    Task RedirectAsync(string incomingCallContext, CallTarget target, CancellationToken cancellationToken = default);

    Task<CallConnection> CreateCallAsync(CreateCallRequest request, CancellationToken cancellationToken = default);

    Task PlayAsync(string callConnectionId, PlayRequest request, CancellationToken cancellationToken = default);

    Task RecognizeAsync(string callConnectionId, RecognizeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stop every play and recognize in progress or queued on the call.</summary>
    Task CancelAllMediaOperationsAsync(string callConnectionId, CancellationToken cancellationToken = default);

    Task TransferAsync(string callConnectionId, TransferRequest request, CancellationToken cancellationToken = default);

    Task<AddParticipantResult> AddParticipantAsync(string callConnectionId, AddParticipantRequest request, CancellationToken cancellationToken = default);

    Task RemoveParticipantAsync(string callConnectionId, CallTarget participant, string? operationContext = null, CancellationToken cancellationToken = default);

    /// <summary>End the call for everyone, or only leave it (the other participants stay connected).</summary>
    Task HangUpAsync(string callConnectionId, bool forEveryone, CancellationToken cancellationToken = default);

    Task<RecordingStarted> StartRecordingAsync(StartRecordingRequest request, CancellationToken cancellationToken = default);

    Task StopRecordingAsync(string recordingId, CancellationToken cancellationToken = default);
}
