using System.Text.Json.Serialization;

namespace ContactCenter.Azure.Communication;

// Wire shapes of the Call Automation REST API, named as in the published specification
// (azure-rest-api-specs: specification/communication/data-plane/CallAutomation/stable/2025-06-15 and
// Common/preview/2025-03-15-preview/common.json). Only the fields this client sends or reads.
// Properties are PascalCase spellings of the spec's names; the context writes them camelCase and leaves nulls out.

internal sealed class CommunicationIdentifierModel
{
    public string? Kind { get; init; }
    /// <summary>Optional in requests; an identifier of a kind we do not model is sent as its raw id alone, as the SDK does.</summary>
    public string? RawId { get; init; }
    public CommunicationUserIdentifierModel? CommunicationUser { get; init; }
    public PhoneNumberIdentifierModel? PhoneNumber { get; init; }
    public MicrosoftTeamsUserIdentifierModel? MicrosoftTeamsUser { get; init; }
    public MicrosoftTeamsAppIdentifierModel? MicrosoftTeamsApp { get; init; }
}

internal sealed class CommunicationUserIdentifierModel
{
    public required string Id { get; init; }
}

internal sealed class PhoneNumberIdentifierModel
{
    public required string Value { get; init; }
}

internal sealed class MicrosoftTeamsUserIdentifierModel
{
    public required string UserId { get; init; }
    public bool? IsAnonymous { get; init; }
    /// <summary>"public", "dod" or "gcch" (CommunicationCloudEnvironmentModel).</summary>
    public string? Cloud { get; init; }
}

internal sealed class MicrosoftTeamsAppIdentifierModel
{
    public required string AppId { get; init; }
    public string? Cloud { get; init; }
}

internal sealed class AnswerCallRequestModel
{
    public required string IncomingCallContext { get; init; }
    public required string CallbackUri { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class CreateCallRequestModel
{
    public required IReadOnlyList<CommunicationIdentifierModel> Targets { get; init; }
    public PhoneNumberIdentifierModel? SourceCallerIdNumber { get; init; }
    public string? SourceDisplayName { get; init; }
    public string? OperationContext { get; init; }
    public required string CallbackUri { get; init; }
}

internal sealed class RedirectCallRequestModel
{
    public required string IncomingCallContext { get; init; }
    public required CommunicationIdentifierModel Target { get; init; }
}

internal sealed class RejectCallRequestModel
{
    public required string IncomingCallContext { get; init; }
    public string? CallRejectReason { get; init; }
}

internal sealed class TransferToParticipantRequestModel
{
    public required CommunicationIdentifierModel TargetParticipant { get; init; }
    public string? OperationContext { get; init; }
    public CommunicationIdentifierModel? Transferee { get; init; }
}

internal sealed class PlayRequestModel
{
    public required IReadOnlyList<PlaySourceModel> PlaySources { get; init; }
    public IReadOnlyList<CommunicationIdentifierModel>? PlayTo { get; init; }
    public PlayOptionsModel? PlayOptions { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class PlaySourceModel
{
    public required string Kind { get; init; }
    public FileSourceModel? File { get; init; }
    public TextSourceModel? Text { get; init; }
}

internal sealed class FileSourceModel
{
    public required string Uri { get; init; }
}

internal sealed class TextSourceModel
{
    public required string Text { get; init; }
    public string? SourceLocale { get; init; }
    public string? VoiceName { get; init; }
}

internal sealed class PlayOptionsModel
{
    public bool Loop { get; init; }
}

internal sealed class RecognizeRequestModel
{
    public required string RecognizeInputType { get; init; }
    public PlaySourceModel? PlayPrompt { get; init; }
    public required RecognizeOptionsModel RecognizeOptions { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class RecognizeOptionsModel
{
    public bool InterruptPrompt { get; init; }
    public int? InitialSilenceTimeoutInSeconds { get; init; }
    public required CommunicationIdentifierModel TargetParticipant { get; init; }
    public string? SpeechLanguage { get; init; }
    public DtmfOptionsModel? DtmfOptions { get; init; }
    public IReadOnlyList<ChoiceModel>? Choices { get; init; }
    public SpeechOptionsModel? SpeechOptions { get; init; }
}

internal sealed class DtmfOptionsModel
{
    public int? InterToneTimeoutInSeconds { get; init; }
    public int MaxTonesToCollect { get; init; }
    public IReadOnlyList<string>? StopTones { get; init; }
}

internal sealed class ChoiceModel
{
    public required string Label { get; init; }
    public required IReadOnlyList<string> Phrases { get; init; }
    public string? Tone { get; init; }
}

internal sealed class SpeechOptionsModel
{
    public long? EndSilenceTimeoutInMs { get; init; }
}

internal sealed class AddParticipantRequestModel
{
    public PhoneNumberIdentifierModel? SourceCallerIdNumber { get; init; }
    public required CommunicationIdentifierModel ParticipantToAdd { get; init; }
    public int? InvitationTimeoutInSeconds { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class RemoveParticipantRequestModel
{
    public required CommunicationIdentifierModel ParticipantToRemove { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class StartCallRecordingRequestModel
{
    public required string CallConnectionId { get; init; }
    public string? RecordingStateCallbackUri { get; init; }
    public string? RecordingContentType { get; init; }
    public string? RecordingChannelType { get; init; }
    public string? RecordingFormatType { get; init; }
}

internal sealed class CallConnectionPropertiesModel
{
    public string? CallConnectionId { get; init; }
    public string? ServerCallId { get; init; }
    public string? CorrelationId { get; init; }
    public string? CallConnectionState { get; init; }
}

internal sealed class AddParticipantResponseModel
{
    public string? InvitationId { get; init; }
    public string? OperationContext { get; init; }
}

internal sealed class RecordingStateResponseModel
{
    public string? RecordingId { get; init; }
    public string? RecordingState { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnswerCallRequestModel))]
[JsonSerializable(typeof(CreateCallRequestModel))]
[JsonSerializable(typeof(RedirectCallRequestModel))]
[JsonSerializable(typeof(RejectCallRequestModel))]
[JsonSerializable(typeof(TransferToParticipantRequestModel))]
[JsonSerializable(typeof(PlayRequestModel))]
[JsonSerializable(typeof(RecognizeRequestModel))]
[JsonSerializable(typeof(AddParticipantRequestModel))]
[JsonSerializable(typeof(RemoveParticipantRequestModel))]
[JsonSerializable(typeof(StartCallRecordingRequestModel))]
[JsonSerializable(typeof(CallConnectionPropertiesModel))]
[JsonSerializable(typeof(AddParticipantResponseModel))]
[JsonSerializable(typeof(RecordingStateResponseModel))]
internal sealed partial class CallAutomationJsonContext : JsonSerializerContext;
