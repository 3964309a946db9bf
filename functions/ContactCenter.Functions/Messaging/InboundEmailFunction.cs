using System.Text.Json.Nodes;
using ContactCenter.Azure.Email;
using ContactCenter.Core.Channels;
using ContactCenter.Functions.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// POST /api/email/inbound: a generic inbound-email post — multipart/form-data (SendGrid Inbound Parse fields, or
/// <c>email</c> = raw MIME), message/rfc822 (the raw message), or application/json (see <see cref="InboundParseReader"/>).
/// Stores the attachments, then hands the email to <see cref="IInboundEmailSink"/> (see <see cref="InboundEmailIntake"/>:
/// an attachment over the limit is left out and named in the answer and on the timeline, the message is still filed).
/// 400 for what cannot be read, 413 only when the whole post is over <c>Email:MaxMessageBytes</c>, 415 for another content type.
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
        var parsed = request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var header) ? header : null;
        var mediaType = parsed?.MediaType.Value?.ToLowerInvariant();
        ParsedEmail email;
        try
        {
            email = mediaType switch
            {
                "multipart/form-data" => await ReadFormAsync(context, HeaderUtilities.RemoveQuotes(parsed!.Boundary).Value, limit),
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

    /// <summary>
    /// Reads the multipart form by hand (not FormFeature): text fields must stay bytes until the <c>charsets</c> field
    /// says how to decode them. The body is buffered up to the post limit first, so an over-long post is a 413.
    /// </summary>
    private async Task<ParsedEmail> ReadFormAsync(HttpContext context, string? boundary, long limit)
    {
        if (string.IsNullOrEmpty(boundary))
        {
            throw new InvalidInboundEmailException("A multipart/form-data post needs a boundary.");
        }
        var body = await InboundEmailIntake.ReadBodyAsync(context.Request, limit, context.RequestAborted);
        var reader = new MultipartReader(boundary, new MemoryStream(body.ToArray(), writable: false)) { BodyLengthLimit = limit };
        var fields = new List<InboundFormField>();
        var files = new List<InboundFormFile>();
        while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition()
                && !disposition.IsFileDisposition())
            {
                throw new InvalidInboundEmailException("Every form part needs Content-Disposition: form-data with a name.");
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (string.IsNullOrEmpty(name))
            {
                throw new InvalidInboundEmailException("A form part has no name.");
            }
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content, context.RequestAborted);
            var mediaType = section.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsedType) ? parsedType : null;
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                files.Add(new InboundFormFile(name, fileName, mediaType?.MediaType.Value, content.ToArray()));
            }
            else
            {
                fields.Add(new InboundFormField(name, content.ToArray(), HeaderUtilities.RemoveQuotes(mediaType?.Charset ?? default).Value));
            }
        }
        return await InboundParseReader.ReadFormAsync(fields, files, warning => logger.LogWarning("Inbound email form: {Warning}", warning), context.RequestAborted);
    }

    private sealed class UnsupportedMediaException : Exception;
}
