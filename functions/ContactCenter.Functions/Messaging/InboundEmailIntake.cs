using System.Text.Json.Nodes;
using ContactCenter.Azure.Email;
using ContactCenter.Core.Channels;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>The body was larger than allowed.</summary>
internal sealed class InboundBodyTooLargeException : Exception;

/// <summary>
/// The common second half of both webhooks: store the attachments that fit under deterministic ids, note the ones that do
/// not, and hand the email to the sink. An attachment over the limit never costs the message: it is filed without it and
/// the timeline says what was not kept. The sink is called only once every kept attachment is stored, so a failed upload
/// leaves no half-filed message; the failure answers 500, the sender retries, already-stored blobs are found again under
/// the same ids and the retry completes the filing.
/// </summary>
public sealed class InboundEmailIntake(IAttachmentStore attachments, IInboundEmailSink sink, IOptions<EmailOptions> options, TimeProvider timeProvider,
    ILogger<InboundEmailIntake> logger)
{
    public async Task<IResult> AcceptAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        var inbound = await StoreAsync(email, cancellationToken);
        await sink.ReceiveAsync(inbound, cancellationToken);
        logger.LogInformation("Accepted inbound email {MessageId} with {Attachments} attachment(s), {NotKept} not kept.",
            inbound.MessageId, inbound.Attachments.Count, inbound.AttachmentsNotKept.Count);
        return Results.Text(new JsonObject
        {
            ["messageId"] = inbound.MessageId,
            ["attachments"] = inbound.Attachments.Count,
            ["attachmentsNotKept"] = new JsonArray([.. inbound.AttachmentsNotKept.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["size"] = a.Length,
                ["limit"] = a.Limit,
                ["reason"] = a.Reason,
            })]),
        }.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>Stores the attachments within the limit and makes the <see cref="InboundEmail"/>, listing the others as not kept.</summary>
    public async Task<InboundEmail> StoreAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxAttachmentBytes;
        var stored = new List<StoredAttachment>(email.Attachments.Count);
        var notKept = new List<AttachmentNotKept>(email.AttachmentsNotKept);
        for (var index = 0; index < email.Attachments.Count; index++)
        {
            var attachment = email.Attachments[index];
            if (attachment.Content.Length > limit)
            {
                notKept.Add(new AttachmentNotKept(attachment.Name, attachment.Content.Length, limit, AttachmentNotKept.OverLimit));
                continue;
            }
            var id = AttachmentIds.For(email.MessageId, index, attachment.Content.Span);
            using var content = new MemoryStream(attachment.Content.ToArray(), writable: false);
            try
            {
                stored.Add(await attachments.SaveAsync(id, attachment.Name, attachment.ContentType, content, cancellationToken));
            }
            catch (AttachmentTooLargeException ex)
            {
                // The store's own limit may be lower than Email:MaxAttachmentBytes.
                notKept.Add(new AttachmentNotKept(attachment.Name, attachment.Content.Length, ex.Limit, AttachmentNotKept.OverLimit));
            }
        }
        foreach (var skipped in notKept)
        {
            logger.LogWarning("Inbound email {MessageId}: attachment {Name} ({Length} bytes) not kept: {Reason} of {Limit} bytes.",
                email.MessageId, skipped.Name, skipped.Length, skipped.Reason, skipped.Limit);
        }
        return email.ToInboundEmail(stored, notKept, timeProvider.GetUtcNow());
    }

    internal static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new InboundBodyTooLargeException();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
