using ContactCenter.Core.Messaging;

namespace ContactCenter.Functions.Local;

/// <summary>Local mode's message sender: the local host's queues stand in for Service Bus, scheduling and sessions included.</summary>
public sealed class LocalMessageSender(LocalFunctionsHost host) : IMessageSender
{
    public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        host.SendToQueue(queueName, message.Body, message.SessionId, message.MessageId, message.ScheduledFor);
        return Task.CompletedTask;
    }
}
