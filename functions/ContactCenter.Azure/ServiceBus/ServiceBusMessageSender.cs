using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using ContactCenter.Core.Messaging;

namespace ContactCenter.Azure.ServiceBus;

/// <summary>
/// The core's <see cref="IMessageSender"/> on the official SDK: one <see cref="ServiceBusClient"/> (one AMQP
/// connection) for the app, one <see cref="ServiceBusSender"/> per queue, created on first use and kept (the SDK's
/// senders are safe to share and meant to be long-lived). Failures surface as <see cref="ServiceBusException"/>
/// after the client's own retries of transient ones (ServiceBusy, ServiceTimeout, ServiceCommunicationProblem), so a
/// function that sends answers 500 and the host redelivers, as it did with the REST sender's RequestFailedException.
/// </summary>
public sealed class ServiceBusMessageSender(ServiceBusClient client) : IMessageSender, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        Sender(queueName).SendMessageAsync(ServiceBusMessageMapping.ToServiceBusMessage(message), cancellationToken);

    /// <summary>
    /// Several messages for one queue in as few sends as the size limit allows. A batch holds messages of one session
    /// only (consecutive runs of the same session id, so order within a session is kept): Service Bus cannot take a
    /// batch that spans partitions of a partitioned entity, and the session id picks the partition. Each batch is
    /// sized by the SDK (<see cref="ServiceBusMessageBatch.TryAddMessage"/> against the link's maximum message size);
    /// a message too large even for an empty batch throws MessageSizeExceeded, as a single send of it would. Batches
    /// are atomic; on a failure the earlier batches stay sent, and message ids make a resend of them a duplicate.
    /// </summary>
    public async Task SendAsync(string queueName, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sender = Sender(queueName);
        var next = 0;
        while (next < messages.Count)
        {
            var session = messages[next].SessionId;
            using var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
            while (next < messages.Count && messages[next].SessionId == session
                && batch.TryAddMessage(ServiceBusMessageMapping.ToServiceBusMessage(messages[next])))
            {
                next++;
            }
            if (batch.Count == 0)
            {
                throw new ServiceBusException($"Message {next} of {messages.Count} for {queueName} is larger than a Service Bus message may be ({batch.MaxSizeInBytes} bytes).",
                    ServiceBusFailureReason.MessageSizeExceeded, queueName);
            }
            await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private ServiceBusSender Sender(string queueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return _senders.GetOrAdd(queueName, static (name, owner) => owner.CreateSender(name), client);
    }

    /// <summary>Closes the senders' links; the client (the connection) belongs to whoever created it.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
        _senders.Clear();
    }
}
