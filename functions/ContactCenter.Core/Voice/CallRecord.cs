using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Core.Voice;

[JsonConverter(typeof(JsonStringEnumConverter<CallPurpose>))]
public enum CallPurpose
{
    /// <summary>A customer called in.</summary>
    Inbound,
    /// <summary>We call a customer back who asked for it (their place in the queue was kept).</summary>
    Callback,
    /// <summary>A campaign dials a customer.</summary>
    Campaign,
}

[JsonConverter(typeof(JsonStringEnumConverter<CallStage>))]
public enum CallStage
{
    /// <summary>Answer requested; waiting for the provider to connect the call.</summary>
    Answering,
    /// <summary>Outbound call placed; waiting for the callee to pick up.</summary>
    Dialing,
    /// <summary>Running the IVR flow.</summary>
    Ivr,
    /// <summary>Outbound: asking whether a person answered (press a key) before taking an agent's time.</summary>
    Verifying,
    /// <summary>Waiting in an ACD queue with hold audio and announcements.</summary>
    Queued,
    /// <summary>The customer hung up; the ACD keeps their place and we call back when an agent takes it.</summary>
    CallbackWaiting,
    /// <summary>An agent took the contact; the agent is being added to the call.</summary>
    ConnectingAgent,
    /// <summary>Customer and agent are talking.</summary>
    Connected,
    /// <summary>Recording a voicemail.</summary>
    Voicemail,
    /// <summary>Saying goodbye; the call ends when the prompt has played.</summary>
    Ending,
    Ended,
}

/// <summary>What to do when the prompt in <see cref="CallRecord.PendingMedia"/> has finished.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AfterPrompt>))]
public enum AfterPrompt
{
    Nothing,
    HangUp,
    ResumeHold,
    StartRecording,
}

/// <summary>
/// One call the contact center is handling, as stored between provider events (Calls table). <see cref="Id"/> is ours,
/// carried in the callback URI; the provider's connection id arrives with the answer. A call may be routed as more than
/// one ACD contact over its life (a transfer to another queue): <see cref="ContactId"/> is the current one.
/// </summary>
public sealed record CallRecord
{
    public required string Id { get; init; }
    public required CallPurpose Purpose { get; init; }
    public required CallStage Stage { get; init; }

    /// <summary>The customer's address (raw id, e.g. "4:+14255550123").</summary>
    public required string Customer { get; init; }

    /// <summary>Our number the customer called, or the caller id we show.</summary>
    public string? Line { get; init; }

    public string? CallConnectionId { get; init; }
    public string? ServerCallId { get; init; }
    public string? CorrelationId { get; init; }
    public string? IncomingCallContext { get; init; }

    /// <summary>The IVR session (<see cref="Ivr.IvrSession.ToJson"/>) while in the flow.</summary>
    public string? IvrSession { get; init; }

    public string? QueueId { get; init; }
    public string? ContactId { get; init; }

    /// <summary>How many ACD contacts this call has been so far; the next one is "{Id}~{ContactCount + 1}".</summary>
    public int ContactCount { get; init; }

    public string? AgentId { get; init; }

    /// <summary>The agent who last handled the customer's open case, preferred by the ACD within the queue's sticky window.</summary>
    public string? PreferredAgentId { get; init; }

    /// <summary>The raw id of the agent's leg in the call, to remove it on a transfer.</summary>
    public string? AgentAddress { get; init; }

    /// <summary>Others added to the call by the agent (conference, consult): raw ids.</summary>
    public IReadOnlyList<string> Guests { get; init; } = [];

    /// <summary>
    /// Operation context of the media operation whose result the call waits for ("m7"); results of older operations
    /// arrive late sometimes and are recognised by it.
    /// </summary>
    public string? PendingMedia { get; init; }

    public int MediaSequence { get; init; }
    public AfterPrompt AfterPrompt { get; init; }

    /// <summary>Announcement sequence: a scheduled announcement for an older one is stale.</summary>
    public int AnnouncementSequence { get; init; }

    public string? RecordingId { get; init; }

    /// <summary>The longest voicemail the flow allows, in seconds.</summary>
    public int VoicemailSeconds { get; init; }

    /// <summary>Ids of the last provider events applied, newest last: a repeated delivery is recognised.</summary>
    public IReadOnlyList<string> RecentEvents { get; init; } = [];

    public string? CampaignId { get; init; }
    public string? CampaignEntryId { get; init; }
    public string? Greeting { get; init; }
    public int CallbackAttempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConnectedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How the call ended or what it is doing, in words ("queued to sales", "caller hung up in queue").</summary>
    public string? Outcome { get; init; }

    public const int RememberedEvents = 64;

    public bool HasSeen(string eventId) => RecentEvents.Contains(eventId);

    public CallRecord Seen(string eventId) => this with { RecentEvents = [.. RecentEvents.Skip(Math.Max(0, RecentEvents.Count + 1 - RememberedEvents)), eventId] };

    public string ToJson() => JsonSerializer.Serialize(this, Events.CoreJsonContext.Default.CallRecord);

    public static CallRecord FromJson(string json) => JsonSerializer.Deserialize(json, Events.CoreJsonContext.Default.CallRecord)
        ?? throw new FormatException("A stored call record is JSON null.");

    /// <summary>The call a contact id belongs to: contacts of a call are "{callId}" and "{callId}~2", "~3" ...</summary>
    public static string CallIdOfContact(string contactId)
    {
        var tilde = contactId.IndexOf('~', StringComparison.Ordinal);
        return tilde < 0 ? contactId : contactId[..tilde];
    }
}

/// <summary>Which kind of work for one call travels on the call-work queue (a session per call, so in order).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallWorkKind>))]
public enum CallWorkKind
{
    /// <summary>A provider callback event, as the provider sent it (<see cref="CallWork.Payload"/>).</summary>
    ProviderEvent,
    /// <summary>Time for a position / estimated-wait announcement (scheduled).</summary>
    Announce,
    /// <summary>An agent took the call's contact: connect them.</summary>
    AgentAssigned,
    /// <summary>The voicemail's maximum length was reached (scheduled).</summary>
    VoicemailTimeUp,
    /// <summary>An agent's request: transfer, add a participant, leave, hang up (<see cref="CallWork.Command"/>).</summary>
    AgentCommand,
    /// <summary>Time to try an unanswered callback again: the customer queues for the next agent (scheduled).</summary>
    RetryCallback,
}

/// <summary>A command an agent gives about their call.</summary>
public sealed record CallCommand(string Action, string AgentId)
{
    /// <summary>For transfer/add: where to (one of them).</summary>
    public string? QueueId { get; init; }
    public string? TargetAgentId { get; init; }
    public string? PhoneNumber { get; init; }
}

public sealed record CallWork(CallWorkKind Kind, string CallId)
{
    public string? Payload { get; init; }
    public string? ContactId { get; init; }
    public string? AgentId { get; init; }
    public int Sequence { get; init; }
    public CallCommand? Command { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Events.CoreJsonContext.Default.CallWork);

    public static CallWork FromJson(string json)
    {
        try
        {
            var work = JsonSerializer.Deserialize(json, Events.CoreJsonContext.Default.CallWork) ?? throw new InvalidCallWorkException("The message is JSON null.");
            return string.IsNullOrWhiteSpace(work.CallId) ? throw new InvalidCallWorkException("Call work needs a callId.") : work;
        }
        catch (JsonException ex)
        {
            throw new InvalidCallWorkException($"Not call work: {ex.Message}", ex);
        }
    }
}

public sealed class InvalidCallWorkException(string message, Exception? inner = null) : Exception(message, inner);
