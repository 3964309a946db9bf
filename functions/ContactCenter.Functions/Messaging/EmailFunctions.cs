using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// Inbound email. ACS cannot receive email, so it arrives at these webhooks: a generic inbound-parse post (SendGrid
/// Inbound Parse form, raw message/rfc822, or our JSON shape) and Microsoft Graph change notifications for a shared
/// mailbox. Both take a function key under the Functions host (Graph's notificationUrl carries it as ?code=); Graph's
/// notifications must also carry the configured clientState.
/// </summary>
public static class EmailFunctions
{
    private const string Key = "function";

    public static readonly FunctionDefinition InboundEmail = new("InboundEmail", new HttpTrigger("email/inbound", ["post"], Key));

    public static readonly FunctionDefinition GraphMailNotifications = new("GraphMailNotifications", new HttpTrigger("email/graph", ["post"], Key));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [InboundEmail, GraphMailNotifications];
}
