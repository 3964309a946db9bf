using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Events;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Functions.Local.Messaging;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.LocalMode;

/// <summary>
/// Local mode's simulated ACS SMS and Email APIs, called over HTTP with requests signed by the app's own HMAC policy:
/// texts and emails reach the simulated phones and mailboxes, delivery reports reach the app's inbound events on
/// virtual time, configured failures and bounces are reported as such; and a simulated customer's email is posted to
/// the app's inbound-email webhook.
/// </summary>
public sealed class MessagingSimulatorTests : IAsyncLifetime
{
    private const string Customer = "+14255550100";
    private const string ContactCenterNumber = "+18005550199";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingHandler _events = new();
    private readonly InboundEmailCatcher _webhook = new();
    private RunningApp? _app;

    private RunningApp App => _app!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MessagingSimulator Simulator => App.Services.GetRequiredService<MessagingSimulator>();

    public async ValueTask InitializeAsync() =>
        _app = await RunningApp.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(_time);
            s.AddSingleton<IInboundEventHandler>(_events);
            s.AddSingleton<IStartupFilter>(_webhook);
        });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_signed_sms_lands_on_each_valid_phone_and_its_delivery_report_echoes_the_tag()
    {
        using var response = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", new JsonObject
        {
            ["from"] = ContactCenterNumber,
            ["smsRecipients"] = new JsonArray(new JsonObject { ["to"] = Customer }, new JsonObject { ["to"] = "12345" }),
            ["message"] = "Your parcel ships today.",
            ["smsSendOptions"] = new JsonObject { ["enableDeliveryReport"] = true, ["tag"] = "conversation-42" },
        });

        Assert.Equal(202, response.Status);
        var results = JsonNode.Parse(response.Content.ToString())!["value"]!.AsArray();
        Assert.Equal(2, results.Count);
        var sent = results[0]!;
        Assert.Equal(Customer, sent["to"]!.GetValue<string>());
        Assert.True(sent["successful"]!.GetValue<bool>());
        Assert.Equal(202, sent["httpStatusCode"]!.GetValue<int>());
        var messageId = sent["messageId"]!.GetValue<string>();
        Assert.False(results[1]!["successful"]!.GetValue<bool>());
        Assert.Equal(400, results[1]!["httpStatusCode"]!.GetValue<int>());
        Assert.Null(results[1]!["messageId"]);

        var onPhone = Assert.Single(await PhoneAsync(Customer));
        Assert.Equal(messageId, onPhone!["messageId"]!.GetValue<string>());
        Assert.Equal("Your parcel ships today.", onPhone["message"]!.GetValue<string>());
        Assert.Equal(ContactCenterNumber, onPhone["from"]!.GetValue<string>());
        Assert.Equal("Sending", onPhone["deliveryStatus"]!.GetValue<string>());
        Assert.Empty(_events.Of(MessagingSimulator.SmsDeliveryReportType));

        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var report = Assert.Single(_events.Of(MessagingSimulator.SmsDeliveryReportType));
        Assert.Equal("/phonenumber/18005550199", report.Subject);
        var data = SmsReport(report);
        Assert.Equal(messageId, data.MessageId);
        Assert.Equal(ContactCenterNumber.TrimStart('+'), data.From); // without '+', as the published sample writes it (docs/acs-payloads.md)
        Assert.Equal(Customer, data.To);
        Assert.Equal("Delivered", data.DeliveryStatus);
        Assert.Equal("conversation-42", data.Tag);
        Assert.Equal(1, Assert.Single(data.DeliveryAttempts).SegmentsSucceeded);
        Assert.Equal("Delivered", (await PhoneAsync(Customer)).Single()!["deliveryStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forged_signature_is_refused_with_401_and_nothing_is_sent()
    {
        using var response = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", SmsTo(Customer),
            accessKey: Convert.ToBase64String(Encoding.UTF8.GetBytes("somebody-elses-key")));

        Assert.Equal(401, response.Status);
        Assert.Equal("401", JsonNode.Parse(response.Content.ToString())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(await PhoneAsync(Customer));
        Assert.Equal(401, Simulator.Requests.Single().Status);
    }

    [Fact]
    public async Task A_number_set_to_fail_gets_a_failed_delivery_report()
    {
        using var configured = await App.PostJsonAsync($"/simulator/parties/{Uri.EscapeDataString(Customer)}", """{"sms":"fail"}""");
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);

        using var response = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", SmsTo(Customer));
        Assert.Equal(202, response.Status);
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var data = SmsReport(Assert.Single(_events.Of(MessagingSimulator.SmsDeliveryReportType)));
        Assert.Equal("Failed", data.DeliveryStatus);
        Assert.Equal("Failed", (await PhoneAsync(Customer)).Single()!["deliveryStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeated_repeatability_request_id_answers_the_same_message_and_sends_once()
    {
        var body = SmsTo(Customer);
        body["smsRecipients"]![0]!["repeatabilityRequestId"] = Guid.NewGuid().ToString();
        body["smsRecipients"]![0]!["repeatabilityFirstSent"] = _time.GetUtcNow().ToString("R");

        using var first = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", body);
        using var again = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", body);

        var (a, b) = (JsonNode.Parse(first.Content.ToString())!["value"]![0]!, JsonNode.Parse(again.Content.ToString())!["value"]![0]!);
        Assert.Equal(a["messageId"]!.GetValue<string>(), b["messageId"]!.GetValue<string>());
        Assert.Equal("accepted", b["repeatabilityResult"]!.GetValue<string>());
        Assert.Single(await PhoneAsync(Customer));
    }

    [Fact]
    public async Task Failures_are_injected_per_operation_as_in_the_call_automation_simulator()
    {
        Simulator.InjectFailure(503, operation: "SendSms", code: "ServiceUnavailable");

        using var failed = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", SmsTo(Customer));
        using var wrongVersion = await SendAsync(HttpMethod.Post, "sms?api-version=2025-06-15", SmsTo(Customer));
        using var next = await SendAsync(HttpMethod.Post, "sms?api-version=2021-03-07", SmsTo(Customer));

        Assert.Equal(503, failed.Status);
        Assert.Equal(400, wrongVersion.Status);
        Assert.Equal(202, next.Status);
        Assert.Single(await PhoneAsync(Customer));
    }

    [Fact]
    public async Task An_email_runs_then_succeeds_after_the_virtual_delay_lands_in_the_mailbox_and_reports_delivered()
    {
        var attachment = Convert.ToBase64String(Encoding.UTF8.GetBytes("invoice 42: 10 EUR"));
        using var response = await SendAsync(HttpMethod.Post, "emails:send?api-version=2023-03-31", new JsonObject
        {
            ["senderAddress"] = "support@contoso.example",
            ["recipients"] = new JsonObject { ["to"] = new JsonArray(new JsonObject { ["address"] = "ada@example.com", ["displayName"] = "Ada" }) },
            ["content"] = new JsonObject { ["subject"] = "Re: Where is my parcel?", ["plainText"] = "It ships today.", ["html"] = "<p>It ships today.</p>" },
            ["attachments"] = new JsonArray(new JsonObject { ["name"] = "invoice.txt", ["contentType"] = "text/plain", ["contentInBase64"] = attachment }),
            ["headers"] = new JsonObject { ["Message-ID"] = "<reply-1@contoso.example>", ["In-Reply-To"] = "<q-1@example.com>", ["References"] = "<q-1@example.com>" },
        });

        Assert.Equal(202, response.Status);
        var accepted = JsonNode.Parse(response.Content.ToString())!;
        var operationId = accepted["id"]!.GetValue<string>();
        Assert.Equal("Running", accepted["status"]!.GetValue<string>());
        Assert.True(response.Headers.TryGetValue("Operation-Location", out var location));
        Assert.Equal($"{App.BaseAddress}simulator/acs/emails/operations/{operationId}?api-version=2023-03-31", location);

        using var running = await SendAsync(HttpMethod.Get, $"emails/operations/{operationId}?api-version=2023-03-31");
        Assert.Equal("Running", JsonNode.Parse(running.Content.ToString())!["status"]!.GetValue<string>());
        Assert.Equal("2", running.Headers.TryGetValue("retry-after", out var retryAfter) ? retryAfter : null);

        var mail = Assert.Single(await MailboxAsync("ada@example.com"))!;
        Assert.Equal(operationId, mail["operationId"]!.GetValue<string>());
        Assert.Equal("Re: Where is my parcel?", mail["subject"]!.GetValue<string>());
        Assert.Equal("It ships today.", mail["plainText"]!.GetValue<string>());
        Assert.Equal("<p>It ships today.</p>", mail["html"]!.GetValue<string>());
        Assert.Equal("<reply-1@contoso.example>", mail["messageId"]!.GetValue<string>());
        Assert.Equal("<q-1@example.com>", mail["inReplyTo"]!.GetValue<string>());
        var file = Assert.Single(mail["attachments"]!.AsArray())!;
        Assert.Equal("invoice.txt", file["name"]!.GetValue<string>());
        Assert.Equal(18, file["size"]!.GetValue<long>());
        Assert.Empty(_events.Of(MessagingSimulator.EmailDeliveryReportType));

        await AdvanceAsync(TimeSpan.FromSeconds(2));

        using var done = await SendAsync(HttpMethod.Get, $"emails/operations/{operationId}?api-version=2023-03-31");
        Assert.Equal("Succeeded", JsonNode.Parse(done.Content.ToString())!["status"]!.GetValue<string>());
        Assert.False(done.Headers.TryGetValue("retry-after", out _));
        var report = Assert.IsType<AcsEmailDeliveryReportReceivedEventData>(SystemData(Assert.Single(_events.Of(MessagingSimulator.EmailDeliveryReportType))));
        Assert.Equal(operationId, report.MessageId);
        Assert.Equal("ada@example.com", report.Recipient);
        Assert.Equal("support@contoso.example", report.Sender);
        Assert.Equal(AcsEmailDeliveryReportStatus.Delivered, report.Status);
        Assert.Equal("Delivered", (await MailboxAsync("ada@example.com")).Single()!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bouncing_recipient_is_reported_bounced_and_a_failing_one_fails_the_operation()
    {
        using (await App.PostJsonAsync("/simulator/parties/bob%40example.com", """{"email":"bounce"}""")) { }
        using (await App.PostJsonAsync("/simulator/parties/eve%40example.com", """{"email":"fail"}""")) { }

        using var bounced = await SendAsync(HttpMethod.Post, "emails:send?api-version=2023-03-31", EmailTo("bob@example.com"));
        using var failing = await SendAsync(HttpMethod.Post, "emails:send?api-version=2023-03-31", EmailTo("eve@example.com"));
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        var reports = _events.Of(MessagingSimulator.EmailDeliveryReportType).Select(e => (AcsEmailDeliveryReportReceivedEventData)SystemData(e)).ToDictionary(r => r.Recipient);
        Assert.Equal(AcsEmailDeliveryReportStatus.Bounced, reports["bob@example.com"].Status);
        Assert.Equal(AcsEmailDeliveryReportStatus.Failed, reports["eve@example.com"].Status);
        Assert.Equal("Bounced", (await MailboxAsync("bob@example.com")).Single()!["status"]!.GetValue<string>());
        using var bouncedStatus = await SendAsync(HttpMethod.Get, $"emails/operations/{Id(bounced)}?api-version=2023-03-31");
        Assert.Equal("Succeeded", JsonNode.Parse(bouncedStatus.Content.ToString())!["status"]!.GetValue<string>());
        using var failedStatus = await SendAsync(HttpMethod.Get, $"emails/operations/{Id(failing)}?api-version=2023-03-31");
        var failed = JsonNode.Parse(failedStatus.Content.ToString())!;
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.NotNull(failed["error"]!["code"]);

        static string Id(Response response) => JsonNode.Parse(response.Content.ToString())!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_email_without_recipients_is_refused_and_an_unknown_operation_is_404()
    {
        var email = EmailTo("ada@example.com");
        email["recipients"]!["to"] = new JsonArray();

        using var refused = await SendAsync(HttpMethod.Post, "emails:send?api-version=2023-03-31", email);
        using var unknown = await SendAsync(HttpMethod.Get, $"emails/operations/{Guid.NewGuid()}?api-version=2023-03-31");

        Assert.Equal(400, refused.Status);
        Assert.Equal(404, unknown.Status);
        Assert.Empty(await MailboxAsync("ada@example.com"));
    }

    [Fact]
    public async Task A_customer_reply_is_posted_to_the_inbound_email_webhook_threaded_on_the_message_it_answers()
    {
        using var response = await App.PostJsonAsync("/simulator/email", """
            {"from":"ada@example.com","to":"support@contoso.example","subject":"Re: Your parcel","text":"Thanks!",
             "inReplyTo":"<reply-1@contoso.example>",
             "attachments":[{"name":"photo.png","contentType":"image/png","contentBase64":"iVBORw0KGgo="}]}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var posted = Assert.Single(_webhook.Posts);
        Assert.Equal(answer["messageId"]!.GetValue<string>(), posted["messageId"]!.GetValue<string>());
        Assert.Matches("^<[0-9a-f]{32}@example.com>$", posted["messageId"]!.GetValue<string>());
        Assert.Equal("ada@example.com", posted["from"]!.GetValue<string>());
        Assert.Equal(["support@contoso.example"], posted["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Re: Your parcel", posted["subject"]!.GetValue<string>());
        Assert.Equal("Thanks!", posted["text"]!.GetValue<string>());
        Assert.Equal("<reply-1@contoso.example>", posted["inReplyTo"]!.GetValue<string>());
        Assert.Equal(["<reply-1@contoso.example>"], posted["references"]!.AsArray().Select(t => t!.GetValue<string>()));
        var attachment = Assert.Single(posted["attachments"]!.AsArray())!;
        Assert.Equal("photo.png", attachment["name"]!.GetValue<string>());
        Assert.Equal("image/png", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("iVBORw0KGgo=", attachment["contentBase64"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_app_refuses_the_email_the_customer_sees_a_502_problem_naming_its_answer()
    {
        _webhook.Status = 422;

        using var response = await App.PostJsonAsync("/simulator/email", """{"from":"ada@example.com","to":["support@contoso.example"],"subject":"Hi","text":"Hello"}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("422", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_email_without_a_sender_address_is_a_validation_problem()
    {
        using var response = await App.PostJsonAsync("/simulator/email", """{"from":"ada","to":[],"subject":"Hi"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("from") && errors.ContainsKey("to") && errors.ContainsKey("text"));
        Assert.Empty(_webhook.Posts);
    }

    [Fact]
    public async Task Texts_are_configured_on_numbers_and_emails_on_addresses()
    {
        using var smsOnAddress = await App.PostJsonAsync("/simulator/parties/ada%40example.com", """{"sms":"fail"}""");
        using var emailOnNumber = await App.PostJsonAsync($"/simulator/parties/{Uri.EscapeDataString(Customer)}", """{"email":"bounce"}""");
        using var unknown = await App.PostJsonAsync($"/simulator/parties/{Uri.EscapeDataString(Customer)}", """{"sms":"maybe"}""");

        Assert.Equal(HttpStatusCode.BadRequest, smsOnAddress.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, emailOnNumber.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var parties = await App.GetJsonAsync("/simulator/parties");
        Assert.Empty(parties["messaging"]!["sms"]!.AsObject());
        Assert.Empty(parties["messaging"]!["email"]!.AsObject());
    }

    private static JsonObject SmsTo(string to) => new()
    {
        ["from"] = ContactCenterNumber,
        ["smsRecipients"] = new JsonArray(new JsonObject { ["to"] = to }),
        ["message"] = "Hello",
        ["smsSendOptions"] = new JsonObject { ["enableDeliveryReport"] = true },
    };

    private static JsonObject EmailTo(string address) => new()
    {
        ["senderAddress"] = "support@contoso.example",
        ["recipients"] = new JsonObject { ["to"] = new JsonArray(new JsonObject { ["address"] = address }) },
        ["content"] = new JsonObject { ["subject"] = "Hello", ["plainText"] = "Hello" },
    };

    /// <summary>Sends as the app's ACS clients do: an Azure.Core pipeline with the HMAC policy, no retries.</summary>
    private async Task<Response> SendAsync(HttpMethod method, string relative, JsonObject? body = null, string? accessKey = null)
    {
        var options = new SignedOptions { Retry = { MaxRetries = 0 } };
        var pipeline = HttpPipelineBuilder.Build(options,
            new HmacAuthenticationPolicy(Convert.FromBase64String(accessKey ?? CallAutomationSimulatorOptions.DefaultAccessKey), _time));
        var request = pipeline.CreateRequest();
        request.Method = RequestMethod.Parse(method.Method);
        request.Uri.Reset(new Uri(App.BaseAddress, "simulator/acs/" + relative));
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }
        return await pipeline.SendRequestAsync(request, Ct);
    }

    private sealed class SignedOptions : ClientOptions;

    private async Task<JsonArray> PhoneAsync(string number) =>
        JsonNode.Parse(await App.Client.GetStringAsync($"/simulator/phones/{Uri.EscapeDataString(number)}/messages", Ct))!.AsArray();

    private async Task<JsonArray> MailboxAsync(string address) =>
        JsonNode.Parse(await App.Client.GetStringAsync($"/simulator/mailboxes/{Uri.EscapeDataString(address)}/messages", Ct))!.AsArray();

    /// <summary>Moves virtual time on and lets the local host deliver what it published.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        _time.Advance(by);
        await App.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    /// <summary>
    /// An SMS delivery report's data with the Event Grid library's model. ACS's published samples spell these fields in
    /// PascalCase (MessageId, DeliveryStatus ...) while the library reads camelCase only, so they are read ignoring case,
    /// as the app must read them.
    /// </summary>
    private static AcsSmsDeliveryReportReceivedEventData SmsReport(InboundEvent inbound)
    {
        Assert.True(inbound.Data.TryGetProperty("MessageId", out _), "The wire spells the fields as ACS's samples do.");
        var camel = new JsonObject();
        foreach (var (name, value) in JsonNode.Parse(inbound.Data.GetRawText())!.AsObject())
        {
            camel[JsonNamingPolicy.CamelCase.ConvertName(name)] = Camel(value);
        }
        var gridEvent = new EventGridEvent(inbound.Subject, inbound.Type, "1.0", BinaryData.FromString(camel.ToJsonString()));
        Assert.True(gridEvent.TryGetSystemEventData(out var data));
        return Assert.IsType<AcsSmsDeliveryReportReceivedEventData>(data);

        static JsonNode? Camel(JsonNode? node) => node switch
        {
            JsonArray array => new JsonArray([.. array.Select(Camel)]),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(JsonNamingPolicy.CamelCase.ConvertName(p.Key), Camel(p.Value)))),
            _ => node?.DeepClone(),
        };
    }

    /// <summary>The event's data as the Event Grid library's typed model: proof the simulator's shape is ACS's.</summary>
    private static object SystemData(InboundEvent inbound)
    {
        var gridEvent = new EventGridEvent(inbound.Subject, inbound.Type, "1.0", BinaryData.FromString(inbound.Data.GetRawText()));
        Assert.True(gridEvent.TryGetSystemEventData(out var data));
        return data;
    }

    private sealed class RecordingHandler : IInboundEventHandler
    {
        private readonly List<InboundEvent> _events = [];

        public IReadOnlyList<InboundEvent> Of(string type)
        {
            lock (_events)
            {
                return [.. _events.Where(e => e.Type == type)];
            }
        }

        public bool Handles(string eventType) => eventType is MessagingSimulator.SmsDeliveryReportType or MessagingSimulator.EmailDeliveryReportType;

        public Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
        {
            lock (_events)
            {
                _events.Add(inboundEvent);
            }
            return Task.CompletedTask;
        }
    }
}
