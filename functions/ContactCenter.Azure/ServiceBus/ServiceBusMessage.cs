namespace ContactCenter.Azure.ServiceBus;

/// <summary>A message to send. Broker properties map to the REST API's BrokerProperties header.</summary>
public sealed record ServiceBusOutgoingMessage(BinaryData Body)
{
    public string ContentType { get; init; } = "application/json";

    /// <summary>Lets a queue with duplicate detection drop a resend (our retries, or a retried invocation).</summary>
    public string? MessageId { get; init; }

    /// <summary>Messages with one session id are handled in order by one receiver at a time (one router per queue).</summary>
    public string? SessionId { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Deliver no earlier than this (offer expiry, escalation deadlines).</summary>
    public DateTimeOffset? ScheduledEnqueueTime { get; init; }

    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Application properties, sent as custom headers.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
