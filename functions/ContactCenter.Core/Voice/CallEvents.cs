namespace ContactCenter.Core.Voice;

/// <summary>
/// Something the telephony provider reports about one call leg, after an operation or on its own (the caller hung up).
/// Provider-neutral: the ACS adapter maps Call Automation's callback events onto these. <see cref="EventId"/> is the
/// provider's id of the delivery, so a repeated delivery is recognised; <see cref="OperationContext"/> is what the
/// app sent with the operation, so a late event of an operation the call has moved past is recognised too.
/// </summary>
public abstract record CallEvent(string EventId, string CallConnectionId, DateTimeOffset At)
{
    public string? ServerCallId { get; init; }
    public string? CorrelationId { get; init; }
    public string? OperationContext { get; init; }

    /// <summary>The provider's result code and sub-code (ACS: HTTP-like code, sub-code such as 8510), when it sends one.</summary>
    public int? ResultCode { get; init; }
    public int? ResultSubCode { get; init; }
    public string? ResultMessage { get; init; }
}

public sealed record CallConnected(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

/// <summary>The call ended for the app (every participant gone, or the call was terminated).</summary>
public sealed record CallDisconnected(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

/// <summary>An outbound call never connected: no answer, busy, rejected, unreachable (see the result sub-code).</summary>
public sealed record CreateCallFailed(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

public sealed record PlayCompleted(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

public sealed record PlayFailed(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

/// <summary>Every play and recognize on the call was cancelled (after a cancel-all-media request).</summary>
public sealed record MediaCancelled(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

/// <summary>
/// The caller answered a recognize: <see cref="Tones"/> as characters ("0"-"9", "*", "#") for DTMF, or the matched
/// choice's <see cref="ChoiceLabel"/> and the phrase heard, or free speech in <see cref="Speech"/>.
/// </summary>
public sealed record RecognizeCompleted(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At)
{
    public string? Tones { get; init; }
    public string? ChoiceLabel { get; init; }
    public string? RecognizedPhrase { get; init; }
    public string? Speech { get; init; }
}

public enum RecognizeFailureReason
{
    /// <summary>Silence: nothing pressed or said in time (ACS sub-codes 8510, 8532).</summary>
    Timeout,
    /// <summary>Something was pressed or said that did not match (ACS 8534, 8547 ...).</summary>
    NoMatch,
    /// <summary>The prompt could not be played or the recognizer failed (anything else).</summary>
    Error,
}

public sealed record RecognizeFailed(string EventId, string CallConnectionId, DateTimeOffset At, RecognizeFailureReason Reason)
    : CallEvent(EventId, CallConnectionId, At);

/// <summary>An invited participant joined (<see cref="Participant"/> is its raw id, e.g. "8:acs:..." or "4:+1425...").</summary>
public sealed record AddParticipantSucceeded(string EventId, string CallConnectionId, DateTimeOffset At, string? Participant)
    : CallEvent(EventId, CallConnectionId, At);

/// <summary>An invited participant did not join: declined, no answer, unreachable.</summary>
public sealed record AddParticipantFailed(string EventId, string CallConnectionId, DateTimeOffset At, string? Participant)
    : CallEvent(EventId, CallConnectionId, At);

public sealed record RemoveParticipantSucceeded(string EventId, string CallConnectionId, DateTimeOffset At, string? Participant)
    : CallEvent(EventId, CallConnectionId, At);

public sealed record CallTransferAccepted(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

public sealed record CallTransferFailed(string EventId, string CallConnectionId, DateTimeOffset At) : CallEvent(EventId, CallConnectionId, At);

/// <summary>Who is on the call now (raw ids), in the order the provider lists them; <see cref="SequenceNumber"/> orders updates.</summary>
public sealed record ParticipantsUpdated(string EventId, string CallConnectionId, DateTimeOffset At, IReadOnlyList<string> Participants, int? SequenceNumber)
    : CallEvent(EventId, CallConnectionId, At);

public sealed record RecordingStateChanged(string EventId, string CallConnectionId, DateTimeOffset At, string? RecordingId, string? State)
    : CallEvent(EventId, CallConnectionId, At);

/// <summary>A provider event the contact center does not act on (kept so it is acknowledged, not retried).</summary>
public sealed record OtherCallEvent(string EventId, string CallConnectionId, DateTimeOffset At, string Type) : CallEvent(EventId, CallConnectionId, At);

/// <summary>A new call offered to the contact center (ACS: the IncomingCall Event Grid event).</summary>
public sealed record IncomingCall(string IncomingCallContext, string From, string To, DateTimeOffset At)
{
    /// <summary>The provider's id for the call, the same for every leg; a redelivered offer carries the same one.</summary>
    public string? ServerCallId { get; init; }
    public string? CorrelationId { get; init; }
    public string? CallerDisplayName { get; init; }
}
