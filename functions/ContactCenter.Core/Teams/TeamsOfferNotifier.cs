using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Workspace;

namespace ContactCenter.Core.Teams;

/// <summary>
/// One Teams activity-feed notification to one user (Microsoft Graph <c>sendActivityNotification</c>).
/// </summary>
/// <param name="TeamsUserId">The recipient's Entra object id.</param>
/// <param name="ActivityType">An activity type the Teams app manifest declares (<see cref="TeamsActivityTypes"/>).</param>
/// <param name="TopicText">What the notification is about, shown with it.</param>
/// <param name="WebUrl">The Teams deep link the notification opens (the app's personal tab).</param>
/// <param name="PreviewText">The line Teams previews (it shows the first 150 characters).</param>
/// <param name="TemplateParameters">Values for the activity type's template text, in order.</param>
public sealed record TeamsActivityNotification(string TeamsUserId, string ActivityType, string TopicText, string WebUrl, string PreviewText,
    IReadOnlyList<KeyValuePair<string, string>> TemplateParameters);

/// <summary>Sends activity-feed notifications to Teams users (Microsoft Graph in Azure; a fake in tests).</summary>
public interface ITeamsActivityFeed
{
    Task SendAsync(TeamsActivityNotification notification, CancellationToken cancellationToken);
}

/// <summary>The activity types the Teams app manifest (teams/manifest.template.json) declares.</summary>
public static class TeamsActivityTypes
{
    /// <summary>Template text "{channel} contact waiting in {queue}": parameters channel and queue.</summary>
    public const string OfferReceived = "offerReceived";
}

/// <summary>What the Teams notifications need to know about the Teams app.</summary>
/// <param name="AppId">The Teams app's id as the tenant's app catalog knows it (the manifest id when sideloaded, the
/// catalog's external id when published to the org): deep links and Graph's <c>teamsAppId</c> use it.</param>
/// <param name="EntityId">The personal tab's entityId in the manifest.</param>
public sealed record TeamsAppOptions(string AppId, string EntityId = TeamsAppOptions.WorkspaceTabEntityId)
{
    public const string WorkspaceTabEntityId = "workspace";

    /// <summary>The deep link that opens the workspace tab, with the contact as the sub-entity the widget can pick up.</summary>
    public string TabDeepLink(string? subEntityId = null)
    {
        var link = $"https://teams.microsoft.com/l/entity/{Uri.EscapeDataString(AppId)}/{Uri.EscapeDataString(EntityId)}";
        if (subEntityId is null)
        {
            return link;
        }
        var context = "{\"subEntityId\":\"" + subEntityId.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"}";
        return link + "?context=" + Uri.EscapeDataString(context);
    }
}

/// <summary>
/// Tells agents who use Teams about new offers in their Teams activity feed, beside the workspace push. It reads
/// <c>offer</c> workspace messages (from the <see cref="QueueNames.TeamsNotifications"/> queue, so Graph's latency is
/// on neither the routing path nor the realtime push), looks up the agent's Teams user id and sends
/// <see cref="TeamsActivityTypes.OfferReceived"/>.
/// Never throws: a failed Graph call is reported to <paramref name="onFailure"/> and the offer stands. Offers already
/// expired and repeats of the same offer (a redelivered queue message) are not sent again by this instance.
/// </summary>
public sealed class TeamsOfferNotifier(AcdService acd, ITeamsActivityFeed feed, TeamsAppOptions app, TimeProvider timeProvider,
    Action<Exception, string>? onFailure = null)
{
    private const int RememberedOffers = 1_000;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);
    private readonly Queue<string> _sentOrder = new();

    /// <summary>Sends the Teams notification an offer message calls for; true when one was sent.</summary>
    public async Task<bool> NotifyAsync(WorkspaceMessage message, CancellationToken cancellationToken = default)
    {
        if (message.AgentId is not { } agentId || message.AsOffer() is not { } offer)
        {
            return false;
        }
        if (offer.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return false; // too late to act on; the feed would only point at nothing
        }
        var key = $"{agentId}|{offer.ContactId}|{offer.ExpiresAt.UtcTicks}";
        try
        {
            var agent = await acd.GetAgentAsync(agentId, cancellationToken);
            if (agent.TeamsUserId is not { } teamsUserId || !Remember(key))
            {
                return false;
            }
            try
            {
                await feed.SendAsync(OfferNotification(teamsUserId, offer), cancellationToken);
                return true;
            }
            catch
            {
                Forget(key); // a redelivery may try again
                throw;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            onFailure?.Invoke(ex, agentId);
            return false;
        }
    }

    /// <summary>The notification for one offer: "Voice contact waiting in sales", opening the workspace tab on the contact.</summary>
    public TeamsActivityNotification OfferNotification(string teamsUserId, OfferNotice offer)
    {
        var channel = offer.Channel switch
        {
            Channel.Sms => "SMS",
            var other => other.ToString(),
        };
        return new TeamsActivityNotification(teamsUserId, TeamsActivityTypes.OfferReceived, "Contact center",
            app.TabDeepLink(offer.ContactId), $"New {channel} contact offered from {offer.QueueId}; accept it in the workspace.",
            [new("channel", channel), new("queue", offer.QueueId)]);
    }

    private bool Remember(string key)
    {
        lock (_gate)
        {
            if (!_sent.Add(key))
            {
                return false;
            }
            _sentOrder.Enqueue(key);
            while (_sentOrder.Count > RememberedOffers)
            {
                _sent.Remove(_sentOrder.Dequeue());
            }
            return true;
        }
    }

    private void Forget(string key)
    {
        lock (_gate)
        {
            _sent.Remove(key);
        }
    }
}

/// <summary>
/// The workspace publisher that hands offers to Teams: it puts each <c>offer</c> message on the
/// <see cref="QueueNames.TeamsNotifications"/> queue (one enqueue, like the workspace push) and ignores the rest.
/// Registered only when Teams notifications are on.
/// </summary>
public sealed class TeamsOfferPublisher(IMessageSender sender) : IWorkspacePublisher
{
    public Task PublishAsync(WorkspaceMessage message, CancellationToken cancellationToken) =>
        message.Type == WorkspaceMessageTypes.Offer && message.AgentId is not null
            ? sender.SendAsync(QueueNames.TeamsNotifications, new OutgoingMessage(message.ToJson()), cancellationToken)
            : Task.CompletedTask;
}
