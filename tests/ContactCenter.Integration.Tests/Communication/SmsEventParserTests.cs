using System.Text.Json;
using ContactCenter.Azure.Communication;
using ContactCenter.Azure.EventGrid;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Events;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>ACS SMS events as Event Grid delivers them, through the envelope reader into the provider-neutral SMS types.</summary>
public sealed class SmsEventParserTests
{
    private const string SmsReceived = """
        {
          "id": "Incoming_20260302090000a1b2c3d4-e5f6-7890-abcd-ef0123456789",
          "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contact/providers/Microsoft.Communication/communicationServices/acs-contact",
          "subject": "/phonenumber/14255550100",
          "data": {
            "messageId": "Incoming_20260302090000a1b2c3d4-e5f6-7890-abcd-ef0123456789",
            "from": "+14255550100",
            "to": "+18005550199",
            "message": "My router is blinking red again 😞",
            "receivedTimestamp": "2026-03-02T09:00:00.8116113+00:00"
          },
          "eventType": "Microsoft.Communication.SMSReceived",
          "dataVersion": "1.0",
          "metadataVersion": "1",
          "eventTime": "2026-03-02T09:00:01Z"
        }
        """;

    private const string DeliveryReport = """
        {
          "id": "Outgoing_20260302090500f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f_noam",
          "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contact/providers/Microsoft.Communication/communicationServices/acs-contact",
          "subject": "/phonenumber/18005550199",
          "data": {
            "messageId": "Outgoing_20260302090500f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f_noam",
            "from": "+18005550199",
            "to": "+14255550100",
            "deliveryStatus": "Delivered",
            "deliveryStatusDetails": "No error.",
            "deliveryAttempts": [
              { "timestamp": "2026-03-02T09:05:02.1234567+00:00", "segmentsSucceeded": 2, "segmentsFailed": 0 }
            ],
            "receivedTimestamp": "2026-03-02T09:05:03.5005623+00:00",
            "tag": "conversation-7"
          },
          "eventType": "Microsoft.Communication.SMSDeliveryReportReceived",
          "dataVersion": "1.0",
          "metadataVersion": "1",
          "eventTime": "2026-03-02T09:05:04Z"
        }
        """;

    private static InboundEvent Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventGridEventReader.Read(document.RootElement);
    }

    private static InboundEvent WithData(string json, Action<Dictionary<string, JsonElement>> change)
    {
        var inbound = Read(json);
        var data = inbound.Data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        change(data);
        var rebuilt = "{" + string.Join(",", data.Select(p => $"\"{JsonEncodedText.Encode(p.Key)}\":{p.Value.GetRawText()}")) + "}";
        using var document = JsonDocument.Parse(rebuilt);
        return new InboundEvent(inbound.Id, inbound.Type, inbound.Source, inbound.Subject, inbound.Time, document.RootElement);
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public void A_received_text_becomes_an_inbound_sms()
    {
        var inbound = Read(SmsReceived);

        Assert.True(SmsEventParser.IsSmsEvent(inbound));
        var sms = SmsEventParser.ParseReceived(inbound);

        Assert.Equal(new InboundSms("Incoming_20260302090000a1b2c3d4-e5f6-7890-abcd-ef0123456789", "+14255550100", "+18005550199",
            "My router is blinking red again 😞", DateTimeOffset.Parse("2026-03-02T09:00:00.8116113+00:00", System.Globalization.CultureInfo.InvariantCulture)), sms);
    }

    [Fact]
    public void A_delivery_report_carries_status_details_time_and_our_tag()
    {
        var report = SmsEventParser.ParseDeliveryReport(Read(DeliveryReport));

        Assert.Equal("Outgoing_20260302090500f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f_noam", report.MessageId);
        Assert.Equal(("+18005550199", "+14255550100"), (report.From, report.To));
        Assert.Equal(("Delivered", "No error."), (report.Status, report.Details));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 5, 3, TimeSpan.Zero).AddTicks(5005623), report.At);
        Assert.Equal("conversation-7", report.Tag);
    }

    [Fact]
    public void The_same_events_in_the_cloudevents_schema_read_the_same()
    {
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"e-1","source":"/subscriptions/x/providers/Microsoft.Communication/communicationServices/acs-contact",
             "type":"Microsoft.Communication.SMSDeliveryReportReceived","time":"2026-03-02T09:05:04Z",
             "data":{{Read(DeliveryReport).Data.GetRawText()}}}
            """;

        Assert.Equal(SmsEventParser.ParseDeliveryReport(Read(DeliveryReport)), SmsEventParser.ParseDeliveryReport(Read(cloudEvent)));
    }

    [Fact]
    public void A_failed_delivery_without_details_or_tag_is_read_with_nulls()
    {
        var report = SmsEventParser.ParseDeliveryReport(WithData(DeliveryReport, d =>
        {
            d["deliveryStatus"] = Json("\"Failed\"");
            d.Remove("deliveryStatusDetails");
            d["tag"] = Json("null");
        }));

        Assert.Equal(("Failed", (string?)null, (string?)null), (report.Status, report.Details, report.Tag));
    }

    [Fact]
    public void A_missing_received_timestamp_falls_back_to_the_event_time()
    {
        var sms = SmsEventParser.ParseReceived(WithData(SmsReceived, d => d.Remove("receivedTimestamp")));

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 1, TimeSpan.Zero), sms.ReceivedAt);
    }

    [Fact]
    public void An_empty_text_is_still_a_text()
    {
        Assert.Equal("", SmsEventParser.ParseReceived(WithData(SmsReceived, d => d["message"] = Json("\"\""))).Text);
    }

    [Theory]
    [InlineData("from", null, "SMSReceived Incoming_20260302090000a1b2c3d4-e5f6-7890-abcd-ef0123456789: 'data.from' is required and must be a non-empty string.")]
    [InlineData("messageId", "\"\"", "'data.messageId' is required and must be a non-empty string.")]
    [InlineData("message", "42", "'data.message' must be a string, not Number.")]
    [InlineData("message", null, "'data.message' is required and must be a string.")]
    [InlineData("receivedTimestamp", "\"yesterday\"", "'receivedTimestamp' is not an RFC 3339 timestamp: 'yesterday'.")]
    public void A_malformed_received_text_is_refused_naming_the_field(string field, string? value, string message)
    {
        var inbound = WithData(SmsReceived, d =>
        {
            if (value is null)
            {
                d.Remove(field);
            }
            else
            {
                d[field] = Json(value);
            }
        });

        var error = Assert.Throws<InvalidInboundEventException>(() => SmsEventParser.ParseReceived(inbound));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("deliveryStatus", null, "'data.deliveryStatus' is required")]
    [InlineData("to", "{\"phoneNumber\":\"+1\"}", "'data.to' must be a string, not Object.")]
    [InlineData("deliveryAttempts", "{}", "'deliveryAttempts' must be an array, not Object.")]
    public void A_malformed_delivery_report_is_refused_naming_the_field(string field, string? value, string message)
    {
        var inbound = WithData(DeliveryReport, d =>
        {
            if (value is null)
            {
                d.Remove(field);
            }
            else
            {
                d[field] = Json(value);
            }
        });

        var error = Assert.Throws<InvalidInboundEventException>(() => SmsEventParser.ParseDeliveryReport(inbound));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Another_event_type_or_data_that_is_not_an_object_is_refused()
    {
        var report = Read(DeliveryReport);
        var wrongType = Assert.Throws<InvalidInboundEventException>(() => SmsEventParser.ParseReceived(report));
        Assert.Contains("is a Microsoft.Communication.SMSDeliveryReportReceived, not a Microsoft.Communication.SMSReceived", wrongType.Message);

        var noData = new InboundEvent("e-2", SmsEventParser.SmsReceivedType, "acs", null, DateTimeOffset.UnixEpoch, Json("\"text\""));
        Assert.Contains("'data' must be an object, not String", Assert.Throws<InvalidInboundEventException>(() => SmsEventParser.ParseReceived(noData)).Message);
        Assert.False(SmsEventParser.IsSmsEvent(new InboundEvent("e-3", "Microsoft.Communication.IncomingCall", "acs", null, DateTimeOffset.UnixEpoch, default)));
    }
}
