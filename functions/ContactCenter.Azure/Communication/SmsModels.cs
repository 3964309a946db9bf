using System.Text.Json.Serialization;

namespace ContactCenter.Azure.Communication;

// Wire shapes of the ACS SMS REST API, named as in the published specification (azure-rest-api-specs:
// specification/communication/data-plane/Sms/stable/2021-03-07/communicationservicessms.json). Only the fields this
// client sends or reads; written camelCase, nulls left out.

internal sealed class SendMessageRequestModel
{
    public required string From { get; init; }
    public required IReadOnlyList<SmsRecipientModel> SmsRecipients { get; init; }
    public required string Message { get; init; }
    public SmsSendOptionsModel? SmsSendOptions { get; init; }
}

internal sealed class SmsRecipientModel
{
    public required string To { get; init; }
    public string? RepeatabilityRequestId { get; init; }
    public string? RepeatabilityFirstSent { get; init; }
}

internal sealed class SmsSendOptionsModel
{
    // Required by the specification, so always written even when false.
    public bool EnableDeliveryReport { get; init; }
    public string? Tag { get; init; }
}

internal sealed class SmsSendResponseModel
{
    public IReadOnlyList<SmsSendResponseItemModel>? Value { get; init; }
}

internal sealed class SmsSendResponseItemModel
{
    public string? To { get; init; }
    public string? MessageId { get; init; }
    public int HttpStatusCode { get; init; }
    public string? RepeatabilityResult { get; init; }
    public bool Successful { get; init; }
    public string? ErrorMessage { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageRequestModel))]
[JsonSerializable(typeof(SmsSendResponseModel))]
internal sealed partial class SmsJsonContext : JsonSerializerContext;
