using ContactCenter.Core.Voice;

namespace ContactCenter.Azure.Communication;

/// <summary>From the provider-neutral voice requests to Call Automation's wire models (enum spellings as in the spec).</summary>
internal static class CallAutomationMapping
{
    /// <summary>
    /// As the SDK's serializer writes them (Azure/azure-sdk-for-net sdk/communication/Shared/src/CommunicationIdentifierSerializer.cs):
    /// Teams users and apps with their raw id, cloud and (users) isAnonymous; an identifier of a kind we do not know as
    /// its raw id alone, which the service resolves.
    /// </summary>
    public static CommunicationIdentifierModel Identifier(CallTarget target) => target switch
    {
        CallTarget.PhoneNumber phone => new() { Kind = "phoneNumber", PhoneNumber = Phone(phone) },
        CallTarget.CommunicationUser user => new() { Kind = "communicationUser", CommunicationUser = new() { Id = user.Id } },
        CallTarget.TeamsUser { IsAnonymous: false, Cloud: CallTarget.PublicCloud } teams =>
            new() { Kind = "microsoftTeamsUser", MicrosoftTeamsUser = new() { UserId = teams.UserId } },
        CallTarget.TeamsUser teams => new()
        {
            Kind = "microsoftTeamsUser",
            RawId = CallAddresses.ToRawId(teams),
            MicrosoftTeamsUser = new() { UserId = teams.UserId, IsAnonymous = teams.IsAnonymous, Cloud = teams.Cloud },
        },
        CallTarget.TeamsApp app => new()
        {
            Kind = "microsoftTeamsApp",
            RawId = CallAddresses.ToRawId(app),
            MicrosoftTeamsApp = new() { AppId = app.AppId, Cloud = app.Cloud },
        },
        CallTarget.Unknown unknown => new() { RawId = unknown.RawId },
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown call target."),
    };

    public static PhoneNumberIdentifierModel Phone(CallTarget.PhoneNumber phone) => new() { Value = phone.Value };

    public static PlaySourceModel Source(PlaySource source) => source switch
    {
        PlaySource.TextToSpeech tts => new()
        {
            Kind = "text",
            Text = new() { Text = tts.Text, VoiceName = tts.VoiceName, SourceLocale = tts.Language },
        },
        PlaySource.AudioFile file => new() { Kind = "file", File = new() { Uri = file.Url.AbsoluteUri } },
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown play source."),
    };

    public static PlayRequestModel Play(PlayRequest request) => new()
    {
        PlaySources = [Source(request.Source)],
        PlayTo = request.To is null ? null : [Identifier(request.To)],
        PlayOptions = new() { Loop = request.Loop },
        OperationContext = request.OperationContext,
    };

    public static RecognizeRequestModel Recognize(RecognizeRequest request)
    {
        var (inputType, language, dtmf, choices, speech) = request.Input switch
        {
            RecognizeInput.Dtmf d => ("dtmf", (string?)null, new DtmfOptionsModel
            {
                MaxTonesToCollect = d.MaxTones,
                InterToneTimeoutInSeconds = Seconds(d.InterToneTimeout),
                StopTones = d.StopTones.Count == 0 ? null : [.. d.StopTones.Select(Tone)],
            }, (IReadOnlyList<ChoiceModel>?)null, (SpeechOptionsModel?)null),
            RecognizeInput.Speech s => ("speech", s.Language, null, null,
                s.EndSilenceTimeout is { } end ? new SpeechOptionsModel { EndSilenceTimeoutInMs = (long)end.TotalMilliseconds } : null),
            RecognizeInput.Choices c => ("choices", c.Language, null,
                [.. c.Options.Select(o => new ChoiceModel { Label = o.Label, Phrases = o.Phrases, Tone = o.Tone is { } t ? Tone(t) : null })], null),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Input, "Unknown recognize input."),
        };
        return new()
        {
            RecognizeInputType = inputType,
            PlayPrompt = request.Prompt is null ? null : Source(request.Prompt),
            OperationContext = request.OperationContext,
            RecognizeOptions = new()
            {
                TargetParticipant = Identifier(request.Participant),
                InterruptPrompt = request.InterruptPrompt,
                InitialSilenceTimeoutInSeconds = Seconds(request.InitialSilenceTimeout),
                SpeechLanguage = language,
                DtmfOptions = dtmf,
                Choices = choices,
                SpeechOptions = speech,
            },
        };
    }

    public static string Tone(DtmfTone tone) => tone switch
    {
        DtmfTone.Zero => "zero",
        DtmfTone.One => "one",
        DtmfTone.Two => "two",
        DtmfTone.Three => "three",
        DtmfTone.Four => "four",
        DtmfTone.Five => "five",
        DtmfTone.Six => "six",
        DtmfTone.Seven => "seven",
        DtmfTone.Eight => "eight",
        DtmfTone.Nine => "nine",
        DtmfTone.A => "a",
        DtmfTone.B => "b",
        DtmfTone.C => "c",
        DtmfTone.D => "d",
        DtmfTone.Pound => "pound",
        DtmfTone.Asterisk => "asterisk",
        _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Unknown DTMF tone."),
    };

    public static string? RejectReason(CallRejectReason reason) => reason switch
    {
        CallRejectReason.None => "none",
        CallRejectReason.Busy => "busy",
        CallRejectReason.Forbidden => "forbidden",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
    };

    public static StartCallRecordingRequestModel Recording(StartRecordingRequest request) => new()
    {
        CallConnectionId = request.CallConnectionId,
        RecordingStateCallbackUri = request.StateCallbackUri?.AbsoluteUri,
        RecordingContentType = request.Content switch
        {
            RecordingContent.Audio => "audio",
            RecordingContent.AudioVideo => "audioVideo",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Content, "Unknown recording content."),
        },
        RecordingChannelType = request.Channels switch
        {
            RecordingChannels.Mixed => "mixed",
            RecordingChannels.Unmixed => "unmixed",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Channels, "Unknown recording channels."),
        },
        RecordingFormatType = request.Format switch
        {
            RecordingFormat.Wav => "wav",
            RecordingFormat.Mp3 => "mp3",
            RecordingFormat.Mp4 => "mp4",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Format, "Unknown recording format."),
        },
    };

    // The API takes whole seconds; round up so a timeout is never shorter than asked.
    private static int? Seconds(TimeSpan? value) => value is { } t ? (int)Math.Ceiling(t.TotalSeconds) : null;
}
