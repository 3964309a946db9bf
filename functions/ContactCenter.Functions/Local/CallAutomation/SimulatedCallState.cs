using System.Text;
using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>How a simulated party responds when called or invited.</summary>
public enum PartyAnswer
{
    Person,
    Voicemail,
    NoAnswer,
    Busy,
    Decline,
}

public sealed record PartyBehaviour(PartyAnswer Answer, TimeSpan After);

internal enum CallDirection { Inbound, Outbound }

/// <summary>One simulated call as the simulator keeps it. Guarded by the simulator's lock.</summary>
internal sealed class SimulatedCallState
{
    public required string Id { get; init; }
    public required CallDirection Direction { get; init; }
    /// <summary>Raw ids ("4:+1425...", "8:acs:...").</summary>
    public required string From { get; init; }
    public required string To { get; init; }
    /// <summary>The simulated person whose keys and words the /press and /say endpoints are: the caller, or the callee of an outbound call.</summary>
    public required string Customer { get; init; }
    public string? CallerDisplayName { get; init; }
    public string? IncomingCallContext { get; init; }
    public required string ServerCallId { get; init; }
    public required string CorrelationId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>ringing, connecting, connected, disconnected, rejected, redirected, failed, abandoned.</summary>
    public string State { get; set; } = "ringing";
    public string? EndReason { get; set; }
    public string? CallConnectionId { get; set; }
    public Uri? CallbackUri { get; set; }
    /// <summary>Whether the app (Call Automation) is still on the call and receives its events.</summary>
    public bool AppConnected { get; set; }
    public List<SimulatedParticipant> Participants { get; } = [];
    public List<JsonObject> Heard { get; } = [];
    public List<JsonObject> Transcript { get; } = [];
    public LinkedList<MediaOperation> Media { get; } = new();
    public MediaOperation? CurrentMedia { get; set; }
    public int ParticipantsSequence { get; set; }
    public List<ITimer> Timers { get; } = [];

    public bool Ended => State is "disconnected" or "rejected" or "redirected" or "failed" or "abandoned";
}

internal sealed class SimulatedParticipant
{
    public required string RawId { get; init; }
    /// <summary>customer, agent (added participant) or transferTarget.</summary>
    public required string Role { get; init; }
    /// <summary>ringing, connected, left, failed.</summary>
    public string State { get; set; } = "ringing";
    public string? Behaviour { get; set; }
    public DateTimeOffset? JoinedAt { get; set; }
    public string? InvitationId { get; init; }
    public string? OperationContext { get; init; }
    public ITimer? Pending { get; set; }
}

internal enum MediaKind { Play, Recognize }

internal sealed class MediaOperation
{
    public required MediaKind Kind { get; init; }
    public string? OperationContext { get; init; }
    /// <summary>What the prompt says or where it is, if there is one.</summary>
    public JsonObject? Prompt { get; init; }
    public TimeSpan PromptDuration { get; init; }
    public bool Loop { get; init; }

    // Recognize only.
    public string InputType { get; init; } = "";
    public TimeSpan InitialSilenceTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan InterToneTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public int MaxTones { get; init; } = 1;
    public IReadOnlySet<string> StopTones { get; init; } = new HashSet<string>();
    public JsonArray? Choices { get; init; }
    public StringBuilder Tones { get; } = new();
    public List<string> ToneNames { get; } = [];
    public bool PromptDone { get; set; }
    public DateTimeOffset? TimesOutAt { get; set; }
    public ITimer? Timer { get; set; }
}
