using System.Text.Json.Nodes;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>
/// The real parsers over the ACS payloads Microsoft publishes (Fixtures/Acs, sources in its README.md): docs samples,
/// SDK parser tests. Each assertion is what the source itself says the payload means.
/// </summary>
public sealed class AcsPublishedPayloadTests
{
    [Fact]
    public void The_documented_incoming_call_is_read_with_its_parties_context_and_ids()
    {
        var call = CallAutomationEventParser.ParseIncomingCall(AcsFixtures.Inbound("eventgrid-incoming-call.json"));

        Assert.Equal("8:acs:98e4cbef-70e7-4733-8594-063c4a72d711_00000014-2033-438d-1000-343a0d006e10", call.From);
        Assert.Equal("8:acs:98e4cbef-70e7-4733-8594-063c4a72d711_00000014-1889-f3a7-6a0b-343a0d0061f3", call.To);
        Assert.StartsWith("eyJhbGciOiJub25lIiwidHliSldUIn0.", call.IncomingCallContext);
        Assert.Equal("tob2JIV0wzOHdab3dWcGVWZmsrL2QxYVZnQ2U1bVVLQTh1T056YmpvdXdnQjNzZTlnTEhjNFlYem5BVU9nRGY5dUFQ", call.ServerCallId);
        Assert.Equal("d732db64-4803-462d-be9c-518943ea2b7a", call.CorrelationId);
        Assert.Equal("John Doe", call.CallerDisplayName);
        Assert.Equal(DateTimeOffset.Parse("2022-08-25T19:27:24.2415391Z"), call.At);
    }

    [Fact]
    public void An_incoming_call_with_sip_and_voip_custom_context_is_read()
    {
        var call = CallAutomationEventParser.ParseIncomingCall(AcsFixtures.Inbound("eventgrid-incoming-call-custom-context.json"));

        Assert.Equal("{caller-id}", call.From);
        Assert.Equal("{recipient-id}", call.To);
        Assert.Equal("{incoming-call-contextValue}", call.IncomingCallContext);
        Assert.Equal("VOIP Caller", call.CallerDisplayName);
    }

    [Fact]
    public void The_documented_sms_with_pascal_case_fields_and_numbers_without_plus_is_read_in_e164()
    {
        var sms = SmsEventParser.ParseReceived(AcsFixtures.Inbound("eventgrid-sms-received.json"));

        Assert.Equal("Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e", sms.MessageId);
        Assert.Equal("+15555555555", sms.From);
        Assert.Equal("+15555555555", sms.To);
        Assert.Equal("Great to connect with Azure Communication Services events", sms.Text);
        Assert.Equal(DateTimeOffset.Parse("2020-09-18T00:27:45.32Z"), sms.ReceivedAt);
    }

    [Fact]
    public void The_documented_sms_delivery_report_is_read_in_e164()
    {
        var report = SmsEventParser.ParseDeliveryReport(AcsFixtures.Inbound("eventgrid-sms-delivery-report.json"));

        Assert.Equal("Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910", report.MessageId);
        Assert.Equal("+15555555555", report.From);
        Assert.Equal("+15555555555", report.To);
        Assert.Equal("Delivered", report.Status);
        Assert.Equal("No error.", report.Details);
        Assert.Equal(DateTimeOffset.Parse("2020-09-18T00:22:20.2855749Z"), report.At);
    }

    [Theory]
    // The docs page spells the field deliveryAttemptTimeStamp; the SDK models (and the Go SDK's test) deliveryAttemptTimestamp.
    [InlineData("eventgrid-email-delivery-report.json", "00000000-0000-0000-0000-000000000000", "receiver@azure.com", "Status Message", "2020-09-18T00:22:20.2855749+00:00")]
    [InlineData("eventgrid-email-delivery-report-sdk.json", "950850f5-bcdf-4315-b77a-6447cf56fac9", "test1@contoso.com", "DestinationMailboxFull", "2023-02-09T19:46:12.2480265+00:00")]
    public void Email_delivery_reports_keep_the_attempt_time_in_either_spelling(string fixture, string operationId, string recipient, string details, string attemptedAt)
    {
        var report = EmailDeliveryReportReader.TryRead(AcsFixtures.Inbound(fixture))!;

        Assert.Equal(operationId, report.OperationId);
        Assert.Equal(recipient, report.Recipient);
        Assert.Equal("Delivered", report.Status);
        Assert.Equal(details, report.Details);
        Assert.Equal(DateTimeOffset.Parse(attemptedAt), report.At);
    }

    [Fact]
    public void The_sdk_call_connected_event_is_read()
    {
        var connected = Assert.IsType<CallConnected>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-call-connected.json"))));

        Assert.Equal("46116fb7-27e0-4a99-9478-a659c8fd4815", connected.EventId);
        Assert.Equal("401f3500-62bd-46a9-8c09-9e1b06caca01", connected.CallConnectionId);
        Assert.Equal("ebd8bf1f-0794-494f-bdda-913042c06ef7", connected.CorrelationId);
        Assert.Equal(DateTimeOffset.Parse("2022-08-12T03:35:07.8174402+00:00"), connected.At);
    }

    [Theory]
    [InlineData("callautomation-participants-updated.json")]
    [InlineData("callautomation-participants-updated-legacy.json")]
    public void Participants_updated_is_read_in_the_current_and_the_older_shape(string fixture)
    {
        var updated = Assert.IsType<ParticipantsUpdated>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text(fixture))));

        Assert.Equal(
            ["8:acs:816df1ca-971b-44d7-b8b1-8fba90748500_00000013-2ff6-dd51-54b7-a43a0d001998", "8:acs:816df1ca-971b-44d7-b8b1-8fba90748500_00000013-2ff7-1579-99bf-a43a0d0010bc"],
            updated.Participants);
    }

    [Fact]
    public void A_dtmf_recognition_yields_the_tones_pressed()
    {
        var completed = Assert.IsType<RecognizeCompleted>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-recognize-dtmf.json"))));

        Assert.Equal("56#", completed.Tones); // the Java test's own expectation: convertToString() == "56#"
        Assert.Equal("OperationalContextValue-1118-1049", completed.OperationContext);
        Assert.Equal(200, completed.ResultCode);
        Assert.Equal(8533, completed.ResultSubCode);
    }

    [Fact]
    public void A_choice_recognition_yields_the_label_and_the_phrase_heard()
    {
        var completed = Assert.IsType<RecognizeCompleted>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-recognize-choice.json"))));

        Assert.Equal("Support", completed.ChoiceLabel);
        Assert.Equal("customer help", completed.RecognizedPhrase);
        Assert.Null(completed.Tones);
    }

    [Fact]
    public void Failures_carry_their_result_codes()
    {
        var playFailed = Assert.IsType<PlayFailed>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-play-failed.json"))));
        var recognizeFailed = Assert.IsType<RecognizeFailed>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-recognize-failed.json"))));

        Assert.Equal((400, 8536), (playFailed.ResultCode, playFailed.ResultSubCode));
        Assert.Equal("Action failed, file could not be downloaded.", playFailed.ResultMessage);
        Assert.Equal(RecognizeFailureReason.Timeout, recognizeFailed.Reason); // 8510: initial silence timeout
    }

    [Fact]
    public void Recording_state_changes_name_the_recording_and_its_state()
    {
        var changed = Assert.IsType<RecordingStateChanged>(Assert.Single(CallAutomationEventParser.Parse(AcsFixtures.Text("callautomation-recording-state-changed.json"))));

        Assert.Equal("recordingId", changed.RecordingId);
        Assert.Equal("active", changed.State);
        Assert.Equal("serverCallId", changed.ServerCallId);
    }

    public static TheoryData<string, string> KnownRawIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in AcsFixtures.Node("raw-ids.json").AsArray())
        {
            if (entry!["expect"]!.GetValue<string>() != "unknown")
            {
                data.Add(entry["rawId"]!.GetValue<string>(), entry["expect"]!.GetValue<string>());
            }
        }
        return data;
    }

    /// <summary>Every kind CommunicationIdentifier.FromRawId knows is a known call target here too, and round-trips.</summary>
    [Theory]
    [MemberData(nameof(KnownRawIds))]
    public void Every_raw_id_kind_the_sdk_knows_is_read_as_that_kind(string rawId, string expected)
    {
        Assert.True(CallAddresses.TryParse(rawId, out var target), $"'{rawId}' was not read");

        var kind = target switch
        {
            CallTarget.PhoneNumber phone => $"phone:{phone.Value}",
            CallTarget.CommunicationUser => "communicationUser",
            CallTarget.TeamsUser teams when CallAddresses.ToRawId(teams).StartsWith("8:teamsvisitor:", StringComparison.Ordinal) => "teamsVisitor",
            CallTarget.TeamsUser teams => "teamsUser:" + CallAddresses.ToRawId(teams).Split(':')[1].Replace("orgid", "public", StringComparison.Ordinal),
            _ => "teamsApp:" + CallAddresses.ToRawId(target).Split(':')[1].Replace("orgid", "public", StringComparison.Ordinal),
        };
        Assert.Equal(expected, kind);
        // The raw id comes back as written, except that a phone's number is always written in E.164.
        Assert.Equal(target is CallTarget.PhoneNumber p ? "4:" + p.Value : rawId, CallAddresses.ToRawId(target));
    }

    [Fact]
    public void A_caller_id_without_plus_in_an_identifier_becomes_e164()
    {
        var incoming = AcsFixtures.Event("eventgrid-incoming-call.json");
        // Variant: the caller as a phone identifier whose raw id and value omit '+', as raw ids may (CommunicationIdentifierTest: "4:112345556789").
        incoming["data"]!["from"] = new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:14255550123", ["phoneNumber"] = new JsonObject { ["value"] = "14255550123" } };

        var call = CallAutomationEventParser.ParseIncomingCall(AcsFixtures.Inbound(incoming));

        Assert.Equal("+14255550123", call.From);
    }

    public static TheoryData<string> UnknownRawIds()
    {
        var data = new TheoryData<string>();
        foreach (var entry in AcsFixtures.Node("raw-ids.json").AsArray().Where(e => e!["expect"]!.GetValue<string>() == "unknown"))
        {
            data.Add(entry!["rawId"]!.GetValue<string>());
        }
        return data;
    }

    /// <summary>What FromRawId makes an UnknownIdentifier (or a phone id without a number) is kept as written, never refused.</summary>
    [Theory]
    [MemberData(nameof(UnknownRawIds))]
    public void A_raw_id_of_a_kind_nobody_knows_is_kept_as_written(string rawId)
    {
        Assert.False(CallAddresses.TryParse(rawId, out _));
        var target = Assert.IsType<CallTarget.Unknown>(CallAddresses.FromRawId(rawId));
        Assert.Equal(rawId, CallAddresses.ToRawId(target));
    }

    [Fact]
    public void One_unreadable_event_in_a_callback_batch_costs_only_itself()
    {
        var batch = new JsonArray(AcsFixtures.Node("callautomation-call-connected.json"),
            // Variant: a PlayCompleted that lost its data.callConnectionId.
            JsonNode.Parse("""{"id":"704a7a96-4d74-4ebe-9cd0-b7cc39c3d7b1","source":"calling/callConnections/callConnectionId","type":"Microsoft.Communication.PlayCompleted","data":{"resultInformation":{"code":200,"subCode":0,"message":"Action completed successfully."}},"time":"2022-08-12T03:13:25.0252763+00:00","specversion":"1.0"}"""));

        var read = CallAutomationEventParser.ParseBatch(batch.ToJsonString());

        Assert.IsType<CallConnected>(Assert.Single(read.Events));
        var unreadable = Assert.Single(read.Unreadable);
        Assert.Equal("704a7a96-4d74-4ebe-9cd0-b7cc39c3d7b1", unreadable.EventId);
        Assert.Contains("'callConnectionId' is required", unreadable.Reason);
        Assert.Contains("\"Microsoft.Communication.PlayCompleted\"", unreadable.Json);
        Assert.Throws<InvalidCallEventException>(() => CallAutomationEventParser.Parse(batch.ToJsonString()));
    }

    [Fact]
    public void An_identifier_without_raw_id_gets_the_raw_id_its_kind_makes()
    {
        var added = AcsFixtures.Node("callautomation-call-connected.json").AsObject();
        added["type"] = "Microsoft.Communication.AddParticipantSucceeded";
        // Variants: the identifier models of the SDK's serializer without their rawId (azure-sdk-for-net sdk/communication/Shared/src/CommunicationIdentifierSerializer.cs).
        added["data"]!["participant"] = JsonNode.Parse("""{"kind":"microsoftTeamsUser","microsoftTeamsUser":{"userId":"45ab2481-1c1c-4005-be24-0ffb879b1130","isAnonymous":true,"cloud":"public"}}""");
        var visitor = Assert.IsType<AddParticipantSucceeded>(Assert.Single(CallAutomationEventParser.Parse(added.ToJsonString())));
        added["data"]!["participant"] = JsonNode.Parse("""{"kind":"microsoftTeamsApp","microsoftTeamsApp":{"appId":"01234567-89ab-cdef-0123-456789abcdef","cloud":"gcch"}}""");
        var app = Assert.IsType<AddParticipantSucceeded>(Assert.Single(CallAutomationEventParser.Parse(added.ToJsonString())));

        Assert.Equal("8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130", visitor.Participant);
        Assert.Equal("28:gcch:01234567-89ab-cdef-0123-456789abcdef", app.Participant);
    }

    [Fact]
    public void Parties_are_named_to_acs_as_the_sdk_names_them_and_unknown_ones_by_raw_id_alone()
    {
        static string Wire(CallTarget target) =>
            System.Text.Json.JsonSerializer.Serialize(CallAutomationMapping.Identifier(target), CallAutomationJsonContext.Default.CommunicationIdentifierModel);

        Assert.Equal("""{"rawId":"28:ag08-global:01234567-89ab-cdef-0123-456789abcdef"}""", Wire(CallAddresses.FromRawId("28:ag08-global:01234567-89ab-cdef-0123-456789abcdef")));
        Assert.Equal("""{"kind":"microsoftTeamsUser","rawId":"8:teamsvisitor:45ab","microsoftTeamsUser":{"userId":"45ab","isAnonymous":true,"cloud":"public"}}""", Wire(CallAddresses.FromRawId("8:teamsvisitor:45ab")));
        Assert.Equal("""{"kind":"microsoftTeamsApp","rawId":"28:dod:0123","microsoftTeamsApp":{"appId":"0123","cloud":"dod"}}""", Wire(CallAddresses.FromRawId("28:dod:0123")));
        Assert.Equal("+14255550123", JsonNode.Parse(Wire(CallAddresses.FromRawId("4:14255550123")))!["phoneNumber"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("+14255550100", "+14255550100")]
    [InlineData("14255550100", "+14255550100")] // the SMS samples' "From": "15555555555"
    [InlineData("4:14255550100", "+14255550100")] // CommunicationIdentifierTest: "4:112345556789"
    [InlineData("4:+14255550100_207ffef6-9444-41fb-92ab-20eacaae2768", "+14255550100")] // with an asserted id
    [InlineData("+1 (425) 555-0100", "+14255550100")]
    [InlineData(" +44 20 7946 0000 ", "+442079460000")]
    [InlineData("4:anonymous", null)] // PhoneNumberIdentifier.IsAnonymous
    [InlineData("CONTOSO", null)]
    [InlineData("+1", null)]
    public void Phone_numbers_in_every_form_acs_writes_become_e164(string text, string? expected) =>
        Assert.Equal(expected, AcsPhoneNumbers.ToE164(text));
}
