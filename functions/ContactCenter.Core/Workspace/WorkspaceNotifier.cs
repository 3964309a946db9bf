using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Workspace;

/// <summary>Delivers workspace notifications somewhere: a queue the push function drains, a local hub, Teams.</summary>
public interface IWorkspacePublisher
{
    Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Puts notifications on the <see cref="QueueNames.WorkspaceNotifications"/> queue. The ACD only pays for one enqueue;
/// the push function (SignalR output binding in Azure, the local hub locally) delivers them off the routing path.
/// </summary>
public sealed class QueuedWorkspacePublisher(IMessageSender sender) : IWorkspacePublisher
{
    public Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken) =>
        sender.SendAsync(QueueNames.WorkspaceNotifications, new OutgoingMessage(message.ToJson()), cancellationToken);
}

/// <summary>
/// Raises the workspace notifications for the facts the ACD and the timeline record. Pushing is best effort: a
/// publisher that fails is reported to <paramref name="onFailure"/> and skipped, never failing the action that caused it
/// (the workspace re-reads state on reconnect, so a lost push delays a screen update, it loses nothing).
/// </summary>
public sealed class WorkspaceNotifier(IEnumerable<IWorkspacePublisher> publishers, Action<Exception, WorkspaceMessage>? onFailure = null)
{
    private readonly IWorkspacePublisher[] _publishers = publishers.ToArray();

    public bool IsEnabled => _publishers.Length > 0;

    public async Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken = default)
    {
        foreach (var publisher in _publishers)
        {
            try
            {
                await publisher.PublishAsync(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                onFailure?.Invoke(ex, message);
            }
        }
    }

    public async Task PublishAsync(IEnumerable<WorkspaceMessage> messages, CancellationToken cancellationToken = default)
    {
        foreach (var message in messages)
        {
            await PublishAsync(message, cancellationToken);
        }
    }

    public static OfferNotice OfferOf(OfferMade offer, ContactState contact) =>
        new(offer.ContactId, offer.Channel, offer.QueueId, contact.CustomerId, ConversationService.ConversationIdOfContact(offer.ContactId), offer.ExpiresAt);

    public static ContactAssignedNotice AssignedOf(ContactState contact) =>
        new(contact.Id, contact.Channel, contact.CustomerId, ConversationService.ConversationIdOfContact(contact.Id));
}

/// <summary>Told after a timeline entry is recorded or updated (a new message, a delivery report, a call's end).</summary>
public interface ITimelineListener
{
    Task EntryRecordedAsync(TimelineEntry entry, CancellationToken cancellationToken);
}

/// <summary>
/// Pushes timeline entries to the agent working the conversation (the entry's agent, else the conversation's). Entries
/// nobody works on are on the timeline when an agent opens it.
/// </summary>
public sealed class WorkspaceTimelineListener(WorkspaceNotifier notifier, Func<ConversationRepository> repository) : ITimelineListener
{
    public async Task EntryRecordedAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var agentId = entry.AgentId;
            if (agentId is null && entry.ConversationId is { } conversationId)
            {
                agentId = (await repository().GetConversationAsync(conversationId, cancellationToken))?.Value.AgentId;
            }
            if (agentId is not null)
            {
                await notifier.PublishAsync(WorkspaceMessage.Timeline(agentId, new TimelineNotice(entry.CustomerId, entry.ConversationId, entry)), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The entry is stored; only the push is lost (the notifier reports publisher failures, this is a lookup's).
        }
    }
}
