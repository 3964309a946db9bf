using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Core.Events;
using ContactCenter.Core.Voice;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Reads what ACS Call Automation posts to a call's callback URI — a JSON array of CloudEvents 1.0 (a single object is
/// accepted too) whose <c>type</c> is <c>Microsoft.Communication.&lt;EventName&gt;</c> — into provider-neutral
/// <see cref="CallEvent"/>s, and the Event Grid IncomingCall event's data into an <see cref="IncomingCall"/>.
/// Field names follow the Call Automation REST specification (api-version 2025-06-15).
/// </summary>
/// <remarks>
/// Read with <see cref="JsonDocument"/>, no reflection, so Native AOT keeps it. A batch is all or nothing: one bad
/// event rejects the whole body with <see cref="InvalidCallEventException"/>, so nothing is half-applied and the
/// caller can answer 400.
/// </remarks>
public static class CallAutomationEventParser
{
    public const string TypePrefix = "Microsoft.Communication.";
    public const string IncomingCallType = "Microsoft.Communication.IncomingCall";

    /// <summary>Events in one callback body, in the order ACS sent them.</summary>
    public static IReadOnlyList<CallEvent> Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidCallEventException($"The callback body is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    public static IReadOnlyList<CallEvent> Parse(string json) => Parse(Encoding.UTF8.GetBytes(json ?? string.Empty));

    /// <summary>
    /// Every readable event of a callback body, and each unreadable one with its reason and JSON, so one event of a kind
    /// we cannot read does not cost the others. Throws <see cref="InvalidCallEventException"/> only when the body is not
    /// JSON, not an event or array of events, or an empty array.
    /// </summary>
    public static CallEventBatch ParseBatch(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json ?? string.Empty);
        }
        catch (JsonException ex)
        {
            throw new InvalidCallEventException($"The callback body is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var body = document.RootElement;
            var elements = body.ValueKind switch
            {
                JsonValueKind.Object => [body],
                JsonValueKind.Array => body.EnumerateArray().ToList(),
                _ => throw new InvalidCallEventException($"The callback body must be a CloudEvent object or an array of them, not {body.ValueKind}."),
            };
            if (elements.Count == 0)
            {
                throw new InvalidCallEventException("The callback body is an empty array; expected at least one CloudEvent.");
            }
            var events = new List<CallEvent>(elements.Count);
            var unreadable = new List<UnreadableCallEvent>();
            for (var i = 0; i < elements.Count; i++)
            {
                try
                {
                    events.Add(ParseEvent(elements[i], body.ValueKind == JsonValueKind.Array ? i : null));
                }
                catch (InvalidCallEventException ex)
                {
                    var id = elements[i].ValueKind == JsonValueKind.Object && elements[i].TryGetProperty("id", out var idValue)
                        && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                    unreadable.Add(new UnreadableCallEvent(id, ex.Message, elements[i].GetRawText()));
                }
            }
            return new CallEventBatch(events, unreadable);
        }
    }

    public static IReadOnlyList<CallEvent> Parse(JsonElement body)
    {
        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                return [ParseEvent(body, null)];
            case JsonValueKind.Array:
                var events = new List<CallEvent>(body.GetArrayLength());
                var index = 0;
                foreach (var element in body.EnumerateArray())
                {
                    events.Add(ParseEvent(element, index++));
                }
                if (events.Count == 0)
                {
                    throw new InvalidCallEventException("The callback body is an empty array; expected at least one CloudEvent.");
                }
                return events;
            default:
                throw new InvalidCallEventException($"The callback body must be a CloudEvent object or an array of them, not {body.ValueKind}.");
        }
    }

    /// <summary>
    /// The IncomingCall Event Grid event's data (the envelope already read by EventGrid.EventGridEventReader).
    /// Identifiers become phone numbers in E.164 ("+14255550100") when they are phone numbers, raw ids otherwise.
    /// </summary>
    public static IncomingCall ParseIncomingCall(InboundEvent inboundEvent)
    {
        ArgumentNullException.ThrowIfNull(inboundEvent);
        if (inboundEvent.Type != IncomingCallType)
        {
            throw new InvalidCallEventException($"Event {inboundEvent.Id} is a {inboundEvent.Type}, not a {IncomingCallType}.");
        }
        var data = inboundEvent.Data;
        var where = $"IncomingCall {inboundEvent.Id}";
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCallEventException($"{where}: 'data' must be an object, not {data.ValueKind}.");
        }
        var from = Address(RequiredObject(data, "from", where), $"{where} 'from'");
        var to = Address(RequiredObject(data, "to", where), $"{where} 'to'");
        return new IncomingCall(RequiredString(data, "incomingCallContext", where), from, to, inboundEvent.Time)
        {
            ServerCallId = OptionalString(data, "serverCallId", where),
            CorrelationId = OptionalString(data, "correlationId", where),
            CallerDisplayName = OptionalString(data, "callerDisplayName", where),
        };
    }

    /// <summary>
    /// The E.164 number of a phone identifier (normalized: ACS may write it without '+', see <see cref="AcsPhoneNumbers"/>),
    /// otherwise its raw id: a phone id that holds no number ("4:anonymous" for a withheld caller id) stays raw.
    /// </summary>
    internal static string Address(JsonElement identifier, string where)
    {
        if (OptionalObject(identifier, "phoneNumber", where) is { } phone && OptionalString(phone, "value", where) is { Length: > 0 } number
            && AcsPhoneNumbers.ToE164(number) is { } e164)
        {
            return e164;
        }
        var rawId = RawId(identifier, where);
        return rawId.StartsWith("4:", StringComparison.OrdinalIgnoreCase) && AcsPhoneNumbers.ToE164(rawId) is { } fromRaw ? fromRaw : rawId;
    }

    /// <summary>
    /// The identifier's rawId, or when an older service left it out, the raw id its kind's own field makes, by the
    /// prefixes of Azure/azure-sdk-for-net sdk/communication/Azure.Communication.Common/src/CommunicationIdentifier.cs
    /// ("4:" phone, "8:teamsvisitor:" / "8:orgid:" / "8:dod:" / "8:gcch:" Teams users, "28:orgid:" / "28:dod:" / "28:gcch:" Teams apps).
    /// </summary>
    internal static string RawId(JsonElement identifier, string where)
    {
        if (identifier.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCallEventException($"{where}: an identifier must be an object, not {identifier.ValueKind}.");
        }
        if (OptionalString(identifier, "rawId", where) is { Length: > 0 } rawId)
        {
            return rawId;
        }
        if (OptionalObject(identifier, "phoneNumber", where) is { } phone && OptionalString(phone, "value", where) is { Length: > 0 } number)
        {
            return "4:" + number;
        }
        if (OptionalObject(identifier, "communicationUser", where) is { } user && OptionalString(user, "id", where) is { Length: > 0 } id)
        {
            return id;
        }
        if (OptionalObject(identifier, "microsoftTeamsUser", where) is { } teams && OptionalString(teams, "userId", where) is { Length: > 0 } userId)
        {
            var anonymous = teams.TryGetProperty("isAnonymous", out var flag) && flag.ValueKind == JsonValueKind.True;
            return anonymous ? "8:teamsvisitor:" + userId : $"8:{CloudSegment(OptionalString(teams, "cloud", where))}:{userId}";
        }
        if (OptionalObject(identifier, "microsoftTeamsApp", where) is { } app && OptionalString(app, "appId", where) is { Length: > 0 } appId)
        {
            return $"28:{CloudSegment(OptionalString(app, "cloud", where))}:{appId}";
        }
        throw new InvalidCallEventException($"{where}: the identifier has no 'rawId' (nor a phoneNumber, communicationUser, microsoftTeamsUser or microsoftTeamsApp to make one from).");
    }

    private static string CloudSegment(string? cloud) => cloud?.ToLowerInvariant() switch
    {
        null or "" or "public" => "orgid",
        var other => other,
    };

    private static CallEvent ParseEvent(JsonElement json, int? index)
    {
        var at = index is { } i ? $"Event [{i}]" : "The event";
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCallEventException($"{at} must be a CloudEvent object, not {json.ValueKind}.");
        }
        var id = RequiredString(json, "id", at);
        var where = index is { } n ? $"Event [{n}] ({id})" : $"Event {id}";
        var type = RequiredString(json, "type", where);
        if (OptionalString(json, "specversion", where) is { } version && version != "1.0")
        {
            throw new InvalidCallEventException($"{where}: CloudEvents specversion '{version}' is not supported; expected '1.0'.");
        }
        var time = OptionalString(json, "time", where) is { } text ? Timestamp(text, where) : DateTimeOffset.MinValue;
        var data = RequiredObject(json, "data", where);
        var callConnectionId = RequiredString(data, "callConnectionId", where + " data");
        var name = type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : null;
        where += $" ({type})";

        CallEvent callEvent = name switch
        {
            "CallConnected" => new CallConnected(id, callConnectionId, time),
            "CallDisconnected" => new CallDisconnected(id, callConnectionId, time),
            "CreateCallFailed" => new CreateCallFailed(id, callConnectionId, time),
            "PlayCompleted" => new PlayCompleted(id, callConnectionId, time),
            "PlayFailed" => new PlayFailed(id, callConnectionId, time),
            "PlayCanceled" or "RecognizeCanceled" => new MediaCancelled(id, callConnectionId, time),
            "RecognizeCompleted" => RecognizeCompleted(id, callConnectionId, time, data, where),
            "RecognizeFailed" => new RecognizeFailed(id, callConnectionId, time, FailureReason(data, where)),
            "AddParticipantSucceeded" => new AddParticipantSucceeded(id, callConnectionId, time, Participant(data, where)),
            "AddParticipantFailed" => new AddParticipantFailed(id, callConnectionId, time, Participant(data, where)),
            "RemoveParticipantSucceeded" => new RemoveParticipantSucceeded(id, callConnectionId, time, Participant(data, where)),
            "CallTransferAccepted" => new CallTransferAccepted(id, callConnectionId, time),
            "CallTransferFailed" => new CallTransferFailed(id, callConnectionId, time),
            "ParticipantsUpdated" => new ParticipantsUpdated(id, callConnectionId, time, Participants(data, where), OptionalInt(data, "sequenceNumber", where)),
            "RecordingStateChanged" => new RecordingStateChanged(id, callConnectionId, time,
                OptionalString(data, "recordingId", where), OptionalString(data, "state", where)),
            _ => new OtherCallEvent(id, callConnectionId, time, type),
        };
        var result = OptionalObject(data, "resultInformation", where);
        return callEvent with
        {
            ServerCallId = OptionalString(data, "serverCallId", where),
            CorrelationId = OptionalString(data, "correlationId", where),
            OperationContext = OptionalString(data, "operationContext", where),
            ResultCode = result is { } r ? OptionalInt(r, "code", where + " resultInformation") : null,
            ResultSubCode = result is { } s ? OptionalInt(s, "subCode", where + " resultInformation") : null,
            ResultMessage = result is { } m ? OptionalString(m, "message", where + " resultInformation") : null,
        };
    }

    private static RecognizeCompleted RecognizeCompleted(string id, string callConnectionId, DateTimeOffset time, JsonElement data, string where)
    {
        var recognitionType = OptionalString(data, "recognitionType", where);
        var completed = new RecognizeCompleted(id, callConnectionId, time);
        switch (recognitionType?.ToLowerInvariant())
        {
            case "dtmf":
                var dtmf = OptionalObject(data, "dtmfResult", where)
                    ?? throw new InvalidCallEventException($"{where}: recognitionType 'dtmf' needs a 'dtmfResult' object.");
                return completed with { Tones = Tones(dtmf, where) };
            case "choices":
                var choice = OptionalObject(data, "choiceResult", where)
                    ?? throw new InvalidCallEventException($"{where}: recognitionType 'choices' needs a 'choiceResult' object.");
                return completed with
                {
                    ChoiceLabel = OptionalString(choice, "label", where + " choiceResult"),
                    RecognizedPhrase = OptionalString(choice, "recognizedPhrase", where + " choiceResult"),
                };
            case "speech":
                var speech = OptionalObject(data, "speechResult", where)
                    ?? throw new InvalidCallEventException($"{where}: recognitionType 'speech' needs a 'speechResult' object.");
                return completed with { Speech = OptionalString(speech, "speech", where + " speechResult") };
            default:
                // No or an unknown recognitionType: take whichever result ACS sent, so a newer kind still carries its input.
                return completed with
                {
                    Tones = OptionalObject(data, "dtmfResult", where) is { } d ? Tones(d, where) : null,
                    ChoiceLabel = OptionalObject(data, "choiceResult", where) is { } c ? OptionalString(c, "label", where) : null,
                    RecognizedPhrase = OptionalObject(data, "choiceResult", where) is { } p ? OptionalString(p, "recognizedPhrase", where) : null,
                    Speech = OptionalObject(data, "speechResult", where) is { } s ? OptionalString(s, "speech", where) : null,
                };
        }
    }

    /// <summary>The spec's Tone names ("zero".."nine", "asterisk", "pound", "a".."d") as the characters a caller presses.</summary>
    private static string Tones(JsonElement dtmfResult, string where)
    {
        if (!dtmfResult.TryGetProperty("tones", out var tones) || tones.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }
        if (tones.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidCallEventException($"{where}: dtmfResult.tones must be an array, not {tones.ValueKind}.");
        }
        var keys = new StringBuilder(tones.GetArrayLength());
        foreach (var tone in tones.EnumerateArray())
        {
            var name = tone.ValueKind == JsonValueKind.String ? tone.GetString()! : throw new InvalidCallEventException(
                $"{where}: dtmfResult.tones must hold strings, not {tone.ValueKind}.");
            keys.Append(ToneKey(name) ?? throw new InvalidCallEventException($"{where}: '{name}' is not a DTMF tone name."));
        }
        return keys.ToString();
    }

    private static char? ToneKey(string name) => name.ToLowerInvariant() switch
    {
        "zero" => '0', "one" => '1', "two" => '2', "three" => '3', "four" => '4',
        "five" => '5', "six" => '6', "seven" => '7', "eight" => '8', "nine" => '9',
        "asterisk" => '*', "pound" => '#',
        "a" => 'A', "b" => 'B', "c" => 'C', "d" => 'D',
        _ => null,
    };

    /// <summary>
    /// ACS sub-codes: 8510 initial silence and 8532 inter-digit silence are timeouts; 8534 (wrong tone), 8547 (speech did
    /// not match a choice) and 8563 (speech not recognized) are no-matches; anything else (8511 prompt failed, 8564
    /// speech service unreachable, ...) is an error.
    /// </summary>
    internal static RecognizeFailureReason FailureReason(JsonElement data, string where) =>
        (OptionalObject(data, "resultInformation", where) is { } result ? OptionalInt(result, "subCode", where + " resultInformation") : null) switch
        {
            8510 or 8532 => RecognizeFailureReason.Timeout,
            8534 or 8547 or 8563 => RecognizeFailureReason.NoMatch,
            _ => RecognizeFailureReason.Error,
        };

    private static string? Participant(JsonElement data, string where) =>
        OptionalObject(data, "participant", where) is { } participant ? RawId(participant, where + " participant") : null;

    private static IReadOnlyList<string> Participants(JsonElement data, string where)
    {
        if (!data.TryGetProperty("participants", out var participants) || participants.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (participants.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidCallEventException($"{where}: 'participants' must be an array, not {participants.ValueKind}.");
        }
        var ids = new List<string>(participants.GetArrayLength());
        var index = 0;
        foreach (var participant in participants.EnumerateArray())
        {
            var at = $"{where} participants[{index++}]";
            if (participant.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidCallEventException($"{at} must be an object, not {participant.ValueKind}.");
            }
            // Current shape: CallParticipant {identifier, isMuted}; older services listed the identifiers themselves
            // (azure-sdk-for-java callautomation EventHandlerUnitTest's EVENT_PARTICIPANT_UPDATED).
            ids.Add(OptionalObject(participant, "identifier", at) is { } identifier
                ? RawId(identifier, at + " identifier")
                : RawId(participant, at));
        }
        return ids;
    }

    private static DateTimeOffset Timestamp(string text, string where) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new InvalidCallEventException($"{where}: 'time' is not an RFC 3339 timestamp: '{text}'.");

    private static string RequiredString(JsonElement json, string name, string where) =>
        OptionalString(json, name, where) is { Length: > 0 } value ? value
            : throw new InvalidCallEventException($"{where}: '{name}' is required and must be a non-empty string.");

    private static string? OptionalString(JsonElement json, string name, string where) =>
        json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidCallEventException($"{where}: '{name}' must be a string, not {value.ValueKind}."),
        } : null;

    private static int? OptionalInt(JsonElement json, string name, string where) =>
        json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.Null => null,
            _ => throw new InvalidCallEventException($"{where}: '{name}' must be a 32-bit integer, not {value.ValueKind} {value.GetRawText()}."),
        } : null;

    private static JsonElement RequiredObject(JsonElement json, string name, string where) =>
        OptionalObject(json, name, where) ?? throw new InvalidCallEventException($"{where}: '{name}' is required and must be an object.");

    private static JsonElement? OptionalObject(JsonElement json, string name, string where) =>
        json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Object => value,
            JsonValueKind.Null => null,
            _ => throw new InvalidCallEventException($"{where}: '{name}' must be an object, not {value.ValueKind}."),
        } : null;
}

/// <summary>A callback body or event that is not what Call Automation sends; the message says exactly what is wrong.</summary>
public sealed class InvalidCallEventException(string message, Exception? inner = null) : Exception(message, inner);
