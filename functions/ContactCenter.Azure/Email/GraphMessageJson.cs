using System.Text.Json;
using ContactCenter.Core.Channels;

namespace ContactCenter.Azure.Email;

/// <summary>
/// A Graph message resource (JSON) as a <see cref="ParsedEmail"/> without attachment content: used only when the MIME is
/// too large to fetch. Threading headers come from internetMessageHeaders; every attachment is listed as not kept.
/// </summary>
internal static class GraphMessageJson
{
    public static ParsedEmail Read(ReadOnlySpan<byte> message, ReadOnlySpan<byte> attachments, long messageLimit, long attachmentLimit)
    {
        using var document = Parse(message);
        var root = document.RootElement;
        var from = root.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("emailAddress", out var fa) ? fa : default;
        var fromAddress = Text(from, "address") ?? throw new InvalidInboundEmailException("The Graph message has no from address.");
        var to = root.TryGetProperty("toRecipients", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(r => r.TryGetProperty("emailAddress", out var a) ? Text(a, "address") : null).OfType<string>().ToList()
            : [];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("internetMessageHeaders", out var headerList) && headerList.ValueKind == JsonValueKind.Array)
        {
            foreach (var header in headerList.EnumerateArray())
            {
                if (Text(header, "name") is { } headerName && Text(header, "value") is { } value)
                {
                    headers[headerName] = value;
                }
            }
        }
        var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        var isHtml = string.Equals(Text(body, "contentType"), "html", StringComparison.OrdinalIgnoreCase);
        var content = Text(body, "content");
        var subject = Text(root, "subject") ?? string.Empty;
        DateTimeOffset? date = Text(root, "receivedDateTime") is { } received && DateTimeOffset.TryParse(received, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;

        using var attachmentDocument = Parse(attachments);
        var notKept = attachmentDocument.RootElement.TryGetProperty("value", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select(a => new AttachmentNotKept(
                Text(a, "name") ?? "attachment",
                a.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : null,
                // Graph's size is close to the content's; the ones within the limit were lost only because the whole message was too large.
                a.TryGetProperty("size", out size) && size.TryGetInt64(out bytes) && bytes > attachmentLimit ? attachmentLimit : messageLimit,
                a.TryGetProperty("size", out size) && size.TryGetInt64(out bytes) && bytes > attachmentLimit
                    ? AttachmentNotKept.OverLimit : "part of a message larger than the message limit")).ToList()
            : [];
        return new ParsedEmail
        {
            MessageId = EmailThreading.NormalizeMessageId(Text(root, "internetMessageId"))
                ?? ParsedEmail.SyntheticMessageId(fromAddress, subject, date, isHtml ? null : content, isHtml ? content : null),
            From = fromAddress,
            FromName = Text(from, "name") is { Length: > 0 } name ? name : null,
            To = to,
            Subject = subject,
            Date = date,
            PlainText = isHtml ? null : content,
            Html = isHtml ? content : null,
            InReplyTo = headers.TryGetValue("In-Reply-To", out var inReplyTo) ? EmailThreading.ParseMessageIdList(inReplyTo).FirstOrDefault() : null,
            References = headers.TryGetValue("References", out var references) ? EmailThreading.ParseMessageIdList(references) : [],
            AttachmentsNotKept = notKept,
        };
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object ? document
                : throw new InvalidInboundEmailException("Graph answered JSON that is not an object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidInboundEmailException($"Graph answered something that is not JSON: {ex.Message}", ex);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
