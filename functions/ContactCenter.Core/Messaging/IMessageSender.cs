namespace ContactCenter.Core.Messaging;

/// <summary>
/// A message for a queue. <see cref="SessionId"/> keeps messages of one session in order and with one consumer at a
/// time; <see cref="ScheduledFor"/> delays delivery until then; <see cref="MessageId"/> lets the broker drop duplicates.
/// </summary>
public sealed record OutgoingMessage(string Body)
{
    public string? MessageId { get; init; }
    public string? SessionId { get; init; }
    public DateTimeOffset? ScheduledFor { get; init; }
}

/// <summary>
/// Sends work to a queue: Service Bus in Azure, the local dispatcher in local mode. The core only needs "send this,
/// maybe later, maybe in a session"; which broker carries it is an adapter's business.
/// </summary>
public interface IMessageSender
{
    Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default);
}
