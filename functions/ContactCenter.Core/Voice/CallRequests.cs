namespace ContactCenter.Core.Voice;

/// <summary>The provider's handle on one call leg, used by every mid-call operation.</summary>
public sealed record CallConnection(string CallConnectionId)
{
    public string? ServerCallId { get; init; }
    public string? CorrelationId { get; init; }
}

/// <summary>Answer an offered call. <paramref name="IncomingCallContext"/> is the opaque token from the incoming-call event.</summary>
public sealed record AnswerCallRequest
{
    public AnswerCallRequest(string incomingCallContext, Uri callbackUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incomingCallContext);
        IncomingCallContext = incomingCallContext;
        CallbackUri = CallUris.RequireAbsolute(callbackUri, nameof(callbackUri));
    }

    public string IncomingCallContext { get; }

    /// <summary>Where the provider sends this call's mid-call events.</summary>
    public Uri CallbackUri { get; }

    public string? OperationContext { get; init; }
}

public enum CallRejectReason
{
    None,
    Busy,
    Forbidden,
}

/// <summary>Place an outbound call, e.g. a customer callback or a consult.</summary>
public sealed record CreateCallRequest
{
    public CreateCallRequest(CallTarget target, Uri callbackUri)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        CallbackUri = CallUris.RequireAbsolute(callbackUri, nameof(callbackUri));
    }

    public CallTarget Target { get; }
    public Uri CallbackUri { get; }

    /// <summary>The number shown to a phone callee; required by carriers when the target is a phone number.</summary>
    public CallTarget.PhoneNumber? CallerId { get; init; }

    public string? CallerDisplayName { get; init; }
    public string? OperationContext { get; init; }
}

public sealed record TransferRequest(CallTarget Target)
{
    public CallTarget Target { get; } = Target ?? throw new ArgumentNullException(nameof(Target));

    /// <summary>In a call with several participants, the one to transfer away; null transfers the other party of a 1:1 call.</summary>
    public CallTarget? Transferee { get; init; }

    public string? OperationContext { get; init; }
}

public sealed record AddParticipantRequest(CallTarget Participant)
{
    public CallTarget Participant { get; } = Participant ?? throw new ArgumentNullException(nameof(Participant));

    /// <summary>Required by carriers when the participant is a phone number.</summary>
    public CallTarget.PhoneNumber? CallerId { get; init; }

    /// <summary>How long the invitee may ring, at most 180 s (the providers' usual ceiling).</summary>
    public TimeSpan? InvitationTimeout
    {
        get;
        init => field = value is { } t && (t < TimeSpan.Zero || t > TimeSpan.FromSeconds(180))
            ? throw new ArgumentOutOfRangeException(nameof(InvitationTimeout), "Between 0 and 180 seconds.")
            : value;
    }

    public string? OperationContext { get; init; }
}

/// <summary>The provider's id for a pending invitation, to correlate its succeeded/failed event.</summary>
public sealed record AddParticipantResult(string? InvitationId);

public enum RecordingContent
{
    Audio,
    AudioVideo,
}

public enum RecordingChannels
{
    Mixed,
    Unmixed,
}

public enum RecordingFormat
{
    Wav,
    Mp3,
    Mp4,
}

public sealed record StartRecordingRequest
{
    public StartRecordingRequest(string callConnectionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callConnectionId);
        CallConnectionId = callConnectionId;
    }

    public string CallConnectionId { get; }

    /// <summary>Where recording state changes are sent; null uses the provider's default.</summary>
    public Uri? StateCallbackUri { get; init => field = value is null ? null : CallUris.RequireAbsolute(value, nameof(StateCallbackUri)); }

    public RecordingContent Content { get; init; } = RecordingContent.Audio;
    public RecordingChannels Channels { get; init; } = RecordingChannels.Mixed;
    public RecordingFormat Format { get; init; } = RecordingFormat.Wav;
}

public sealed record RecordingStarted(string RecordingId, string? State);

internal static class CallUris
{
    public static Uri RequireAbsolute(Uri? uri, string name) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ArgumentException("An absolute http(s) URI is required.", name);
}
