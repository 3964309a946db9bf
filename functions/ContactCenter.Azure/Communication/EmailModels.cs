using System.Text.Json.Serialization;

namespace ContactCenter.Azure.Communication;

// Wire shapes of the ACS Email REST API, named as in the published specification
// (azure-rest-api-specs: specification/communication/data-plane/Email/stable/2023-03-31/CommunicationServicesEmail.json).

internal sealed class EmailMessageModel
{
    public IDictionary<string, string>? Headers { get; init; }
    public required string SenderAddress { get; init; }
    public required EmailContentModel Content { get; init; }
    public required EmailRecipientsModel Recipients { get; init; }
    public IReadOnlyList<EmailAttachmentModel>? Attachments { get; init; }
    public IReadOnlyList<EmailAddressModel>? ReplyTo { get; init; }
    public bool? UserEngagementTrackingDisabled { get; init; }
}

internal sealed class EmailContentModel
{
    public required string Subject { get; init; }
    public string? PlainText { get; init; }
    public string? Html { get; init; }
}

internal sealed class EmailRecipientsModel
{
    public required IReadOnlyList<EmailAddressModel> To { get; init; }
}

internal sealed class EmailAddressModel
{
    public required string Address { get; init; }
    public string? DisplayName { get; init; }
}

internal sealed class EmailAttachmentModel
{
    public required string Name { get; init; }
    public required string ContentType { get; init; }
    public required string ContentInBase64 { get; init; }
}

internal sealed class EmailSendResultModel
{
    public string? Id { get; init; }
    public string? Status { get; init; }
    public EmailErrorModel? Error { get; init; }
}

internal sealed class EmailErrorModel
{
    public string? Code { get; init; }
    public string? Message { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmailMessageModel))]
[JsonSerializable(typeof(EmailSendResultModel))]
internal sealed partial class EmailJsonContext : JsonSerializerContext;
