using System.Diagnostics.Metrics;

namespace ContactCenter.Core.Voice;

/// <summary>Reads the provider's callback payload (one event or several) into provider-neutral call events.</summary>
public interface ICallEventReader
{
    /// <summary>Throws <see cref="FormatException"/> (or a subclass) with the reason when the payload is not valid.</summary>
    IReadOnlyList<CallEvent> Read(string payload);

    /// <summary>The offered call in an incoming-call event; <see cref="FormatException"/> when it is not one.</summary>
    IncomingCall ReadIncomingCall(Events.InboundEvent inboundEvent);

    /// <summary>
    /// Every event of a payload that can be read, and each one that cannot with its reason, so one bad event does not
    /// cost the others; <see cref="FormatException"/> only when the payload as a whole is not a batch of events.
    /// </summary>
    CallEventBatch ReadBatch(string payload) => new(Read(payload), []);
}

/// <summary>A callback payload read as far as it goes: the events, and the ones that could not be read.</summary>
public sealed record CallEventBatch(IReadOnlyList<CallEvent> Events, IReadOnlyList<UnreadableCallEvent> Unreadable);

/// <summary>One event of a batch that could not be read: its id when it has one, why, and its JSON as sent.</summary>
public sealed record UnreadableCallEvent(string? EventId, string Reason, string Json);

/// <summary>The callback URI the provider sends one call's events to; it carries our call id and a proof we issued it.</summary>
public interface ICallbackUris
{
    Uri For(string callId);
}

/// <summary>How the voice channel behaves; every value has a sensible default.</summary>
public sealed record VoiceSettings
{
    /// <summary>The IVR flow a call to a number without its own flow runs.</summary>
    public string DefaultFlowId { get; init; } = "main";

    /// <summary>The numbers the contact center answers (E.164); empty answers every call offered to the resource.</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    /// <summary>Flow per called number (E.164), for several lines on one contact center.</summary>
    public IReadOnlyDictionary<string, string> FlowsByNumber { get; init; } = new Dictionary<string, string>();

    /// <summary>Our number shown to customers we call (callbacks, campaigns) and to agents reached on a phone; null uses the number the customer called.</summary>
    public string? CallerId { get; init; }

    /// <summary>Music on hold (a WAV file URL); null plays <see cref="HoldText"/> in a loop.</summary>
    public Uri? HoldAudio { get; init; }

    public string HoldText { get; init; } = "Thank you for waiting. An agent will be with you as soon as possible.";

    /// <summary>Between position / estimated wait announcements while queued; zero turns them off.</summary>
    public TimeSpan AnnouncementInterval { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Offer a callback in every announcement, not only when the queue's overflow rules offer one.</summary>
    public bool OfferCallbackWhileWaiting { get; init; }

    /// <summary>How long an agent's phone or client may ring before the call goes back to the queue.</summary>
    public TimeSpan AgentRingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Outbound: how long a callee has to press a key before we take it for an answering machine.</summary>
    public TimeSpan HumanCheckTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Callback attempts before we give up on a customer who does not answer.</summary>
    public int CallbackMaxAttempts { get; init; } = 3;

    public TimeSpan CallbackRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    public string CompanyName { get; init; } = "Contoso";
}

/// <summary>Voice counters for Azure Monitor (OpenTelemetry meter <see cref="MeterName"/>).</summary>
public static class VoiceMetrics
{
    public const string MeterName = "ContactCenter.Voice";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("contactcenter.voice.calls", description: "Calls by direction and how they ended.");

    public static void Record(string @event, CallPurpose purpose) =>
        Calls.Add(1, new KeyValuePair<string, object?>("event", @event), new KeyValuePair<string, object?>("purpose", purpose.ToString().ToLowerInvariant()));
}
