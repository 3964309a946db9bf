namespace ContactCenter.Core.Channels;

// Provider-neutral shapes of the messaging channels (SMS, email). The domain speaks these; each provider (ACS first)
// adapts its REST API and events to them, so another provider is another implementation of the same interfaces.

/// <summary>A text to send. <see cref="From"/> is one of our numbers (E.164); <see cref="To"/> the customer's.</summary>
public sealed record OutgoingSms(string From, string To, string Text)
{
    /// <summary>Ask the provider for a delivery report (arrives later as <see cref="SmsDeliveryReport"/>).</summary>
    public bool DeliveryReport { get; init; } = true;

    /// <summary>Our reference, echoed in the delivery report where the provider supports it.</summary>
    public string? Tag { get; init; }
}

/// <summary>The provider took the text (or refused it): its message id correlates the delivery report.</summary>
public sealed record SmsSendResult(string To, string? MessageId, bool Accepted, int? HttpStatusCode = null, string? Error = null);

public interface ISmsProvider
{
    /// <summary>Sends one text. Transient provider failures throw (the caller retries); a refusal is a result with <see cref="SmsSendResult.Accepted"/> false.</summary>
    Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default);
}

/// <summary>A text a customer sent us.</summary>
public sealed record InboundSms(string MessageId, string From, string To, string Text, DateTimeOffset ReceivedAt);

/// <summary>What became of a text we sent: Delivered, Failed, Expired ... as the provider says, plus details.</summary>
public sealed record SmsDeliveryReport(string MessageId, string From, string To, string Status, string? Details, DateTimeOffset At)
{
    public string? Tag { get; init; }
}

/// <summary>A file attached to an email, as stored (see <see cref="IAttachmentStore"/>).</summary>
public sealed record StoredAttachment(string Id, string Name, string ContentType, long Length, Uri Location);

public sealed record EmailAttachment(string Name, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>An email to send. Threading headers keep the customer's mail client showing one conversation.</summary>
public sealed record OutgoingEmail(string From, IReadOnlyList<string> To, string Subject)
{
    public string? PlainText { get; init; }
    public string? Html { get; init; }

    /// <summary>Our Message-ID for this email ("&lt;id@domain&gt;"); replies name it in In-Reply-To.</summary>
    public string? MessageId { get; init; }

    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
}

public enum EmailSendState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}

/// <summary>The provider's long-running send: <see cref="OperationId"/> is what delivery reports and polling refer to.</summary>
public sealed record EmailSendResult(string OperationId, EmailSendState State, string? Error = null);

public interface IEmailProvider
{
    /// <summary>Starts sending; transient failures throw (the caller retries), a refusal is a Failed result.</summary>
    Task<EmailSendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default);

    /// <summary>Where the send stands now.</summary>
    Task<EmailSendResult> GetStatusAsync(string operationId, CancellationToken cancellationToken = default);
}

/// <summary>An email a customer sent us, however it arrived (Graph notification, inbound-parse webhook ...).</summary>
public sealed record InboundEmail(string MessageId, string From, IReadOnlyList<string> To, string Subject, DateTimeOffset ReceivedAt)
{
    public string? FromName { get; init; }
    public string? PlainText { get; init; }
    public string? Html { get; init; }
    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<StoredAttachment> Attachments { get; init; } = [];

    /// <summary>Attachments the customer sent that were not kept (over the size limit): the message is filed without them.</summary>
    public IReadOnlyList<AttachmentNotKept> AttachmentsNotKept { get; init; } = [];
}

/// <summary>
/// An attachment an inbound email carried but we did not keep, and why — so the agent can ask the customer for it another way.
/// <see cref="Length"/> is null when the size is unknown (e.g. Graph did not report it).
/// </summary>
public sealed record AttachmentNotKept(string Name, long? Length, long Limit, string Reason)
{
    public const string OverLimit = "larger than the attachment limit";

    /// <summary>One line for the timeline: name, size, limit and reason.</summary>
    public string Describe() =>
        $"{Name} ({(Length is { } length ? $"{length} bytes" : "size unknown")}) not kept: {Reason} of {Limit} bytes; ask the customer to send it another way";
}

/// <summary>What became of an email we sent, per recipient: Delivered, Bounced, Suppressed, Failed ...</summary>
public sealed record EmailDeliveryReport(string OperationId, string Recipient, string Status, string? Details, DateTimeOffset At);

/// <summary>
/// Keeps email attachments (Blob Storage in Azure, Azurite in tests), refusing any over the size limit. Ids are chosen by
/// the caller and deterministic (see <see cref="AttachmentIds"/>), so a redelivered email stores nothing twice.
/// </summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Stores the content under <paramref name="id"/> unless something is already there, in which case the stored
    /// attachment is returned unchanged (the id names the content, so it is the same one). Throws
    /// <see cref="AttachmentTooLargeException"/> without storing anything when the content is over the limit.
    /// </summary>
    Task<StoredAttachment> SaveAsync(string id, string name, string contentType, Stream content, CancellationToken cancellationToken = default);

    Task<Stream?> OpenAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Deterministic attachment ids: the same email delivered twice names its attachments the same way.</summary>
public static class AttachmentIds
{
    /// <summary>
    /// "{hash of the Message-ID}-{index}-{hash of the content}": the message's attachments sort together, and a different
    /// file under a reused Message-ID gets its own id instead of overwriting the first. Safe as a blob name and in a URL.
    /// </summary>
    public static string For(string messageId, int index, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var message = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..32];
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))[..32];
        return $"{message}-{index:D3}-{hash}";
    }
}

public sealed class AttachmentTooLargeException(string name, long limit)
    : Exception($"Attachment '{name}' is larger than the {limit / (1024 * 1024)} MiB allowed.")
{
    public string Name { get; } = name;
    public long Limit { get; } = limit;
}
