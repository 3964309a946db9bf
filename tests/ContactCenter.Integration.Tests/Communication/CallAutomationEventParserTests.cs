using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Azure.Communication;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Voice;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>Callback bodies shaped as ACS Call Automation posts them (CloudEvents 1.0 arrays, api-version 2025-06-15).</summary>
public sealed class CallAutomationEventParserTests
{
    private const string Connection = "421f0b00-6d2a-4a36-9a8e-6c1b2b8d1f3e";

    /// <summary>One ACS callback CloudEvent with the common data fields plus <paramref name="extra"/>.</summary>
    private static JsonObject Event(string name, JsonObject? extra = null, string id = "7dec6eed-129c-43f3-a2bf-28ea8c6b1a36",
        int code = 200, int subCode = 0, string message = "Action completed successfully.")
    {
        var data = new JsonObject
        {
            ["callConnectionId"] = Connection,
            ["serverCallId"] = "aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEyLTAxLmNvbnYuc2t5cGUuY29tL2NvbnYvOE9B",
            ["correlationId"] = "b1d5a7a8-8a71-4c59-8d4c-0e4f6c3d7e20",
            ["operationContext"] = "menu:main:1",
            ["resultInformation"] = new JsonObject { ["code"] = code, ["subCode"] = subCode, ["message"] = message },
            ["version"] = "2025-06-15",
            ["publicEventType"] = $"Microsoft.Communication.{name}",
        };
        foreach (var (key, value) in extra ?? [])
        {
            data[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["id"] = id,
            ["source"] = $"calling/callConnections/{Connection}",
            ["type"] = $"Microsoft.Communication.{name}",
            ["data"] = data,
            ["time"] = "2026-11-03T09:15:27.1234567+00:00",
            ["specversion"] = "1.0",
            ["datacontenttype"] = "application/json",
            ["subject"] = $"calling/callConnections/{Connection}",
        };
    }

    private static T Single<T>(JsonObject cloudEvent) where T : CallEvent =>
        Assert.IsType<T>(Assert.Single(CallAutomationEventParser.Parse(new JsonArray(cloudEvent).ToJsonString())));

    private static CallEvent One(JsonObject cloudEvent) => Assert.Single(CallAutomationEventParser.Parse(new JsonArray(cloudEvent).ToJsonString()));

    private static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonObject Phone(string number) => new() { ["kind"] = "phoneNumber", ["rawId"] = $"4:{number}", ["phoneNumber"] = new JsonObject { ["value"] = number } };

    private static JsonObject User(string id) => new() { ["kind"] = "communicationUser", ["rawId"] = id, ["communicationUser"] = new JsonObject { ["id"] = id } };

    [Fact]
    public void Call_connected_carries_the_envelope_and_common_fields()
    {
        var connected = Single<CallConnected>(Event("CallConnected"));

        Assert.Equal("7dec6eed-129c-43f3-a2bf-28ea8c6b1a36", connected.EventId);
        Assert.Equal(Connection, connected.CallConnectionId);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 15, 27, TimeSpan.Zero).AddTicks(1234567), connected.At);
        Assert.StartsWith("aHR0cHM6", connected.ServerCallId);
        Assert.Equal("b1d5a7a8-8a71-4c59-8d4c-0e4f6c3d7e20", connected.CorrelationId);
        Assert.Equal("menu:main:1", connected.OperationContext);
        Assert.Equal(200, connected.ResultCode);
        Assert.Equal(0, connected.ResultSubCode);
        Assert.Equal("Action completed successfully.", connected.ResultMessage);
    }

    [Fact]
    public void Simple_lifecycle_and_media_events_map_to_their_types()
    {
        Assert.IsType<CallDisconnected>(One(Event("CallDisconnected")));
        var failed = Single<CreateCallFailed>(Event("CreateCallFailed", code: 408, subCode: 10004, message: "Call timed out."));
        Assert.Equal((408, 10004), (failed.ResultCode, failed.ResultSubCode));
        Assert.IsType<PlayCompleted>(One(Event("PlayCompleted")));
        var playFailed = Single<PlayFailed>(Event("PlayFailed", code: 400, subCode: 8536, message: "Action failed, file could not be downloaded."));
        Assert.Equal(8536, playFailed.ResultSubCode);
        Assert.IsType<MediaCancelled>(One(Event("PlayCanceled")));
        Assert.IsType<MediaCancelled>(One(Event("RecognizeCanceled")));
        Assert.IsType<CallTransferAccepted>(One(Event("CallTransferAccepted", new JsonObject { ["transferTarget"] = Phone("+14255550123"), ["transferee"] = Phone("+14255550100") })));
        Assert.IsType<CallTransferFailed>(One(Event("CallTransferFailed", code: 500, subCode: 7505)));
    }

    [Fact]
    public void Dtmf_tones_become_the_keys_pressed()
    {
        var recognized = Single<RecognizeCompleted>(Event("RecognizeCompleted", new JsonObject
        {
            ["recognitionType"] = "dtmf",
            ["dtmfResult"] = new JsonObject { ["tones"] = new JsonArray("one", "two", "zero", "nine", "asterisk", "pound", "a", "D") },
        }, subCode: 8531, message: "Action completed, max digits received."));

        Assert.Equal("1209*#AD", recognized.Tones);
        Assert.Null(recognized.ChoiceLabel);
        Assert.Null(recognized.Speech);
        Assert.Equal(8531, recognized.ResultSubCode);
    }

    [Fact]
    public void Choices_and_speech_results_are_read()
    {
        var choice = Single<RecognizeCompleted>(Event("RecognizeCompleted", new JsonObject
        {
            ["recognitionType"] = "choices",
            ["choiceResult"] = new JsonObject { ["label"] = "billing", ["recognizedPhrase"] = "pay my bill" },
        }, subCode: 8545));
        Assert.Equal(("billing", "pay my bill"), (choice.ChoiceLabel, choice.RecognizedPhrase));
        Assert.Null(choice.Tones);

        var byKey = Single<RecognizeCompleted>(Event("RecognizeCompleted", new JsonObject
        {
            ["recognitionType"] = "choices",
            ["choiceResult"] = new JsonObject { ["label"] = "sales", ["recognizedPhrase"] = null },
        }, subCode: 8533));
        Assert.Equal("sales", byKey.ChoiceLabel);
        Assert.Null(byKey.RecognizedPhrase);

        var speech = Single<RecognizeCompleted>(Event("RecognizeCompleted", new JsonObject
        {
            ["recognitionType"] = "speech",
            ["speechResult"] = new JsonObject { ["speech"] = "I'd like to talk to someone about my order" },
        }));
        Assert.Equal("I'd like to talk to someone about my order", speech.Speech);
    }

    [Theory]
    [InlineData(8510, RecognizeFailureReason.Timeout)]
    [InlineData(8532, RecognizeFailureReason.Timeout)]
    [InlineData(8534, RecognizeFailureReason.NoMatch)]
    [InlineData(8547, RecognizeFailureReason.NoMatch)]
    [InlineData(8563, RecognizeFailureReason.NoMatch)]
    [InlineData(8511, RecognizeFailureReason.Error)]
    [InlineData(8564, RecognizeFailureReason.Error)]
    public void Recognize_failures_are_classified_by_sub_code(int subCode, RecognizeFailureReason reason)
    {
        var failed = Single<RecognizeFailed>(Event("RecognizeFailed", code: 400, subCode: subCode));

        Assert.Equal(reason, failed.Reason);
        Assert.Equal(subCode, failed.ResultSubCode);
    }

    [Fact]
    public void A_recognize_failure_without_result_information_is_an_error()
    {
        var cloudEvent = Event("RecognizeFailed");
        cloudEvent["data"]!.AsObject().Remove("resultInformation");

        Assert.Equal(RecognizeFailureReason.Error, Single<RecognizeFailed>(cloudEvent).Reason);
    }

    [Fact]
    public void Participant_events_carry_raw_ids()
    {
        var added = Single<AddParticipantSucceeded>(Event("AddParticipantSucceeded", new JsonObject { ["participant"] = User("8:acs:1b3c5d7e_00000021-aaaa") }));
        Assert.Equal("8:acs:1b3c5d7e_00000021-aaaa", added.Participant);

        var notAdded = Single<AddParticipantFailed>(Event("AddParticipantFailed", new JsonObject { ["participant"] = Phone("+14255550123") }, code: 408, subCode: 10004));
        Assert.Equal("4:+14255550123", notAdded.Participant);

        // An identifier without rawId still names its participant.
        var removed = Single<RemoveParticipantSucceeded>(Event("RemoveParticipantSucceeded", new JsonObject
        {
            ["participant"] = new JsonObject { ["kind"] = "phoneNumber", ["phoneNumber"] = new JsonObject { ["value"] = "+14255550199" } },
        }));
        Assert.Equal("4:+14255550199", removed.Participant);
    }

    [Fact]
    public void Participants_updated_lists_who_is_on_the_call_with_its_sequence_number()
    {
        var updated = Single<ParticipantsUpdated>(Event("ParticipantsUpdated", new JsonObject
        {
            ["sequenceNumber"] = 3,
            ["participants"] = new JsonArray(
                new JsonObject { ["identifier"] = Phone("+14255550100"), ["isMuted"] = false, ["isOnHold"] = false },
                new JsonObject { ["identifier"] = User("8:acs:agent-7"), ["isMuted"] = true }),
        }));

        Assert.Equal(["4:+14255550100", "8:acs:agent-7"], updated.Participants);
        Assert.Equal(3, updated.SequenceNumber);
    }

    [Fact]
    public void Recording_state_changes_carry_the_recording_and_its_state()
    {
        var changed = Single<RecordingStateChanged>(Event("RecordingStateChanged", new JsonObject
        {
            ["recordingId"] = "eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiI0",
            ["state"] = "active",
            ["startDateTime"] = "2026-11-03T09:15:30+00:00",
            ["recordingKind"] = "AzureCommunicationServices",
        }));

        Assert.Equal(("eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiI0", "active"), (changed.RecordingId, changed.State));
    }

    [Fact]
    public void Events_the_contact_center_does_not_act_on_are_kept_as_other_events()
    {
        var other = Single<OtherCallEvent>(Event("ContinuousDtmfRecognitionToneReceived", new JsonObject { ["tone"] = "five", ["sequenceId"] = 1 }));
        Assert.Equal("Microsoft.Communication.ContinuousDtmfRecognitionToneReceived", other.Type);
        Assert.Equal("menu:main:1", other.OperationContext);
    }

    [Fact]
    public void A_batch_keeps_its_order_and_a_single_object_is_accepted()
    {
        var batch = new JsonArray(Event("CallConnected", id: "e1"), Event("PlayCompleted", id: "e2"), Event("CallDisconnected", id: "e3"));

        var events = CallAutomationEventParser.Parse(batch.ToJsonString());

        Assert.Equal(["e1", "e2", "e3"], events.Select(e => e.EventId));
        Assert.IsType<CallDisconnected>(events[2]);
        Assert.IsType<CallConnected>(Assert.Single(CallAutomationEventParser.Parse(Event("CallConnected").ToJsonString())));
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("42", "not Number")]
    [InlineData("[]", "empty array")]
    [InlineData("[42]", "Event [0] must be a CloudEvent object, not Number")]
    [InlineData("""[{"type":"Microsoft.Communication.CallConnected","data":{"callConnectionId":"c"}}]""", "'id' is required")]
    [InlineData("""[{"id":"e1","data":{"callConnectionId":"c"}}]""", "'type' is required")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected"}]""", "'data' is required")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected","data":"x"}]""", "'data' must be an object, not String")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected","data":{}}]""", "'callConnectionId' is required")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected","data":{"callConnectionId":7}}]""", "'callConnectionId' must be a string, not Number")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected","specversion":"0.3","data":{"callConnectionId":"c"}}]""", "specversion '0.3'")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.CallConnected","time":"yesterday","data":{"callConnectionId":"c"}}]""", "'time' is not an RFC 3339")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.PlayFailed","data":{"callConnectionId":"c","resultInformation":{"subCode":"8536"}}}]""", "'subCode' must be a 32-bit integer")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.RecognizeCompleted","data":{"callConnectionId":"c","recognitionType":"dtmf"}}]""", "needs a 'dtmfResult'")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.RecognizeCompleted","data":{"callConnectionId":"c","recognitionType":"dtmf","dtmfResult":{"tones":["one","eleven"]}}}]""", "'eleven' is not a DTMF tone")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.ParticipantsUpdated","data":{"callConnectionId":"c","participants":[{"identifier":{}}]}}]""", "participants[0] identifier: the identifier has no 'rawId'")]
    [InlineData("""[{"id":"e1","type":"Microsoft.Communication.ParticipantsUpdated","data":{"callConnectionId":"c","participants":{}}}]""", "'participants' must be an array")]
    public void Bad_bodies_are_refused_with_a_precise_message(string body, string message)
    {
        var ex = Assert.Throws<InvalidCallEventException>(() => CallAutomationEventParser.Parse(body));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void One_bad_event_refuses_the_whole_batch_naming_its_position()
    {
        var bad = Event("PlayCompleted", id: "e2");
        bad["data"]!.AsObject().Remove("callConnectionId");

        var ex = Assert.Throws<InvalidCallEventException>(() => CallAutomationEventParser.Parse(new JsonArray(Event("CallConnected", id: "e1"), bad).ToJsonString()));

        Assert.Contains("Event [1] (e2)", ex.Message);
    }

    [Fact]
    public void An_incoming_call_from_event_grid_yields_numbers_context_and_ids()
    {
        var gridEvent = JsonNode.Parse("""
            {
              "id": "8f8b2c1e-0d8a-4f55-9a43-1c6f2b7d3e10",
              "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-cc",
              "subject": "/caller/4:+14255550100/recipient/4:+18005550199",
              "eventType": "Microsoft.Communication.IncomingCall",
              "eventTime": "2026-11-03T09:15:20.000Z",
              "dataVersion": "1.0",
              "metadataVersion": "1",
              "data": {
                "to": { "kind": "phoneNumber", "rawId": "4:+18005550199", "phoneNumber": { "value": "+18005550199" } },
                "from": { "kind": "phoneNumber", "rawId": "4:+14255550100", "phoneNumber": { "value": "+14255550100" } },
                "serverCallId": "aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29t",
                "callerDisplayName": "Ada Lovelace",
                "incomingCallContext": "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJjYyI6Ikg0c0lBQUFBQUFBRUFMMVdXWFBh",
                "correlationId": "d5b9f3a2-2c1e-4b7a-9f0d-6e8c4a1b2f33"
              }
            }
            """)!;
        var inbound = EventGridEventReader.Read(Element(gridEvent));

        var call = CallAutomationEventParser.ParseIncomingCall(inbound);

        Assert.Equal("+14255550100", call.From);
        Assert.Equal("+18005550199", call.To);
        Assert.StartsWith("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.", call.IncomingCallContext);
        Assert.Equal("aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29t", call.ServerCallId);
        Assert.Equal("d5b9f3a2-2c1e-4b7a-9f0d-6e8c4a1b2f33", call.CorrelationId);
        Assert.Equal("Ada Lovelace", call.CallerDisplayName);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 15, 20, TimeSpan.Zero), call.At);
    }

    [Fact]
    public void An_incoming_call_from_an_acs_user_keeps_its_raw_id()
    {
        var data = new JsonObject
        {
            ["to"] = User("8:acs:contact-center-bot"),
            ["from"] = new JsonObject { ["kind"] = "communicationUser", ["communicationUser"] = new JsonObject { ["id"] = "8:acs:caller-1" } },
            ["incomingCallContext"] = "ctx",
        };
        var inbound = new ContactCenter.Core.Events.InboundEvent("e1", CallAutomationEventParser.IncomingCallType, "acs", null, DateTimeOffset.UnixEpoch,
            Element(data));

        var call = CallAutomationEventParser.ParseIncomingCall(inbound);

        Assert.Equal(("8:acs:caller-1", "8:acs:contact-center-bot"), (call.From, call.To));
        Assert.Null(call.ServerCallId);
    }

    [Theory]
    [InlineData("""{"to":{"rawId":"4:+1"},"incomingCallContext":"c"}""", "'from' is required")]
    [InlineData("""{"from":{"rawId":"4:+1"},"to":{"rawId":"4:+2"}}""", "'incomingCallContext' is required")]
    [InlineData("""{"from":{"kind":"unknown"},"to":{"rawId":"4:+2"},"incomingCallContext":"c"}""", "'from': the identifier has no 'rawId'")]
    [InlineData("""{"from":"+1","to":{"rawId":"4:+2"},"incomingCallContext":"c"}""", "'from' must be an object")]
    [InlineData("\"x\"", "'data' must be an object")]
    public void A_malformed_incoming_call_is_refused(string data, string message)
    {
        using var document = JsonDocument.Parse(data);
        var inbound = new ContactCenter.Core.Events.InboundEvent("e1", CallAutomationEventParser.IncomingCallType, "acs", null, DateTimeOffset.UnixEpoch, document.RootElement);

        var ex = Assert.Throws<InvalidCallEventException>(() => CallAutomationEventParser.ParseIncomingCall(inbound));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Another_event_type_is_not_an_incoming_call()
    {
        using var document = JsonDocument.Parse("{}");
        var sms = new ContactCenter.Core.Events.InboundEvent("e1", "Microsoft.Communication.SMSReceived", "acs", null, DateTimeOffset.UnixEpoch, document.RootElement);

        Assert.Contains("not a Microsoft.Communication.IncomingCall", Assert.Throws<InvalidCallEventException>(() => CallAutomationEventParser.ParseIncomingCall(sms)).Message);
    }
}
