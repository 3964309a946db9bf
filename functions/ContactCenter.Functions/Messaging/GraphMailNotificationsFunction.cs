using ContactCenter.Azure.Email;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// POST /api/email/graph: Microsoft Graph change notifications for the shared mailbox's new messages.
/// <list type="bullet">
/// <item>Subscription validation: Graph POSTs with <c>?validationToken=...</c>; the token is echoed as text/plain, 200.</item>
/// <item>Notifications: every item must carry <c>Email:Graph:ClientState</c> (else 401, nothing fetched); each message
/// is fetched as MIME from the configured mailbox, its attachments stored and the email handed to the sink; 202.
/// An attachment over Email:MaxAttachmentBytes is left out and named on the timeline; a message whose MIME is over the
/// fetch limit is read as Graph JSON and filed with every attachment listed as not kept. A message already gone is skipped. A failed fetch answers 500, so Graph redelivers (the sink is idempotent on
/// Message-ID, so a message handled before the failure is not filed twice).</item>
/// </list>
/// </summary>
public sealed class GraphMailNotificationsFunction(GraphMailClient graph, InboundEmailIntake intake, IOptions<EmailOptions> options,
    ILogger<GraphMailNotificationsFunction> logger) : IHttpFunction
{
    /// <summary>A notification delivery is small; anything larger is not from Graph.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        if (context.Request.Query["validationToken"].FirstOrDefault() is { } token)
        {
            // Graph expects the decoded token back, as plain text, within 10 seconds.
            logger.LogInformation("Answered the Graph subscription validation.");
            return Results.Text(token, "text/plain", statusCode: StatusCodes.Status200OK);
        }
        var graphOptions = options.Value.Graph;
        if (!graphOptions.IsConfigured || string.IsNullOrEmpty(graphOptions.ClientState))
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Graph mail not configured", "Set Email:Graph:Mailbox and Email:Graph:ClientState.");
        }
        IReadOnlyList<GraphMessageNotification> notifications;
        try
        {
            var body = await InboundEmailIntake.ReadBodyAsync(context.Request, MaxBodyBytes, context.RequestAborted);
            notifications = GraphChangeNotifications.Read(body.Span, graphOptions.ClientState);
        }
        catch (InboundBodyTooLargeException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Delivery too large", $"A Graph notification delivery is at most {MaxBodyBytes} bytes.");
        }
        catch (InvalidInboundEmailException ex)
        {
            logger.LogWarning("Rejected a Graph notification: {Reason}", ex.Message);
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid Graph notification", ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            logger.LogWarning("Refused a Graph notification: {Reason}", ex.Message);
            return FunctionEndpoints.Problem(StatusCodes.Status401Unauthorized, "Unknown clientState", "The notification does not carry this app's clientState.");
        }

        var accepted = 0;
        foreach (var notification in notifications.Where(n => n.ChangeType.Split(',').Any(c => c.Trim().Equals("created", StringComparison.OrdinalIgnoreCase))))
        {
            var email = await FetchAsync(graphOptions.Mailbox!, notification.MessageId, context.RequestAborted);
            if (email is null)
            {
                continue;
            }
            // An attachment over the limit is left out by the intake and named on the timeline; the message is always filed.
            await intake.AcceptAsync(email, context.RequestAborted);
            accepted++;
        }
        return Results.Text($"{{\"accepted\":{accepted}}}", "application/json", statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The message as MIME; as Graph JSON without attachment content when the MIME is too large; null when gone or unreadable.</summary>
    private async Task<ParsedEmail?> FetchAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            var mime = await graph.GetMimeAsync(mailbox, messageId, cancellationToken);
            if (mime is not null)
            {
                return await MimeEmailReader.ReadAsync(mime, cancellationToken);
            }
        }
        catch (GraphMessageTooLargeException ex)
        {
            logger.LogWarning("Graph message {GraphMessageId}: {Reason}; filed without its attachments.", messageId, ex.Message);
            try
            {
                if (await graph.GetMessageWithoutAttachmentsAsync(mailbox, messageId, options.Value.MaxAttachmentBytes, cancellationToken) is { } summary)
                {
                    return summary;
                }
            }
            catch (InvalidInboundEmailException unreadable)
            {
                logger.LogError("Graph message {GraphMessageId} is not a readable message: {Reason}", messageId, unreadable.Message);
                return null;
            }
        }
        catch (InvalidInboundEmailException ex)
        {
            // Redelivery would not make it readable: skip it, loudly.
            logger.LogError("Graph message {GraphMessageId} is not a readable email: {Reason}", messageId, ex.Message);
            return null;
        }
        logger.LogInformation("Graph message {GraphMessageId} is gone; skipped.", messageId);
        return null;
    }
}
