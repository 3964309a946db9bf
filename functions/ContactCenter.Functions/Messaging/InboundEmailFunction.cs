using System.Text.Json.Nodes;
using ContactCenter.Azure.Email;
using ContactCenter.Core.Channels;
using ContactCenter.Functions.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// POST /api/email/inbound: a generic inbound-email post — multipart/form-data (SendGrid Inbound Parse fields, or
/// <c>email</c> = raw MIME), message/rfc822 (the raw message), or application/json (see <see cref="InboundParseReader"/>).
/// Stores the attachments, then hands the email to <see cref="IInboundEmailSink"/>. 400 for what cannot be read,
/// 413 when the post or an attachment is over its limit (nothing is stored then), 415 for another content type.
/// </summary>
public sealed class InboundEmailFunction(InboundEmailIntake intake, IOptions<EmailOptions> options, ILogger<InboundEmailFunction> logger) : IHttpFunction
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var limit = options.Value.MaxMessageBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge($"An inbound email post is at most {limit} bytes.");
        }
        var mediaType = request.ContentType is { } contentType && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        ParsedEmail email;
        try
        {
            email = mediaType switch
            {
                "multipart/form-data" => await ReadFormAsync(context, limit),
                "message/rfc822" => await MimeEmailReader.ReadAsync(await InboundEmailIntake.ReadBodyAsync(request, limit, context.RequestAborted), context.RequestAborted),
                "application/json" => InboundParseReader.ReadJson((await InboundEmailIntake.ReadBodyAsync(request, limit, context.RequestAborted)).Span),
                _ => throw new UnsupportedMediaException(),
            };
        }
        catch (UnsupportedMediaException)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported email format",
                "Post multipart/form-data (inbound-parse fields or 'email' = raw MIME), message/rfc822 or application/json.");
        }
        catch (InboundBodyTooLargeException)
        {
            return TooLarge($"An inbound email post is at most {limit} bytes.");
        }
        catch (Exception ex) when (ex is InvalidInboundEmailException or InvalidDataException or FormatException)
        {
            logger.LogWarning("Rejected an inbound email: {Reason}", ex.Message);
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid inbound email", ex.Message);
        }
        return await intake.AcceptAsync(email, context.RequestAborted);
    }

    private static IResult TooLarge(string detail) =>
        FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Email too large", detail);

    private static async Task<ParsedEmail> ReadFormAsync(HttpContext context, long limit)
    {
        var form = await new FormFeature(context.Request, new FormOptions
        {
            MultipartBodyLengthLimit = limit,
            ValueLengthLimit = (int)Math.Min(int.MaxValue, limit),
            MultipartBoundaryLengthLimit = 256,
        }).ReadFormAsync(context.RequestAborted);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var files = new List<InboundFormFile>(form.Files.Count);
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted);
            files.Add(new InboundFormFile(file.Name, file.FileName, file.ContentType, buffer.ToArray()));
        }
        return await InboundParseReader.ReadFormAsync(fields, files, context.RequestAborted);
    }

    private sealed class UnsupportedMediaException : Exception;
}

/// <summary>The body was larger than allowed.</summary>
internal sealed class InboundBodyTooLargeException : Exception;

/// <summary>
/// The common second half of both webhooks: check every attachment against the limit before storing any (so a refused
/// email leaves nothing behind), store them, hand the email to the sink.
/// </summary>
public sealed class InboundEmailIntake(IAttachmentStore attachments, IInboundEmailSink sink, IOptions<EmailOptions> options, TimeProvider timeProvider,
    ILogger<InboundEmailIntake> logger)
{
    public async Task<IResult> AcceptAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        try
        {
            var inbound = await StoreAsync(email, cancellationToken);
            await sink.ReceiveAsync(inbound, cancellationToken);
            logger.LogInformation("Accepted inbound email {MessageId} with {Attachments} attachment(s).", inbound.MessageId, inbound.Attachments.Count);
            return Results.Text(new JsonObject
            {
                ["messageId"] = inbound.MessageId,
                ["attachments"] = inbound.Attachments.Count,
            }.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
        }
        catch (AttachmentTooLargeException ex)
        {
            logger.LogWarning("Refused inbound email {MessageId}: {Reason}", email.MessageId, ex.Message);
            return FunctionEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, "Attachment too large", ex.Message);
        }
    }

    /// <summary>Stores the attachments (all checked first) and makes the <see cref="InboundEmail"/>.</summary>
    public async Task<InboundEmail> StoreAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxAttachmentBytes;
        if (email.Attachments.FirstOrDefault(a => a.Content.Length > limit) is { } tooLarge)
        {
            throw new AttachmentTooLargeException(tooLarge.Name, limit);
        }
        var stored = new List<StoredAttachment>(email.Attachments.Count);
        foreach (var attachment in email.Attachments)
        {
            using var content = new MemoryStream(attachment.Content.ToArray(), writable: false);
            stored.Add(await attachments.SaveAsync(attachment.Name, attachment.ContentType, content, cancellationToken));
        }
        return email.ToInboundEmail(stored, timeProvider.GetUtcNow());
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
