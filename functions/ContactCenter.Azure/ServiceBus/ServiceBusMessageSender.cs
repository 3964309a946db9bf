using ContactCenter.Core.Messaging;

namespace ContactCenter.Azure.ServiceBus;

/// <summary>The core's <see cref="IMessageSender"/> on Service Bus: sessions, scheduled delivery and message ids map one to one.</summary>
public sealed class ServiceBusMessageSender(ServiceBusRestClient client) : IMessageSender
{
    public async Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await client.SendMessageAsync(queueName, new ServiceBusOutgoingMessage(BinaryData.FromString(message.Body))
        {
            MessageId = message.MessageId,
            SessionId = message.SessionId,
            ScheduledEnqueueTime = message.ScheduledFor,
        }, cancellationToken);
    }
}
