namespace ContactCenter.Core.Messaging;

/// <summary>Every Service Bus queue the app uses, in one place: function declarations and Bicep both read these.</summary>
public static class QueueNames
{
    /// <summary>Channel events (calls, SMS, email) accepted from Event Grid and waiting to be applied.</summary>
    public const string InboundEvents = "inbound-events";

    /// <summary>
    /// ACD work (route a queue, expire an offer, escalate a contact), session-enabled with the queue id as session id,
    /// so one queue is matched by one worker at a time; timers are scheduled messages.
    /// </summary>
    public const string AcdRouting = "acd-routing";

    /// <summary>
    /// Work for one call (provider callback events, announcements, agent commands), session-enabled with our call id as
    /// session id, so a call's events are applied one at a time and in order.
    /// </summary>
    public const string CallWork = "call-work";

    /// <summary>Replies and acknowledgements waiting for the SMS or email provider (retried until sent; message id = timeline entry).</summary>
    public const string OutboundMessages = "outbound-messages";

    /// <summary>Notifications for agents' and supervisors' workspaces, pushed by the WorkspaceNotifications function.</summary>
    public const string WorkspaceNotifications = "workspace-notifications";

    /// <summary>Offers for agents who use Teams, sent to their activity feed by the TeamsNotifications function (only when Teams notifications are on).</summary>
    public const string TeamsNotifications = "teams-notifications";

    /// <summary>Queues whose messages carry a session id (Bicep creates them with sessions required).</summary>
    public static IReadOnlyList<string> SessionQueues { get; } = [AcdRouting, CallWork];

    public static IReadOnlyList<string> All { get; } = [InboundEvents, AcdRouting, CallWork, OutboundMessages, WorkspaceNotifications, TeamsNotifications];
}
