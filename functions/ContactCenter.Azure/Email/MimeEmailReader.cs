using System.Text;
using ContactCenter.Core.Channels;
using MimeKit;

namespace ContactCenter.Azure.Email;

/// <summary>
/// Reads an RFC 5322 message (the raw MIME of an inbound-parse post, or of a Graph message's $value) with MimeKit:
/// folded headers, RFC 2047 encoded words, multipart/alternative and /mixed, base64 and quoted-printable, charsets.
/// The first text/plain and text/html body parts are the text; every attachment part (and inline part with a file
/// name, such as a pasted image) is an attachment.
/// </summary>
public static class MimeEmailReader
{
    public static async Task<ParsedEmail> ReadAsync(Stream mime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mime);
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(mime, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            throw new InvalidInboundEmailException($"The body is not an RFC 5322 message: {ex.Message}", ex);
        }
        using (message)
        {
            return FromMessage(message);
        }
    }

    public static Task<ParsedEmail> ReadAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken = default) =>
        ReadAsync(new MemoryStream(mime.ToArray(), writable: false), cancellationToken);

    internal static ParsedEmail FromMessage(MimeMessage message)
    {
        if (message.Headers.Count == 0)
        {
            throw new InvalidInboundEmailException("The message has no headers.");
        }
        var from = message.From.Mailboxes.FirstOrDefault()
            ?? message.Sender
            ?? throw new InvalidInboundEmailException("The message has no From address.");
        var attachments = new List<EmailAttachment>();
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (part.IsAttachment || (part is not TextPart && part.FileName is not null))
            {
                attachments.Add(Attachment(part));
            }
        }
        var subject = message.Subject ?? string.Empty;
        var date = message.Headers.Contains(HeaderId.Date) ? message.Date : (DateTimeOffset?)null;
        var text = message.TextBody;
        var html = message.HtmlBody;
        return new ParsedEmail
        {
            MessageId = EmailThreading.NormalizeMessageId(message.MessageId)
                ?? ParsedEmail.SyntheticMessageId(from.Address, subject, date, text, html),
            From = from.Address,
            FromName = string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
            To = message.To.Mailboxes.Select(m => m.Address).ToList(),
            Subject = subject,
            Date = date,
            PlainText = text,
            Html = html,
            InReplyTo = EmailThreading.NormalizeMessageId(message.InReplyTo),
            References = message.References.Select(id => $"<{id}>").ToList(),
            Attachments = attachments,
        };
    }

    /// <summary>Threading headers from a raw header block (SendGrid's "headers" field): Message-ID, In-Reply-To, References, Date.</summary>
    internal static HeaderList ReadHeaders(string headerBlock)
    {
        var bytes = Encoding.UTF8.GetBytes(headerBlock.TrimEnd() + "\r\n\r\n");
        try
        {
            return HeaderList.Load(new MemoryStream(bytes));
        }
        catch (FormatException ex)
        {
            throw new InvalidInboundEmailException($"The 'headers' field is not an RFC 5322 header block: {ex.Message}", ex);
        }
    }

    private static EmailAttachment Attachment(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        var name = part.FileName is { Length: > 0 } fileName ? fileName : "attachment";
        return new EmailAttachment(name, part.ContentType.MimeType, content.ToArray());
    }
}
