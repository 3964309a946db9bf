using System.Text.Json;
using ContactCenter.Core.Channels;
using MimeKit;
using MimeKit.Utils;

namespace ContactCenter.Azure.Email;

/// <summary>A file of a multipart/form-data inbound-parse post.</summary>
public sealed record InboundFormFile(string FieldName, string? FileName, string? ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// The generic inbound-email webhook shapes (besides raw message/rfc822, read by <see cref="MimeEmailReader"/>):
/// <list type="bullet">
/// <item>multipart/form-data as SendGrid Inbound Parse posts it: either <c>email</c> = the raw MIME ("send raw"), or
/// <c>from</c>, <c>to</c>, <c>subject</c>, <c>text</c>, <c>html</c>, <c>headers</c> (the raw header block, where
/// Message-ID, In-Reply-To and References come from) and files <c>attachment1..N</c>, named by
/// <c>attachment-info</c> when present, each text field in the charset the <c>charsets</c> field names;</item>
/// <item>JSON {from, fromName?, to[], subject, text?, html?, messageId?, inReplyTo?, references[]?,
/// attachments[{name, contentType, contentBase64}]?}.</item>
/// </list>
/// </summary>
public static class InboundParseReader
{
    /// <summary>
    /// The form as posted, fields still bytes: "send raw" (<c>email</c>) goes to MimeKit byte for byte (it knows the
    /// message's own charsets); parsed fields are decoded by <see cref="InboundFormCharsets"/> first.
    /// </summary>
    public static async Task<ParsedEmail> ReadFormAsync(IReadOnlyList<InboundFormField> fields, IReadOnlyList<InboundFormFile> files, Action<string> warn,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.LastOrDefault(f => f.Name == "email" && !f.Value.IsEmpty) is { } raw)
        {
            return await MimeEmailReader.ReadAsync(raw.Value, cancellationToken).ConfigureAwait(false);
        }
        return await ReadFormAsync(InboundFormCharsets.Decode(fields, warn), files, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ParsedEmail> ReadFormAsync(IReadOnlyDictionary<string, string> fields, IReadOnlyList<InboundFormFile> files,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(files);
        if (Field(fields, "email") is { Length: > 0 } raw)
        {
            // "Send raw": the whole message, with its own attachments; the other fields only repeat it.
            return await MimeEmailReader.ReadAsync(System.Text.Encoding.UTF8.GetBytes(raw), cancellationToken).ConfigureAwait(false);
        }
        if (files.FirstOrDefault(f => f.FieldName == "email") is { } rawFile)
        {
            return await MimeEmailReader.ReadAsync(rawFile.Content, cancellationToken).ConfigureAwait(false);
        }

        var fromText = Field(fields, "from") ?? throw new InvalidInboundEmailException("The form has no 'from' field (nor 'email' with the raw message).");
        var from = Mailbox(fromText, "from");
        var to = Field(fields, "to") is { } toText ? Mailboxes(toText, "to") : [];
        var headers = Field(fields, "headers") is { Length: > 0 } block ? MimeEmailReader.ReadHeaders(block) : new HeaderList();
        var subject = Field(fields, "subject") ?? headers[HeaderId.Subject] ?? string.Empty;
        var text = Field(fields, "text");
        var html = Field(fields, "html");
        DateTimeOffset? date = headers[HeaderId.Date] is { } dateText && DateUtils.TryParse(dateText, out var parsedDate) ? parsedDate : null;
        var names = AttachmentNames(Field(fields, "attachment-info"));
        var attachments = files
            .Where(f => f.FieldName != "email")
            .Select(f => new EmailAttachment(
                names.TryGetValue(f.FieldName, out var info) && info.Name is { Length: > 0 } n ? n : f.FileName is { Length: > 0 } fn ? fn : f.FieldName,
                names.TryGetValue(f.FieldName, out info) && info.Type is { Length: > 0 } t ? t : f.ContentType is { Length: > 0 } ct ? ct : "application/octet-stream",
                f.Content))
            .ToList();
        return new ParsedEmail
        {
            MessageId = MessageIdHeader(headers, HeaderId.MessageId) ?? ParsedEmail.SyntheticMessageId(from.Address, subject, date, text, html),
            From = from.Address,
            FromName = string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
            To = to,
            Subject = subject,
            Date = date,
            PlainText = text,
            Html = html,
            InReplyTo = MessageIdHeader(headers, HeaderId.InReplyTo),
            References = EmailThreading.ParseMessageIdList(headers[HeaderId.References]),
            Attachments = attachments,
        };
    }

    public static ParsedEmail ReadJson(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidInboundEmailException($"The body is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInboundEmailException($"The JSON email must be an object, not {root.ValueKind}.");
            }
            var from = Mailbox(String(root, "from") ?? throw new InvalidInboundEmailException("'from' is required."), "from");
            var to = new List<string>();
            if (root.TryGetProperty("to", out var toElement))
            {
                foreach (var item in toElement.ValueKind switch
                {
                    JsonValueKind.Array => toElement.EnumerateArray().ToList(),
                    JsonValueKind.String => [toElement],
                    _ => throw new InvalidInboundEmailException("'to' must be an array of addresses."),
                })
                {
                    to.AddRange(Mailboxes(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new InvalidInboundEmailException("'to' must hold strings."), "to"));
                }
            }
            var subject = String(root, "subject") ?? string.Empty;
            var text = String(root, "text");
            var html = String(root, "html");
            var references = new List<string>();
            if (root.TryGetProperty("references", out var refs) && refs.ValueKind != JsonValueKind.Null)
            {
                if (refs.ValueKind == JsonValueKind.String)
                {
                    references.AddRange(EmailThreading.ParseMessageIdList(refs.GetString()));
                }
                else if (refs.ValueKind == JsonValueKind.Array)
                {
                    references.AddRange(refs.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String
                        ? EmailThreading.NormalizeMessageId(r.GetString()) : null).OfType<string>());
                }
                else
                {
                    throw new InvalidInboundEmailException("'references' must be an array of Message-IDs.");
                }
            }
            var attachments = new List<EmailAttachment>();
            if (root.TryGetProperty("attachments", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidInboundEmailException("'attachments' must be an array.");
                }
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw new InvalidInboundEmailException($"attachments[{index}] must be an object.");
                    }
                    var name = String(item, "name") ?? $"attachment{index + 1}";
                    var contentType = String(item, "contentType") ?? "application/octet-stream";
                    var base64 = String(item, "contentBase64") ?? throw new InvalidInboundEmailException($"attachments[{index}].contentBase64 is required.");
                    byte[] content;
                    try
                    {
                        content = Convert.FromBase64String(base64);
                    }
                    catch (FormatException)
                    {
                        throw new InvalidInboundEmailException($"attachments[{index}].contentBase64 is not base64.");
                    }
                    attachments.Add(new EmailAttachment(name, contentType, content));
                    index++;
                }
            }
            return new ParsedEmail
            {
                MessageId = EmailThreading.NormalizeMessageId(String(root, "messageId")) ?? ParsedEmail.SyntheticMessageId(from.Address, subject, null, text, html),
                From = from.Address,
                FromName = String(root, "fromName") ?? (string.IsNullOrWhiteSpace(from.Name) ? null : from.Name),
                To = to,
                Subject = subject,
                PlainText = text,
                Html = html,
                InReplyTo = EmailThreading.NormalizeMessageId(String(root, "inReplyTo")),
                References = references,
                Attachments = attachments,
            };
        }
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidInboundEmailException($"'{name}' must be a string, not {value.ValueKind}."),
        } : null;

    private static string? MessageIdHeader(HeaderList headers, HeaderId id) =>
        headers[id] is { } value ? EmailThreading.ParseMessageIdList(value).FirstOrDefault() : null;

    private static MailboxAddress Mailbox(string text, string field) =>
        MailboxAddress.TryParse(text.Trim(), out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal) ? mailbox
            : throw new InvalidInboundEmailException($"'{field}' is not an email address: '{text}'.");

    private static List<string> Mailboxes(string text, string field) =>
        InternetAddressList.TryParse(text, out var list) ? list.Mailboxes.Select(m => m.Address).ToList()
            : throw new InvalidInboundEmailException($"'{field}' is not a list of email addresses: '{text}'.");

    /// <summary>SendGrid's attachment-info: {"attachment1": {"filename": "a.pdf", "name": "a.pdf", "type": "application/pdf"}}.</summary>
    private static Dictionary<string, (string? Name, string? Type)> AttachmentNames(string? json)
    {
        var names = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return names;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInboundEmailException("'attachment-info' must be a JSON object.");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    var v = property.Value;
                    var fileName = v.TryGetProperty("filename", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()
                        : v.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    var type = v.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    names[property.Name] = (fileName, type);
                }
            }
            return names;
        }
        catch (JsonException ex)
        {
            throw new InvalidInboundEmailException($"'attachment-info' is not JSON: {ex.Message}", ex);
        }
    }
}
