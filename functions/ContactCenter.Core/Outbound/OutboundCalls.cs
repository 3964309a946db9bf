namespace ContactCenter.Core.Outbound;

/// <summary>One outbound call the dialer wants placed for a campaign entry.</summary>
public sealed record OutboundCallRequest(string CampaignId, string EntryId, string PhoneNumber, string QueueId)
{
    /// <summary>The number shown to the callee (E.164); null uses the contact center's default caller id.</summary>
    public string? CallerId { get; init; }

    /// <summary>What the callee hears first when they answer (then they are connected to an agent of <see cref="QueueId"/>).</summary>
    public string? Greeting { get; init; }
}

/// <summary>How an outbound attempt ended, as far as the dialer needs to know.</summary>
public enum OutboundOutcome
{
    /// <summary>A person answered (confirmed by pressing a key when asked).</summary>
    Answered,
    /// <summary>Rang out, busy, rejected or unreachable.</summary>
    NoAnswer,
    /// <summary>Connected, but nobody responded to the prompt: an answering machine or voicemail.</summary>
    Voicemail,
    /// <summary>The provider refused the call (bad number, quota, outage).</summary>
    Failed,
}

/// <summary>Places outbound calls; the voice channel implements it on the telephony provider.</summary>
public interface IOutboundCallPlacer
{
    /// <summary>Starts the call and returns the provider's call connection id; the outcome arrives later through <see cref="IOutboundOutcomeSink"/>.</summary>
    Task<string> PlaceAsync(OutboundCallRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Told how each outbound attempt ended; the campaign dialer implements it (retries, completion).</summary>
public interface IOutboundOutcomeSink
{
    /// <summary>Idempotent: the same outcome for the same call reported twice changes nothing.</summary>
    Task RecordOutcomeAsync(string campaignId, string entryId, string callConnectionId, OutboundOutcome outcome, CancellationToken cancellationToken = default);
}
