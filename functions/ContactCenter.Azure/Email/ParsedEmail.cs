using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.Channels;

namespace ContactCenter.Azure.Email;

/// <summary>
/// An inbound email as read from whatever delivered it, attachments still in memory: the step before the attachments
/// are stored and it becomes an <see cref="InboundEmail"/>. Message-IDs are normalized to "&lt;id&gt;".
/// </summary>
public sealed record ParsedEmail
{
    public required string MessageId { get; init; }
    public required string From { get; init; }
    public string? FromName { get; init; }
    public IReadOnlyList<string> To { get; init; } = [];
    public string Subject { get; init; } = string.Empty;
    public DateTimeOffset? Date { get; init; }
    public string? PlainText { get; init; }
    public string? Html { get; init; }
    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    /// <summary>Attachments known only by name and size (the reader could not take their content, e.g. Graph's message was too large to fetch whole).</summary>
    public IReadOnlyList<AttachmentNotKept> AttachmentsNotKept { get; init; } = [];

    /// <summary>The provider-neutral email, with the attachments as stored and those that were not.</summary>
    public InboundEmail ToInboundEmail(IReadOnlyList<StoredAttachment> attachments, IReadOnlyList<AttachmentNotKept> notKept, DateTimeOffset receivedAt) =>
        new(MessageId, From, To, Subject, receivedAt)
        {
            FromName = FromName,
            PlainText = PlainText,
            Html = Html,
            InReplyTo = InReplyTo,
            References = References,
            Attachments = attachments,
            AttachmentsNotKept = notKept,
        };

    /// <summary>
    /// A stable stand-in when the sender gave no Message-ID: the same email posted twice gets the same id, so the
    /// sink's idempotency still holds.
    /// </summary>
    internal static string SyntheticMessageId(string from, string subject, DateTimeOffset? date, string? text, string? html)
    {
        var material = string.Join('\n', from, subject, date?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", text ?? "", html ?? "");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..32].ToLowerInvariant();
        return $"<{hash}@inbound.invalid>";
    }
}

/// <summary>The inbound post is not an email we can read; the message says what is wrong (answered as 400).</summary>
public sealed class InvalidInboundEmailException(string message, Exception? inner = null) : Exception(message, inner);
