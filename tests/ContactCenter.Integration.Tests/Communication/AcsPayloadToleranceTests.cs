using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>
/// The published ACS payloads (Fixtures/Acs) and variants of them through the running app in local mode, the way Event
/// Grid and Service Bus deliver them: what can be applied is applied, what cannot is parked on the unprocessable list
/// (GET /api/health, GET /api/supervisor/unprocessable) and never fails the invocation into a dead letter.
/// </summary>
public sealed class AcsPayloadToleranceTests
{
    private const string Webhook = "/api/events/acs";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<RunningApp> StartAsync() =>
        await RunningApp.StartAsync();

    private static async Task SettleAsync(RunningApp app) =>
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

    private static async Task<IReadOnlyList<TimelineEntry>> TimelineOfAsync(RunningApp app, CustomerIdentity identity)
    {
        var customer = await app.Services.GetRequiredService<ConversationService>().FindCustomerAsync(identity, Ct);
        Assert.True(customer is not null, $"no customer {identity}");
        return await app.Services.GetRequiredService<ConversationRepository>().TimelineAsync(customer.Id, 50, Ct);
    }

    [Fact]
    public async Task The_documented_sms_from_a_number_without_plus_reaches_the_timeline_of_that_number()
    {
        await using var app = await StartAsync();

        app.LocalHost.PublishEvent(AcsFixtures.Event("eventgrid-sms-received.json"));
        await SettleAsync(app);

        Assert.Empty(app.LocalHost.DeadLetters);
        var entry = Assert.Single(await TimelineOfAsync(app, CustomerIdentity.Phone("+15555555555")), e => e.Id.StartsWith("sms|", StringComparison.Ordinal));
        Assert.Equal("Great to connect with Azure Communication Services events", entry.Text);
        Assert.Equal("+15555555555", entry.From);
    }

    [Fact]
    public async Task A_text_from_a_sender_that_is_no_phone_number_is_filed_on_a_customer_keyed_by_that_sender()
    {
        await using var app = await StartAsync();
        var sms = AcsFixtures.Event("eventgrid-sms-received.json");
        // Variant: an alphanumeric sender id instead of a number.
        sms["data"]!["From"] = "CONTOSO";

        app.LocalHost.PublishEvent(sms);
        await SettleAsync(app);

        Assert.Empty(app.LocalHost.DeadLetters);
        var entry = Assert.Single(await TimelineOfAsync(app, CustomerIdentity.Raw("CONTOSO")), e => e.Id.StartsWith("sms|", StringComparison.Ordinal));
        Assert.Equal("CONTOSO", entry.From);
    }

    [Fact]
    public async Task An_sms_event_without_its_sender_is_parked_with_its_reason_not_dead_lettered()
    {
        await using var app = await StartAsync();
        var sms = AcsFixtures.Event("eventgrid-sms-received.json");
        // Variant: the sender left out.
        sms["data"]!.AsObject().Remove("From");

        app.LocalHost.PublishEvent(sms);
        await SettleAsync(app);

        Assert.Empty(app.LocalHost.DeadLetters);
        var list = await app.GetJsonAsync("/api/supervisor/unprocessable");
        Assert.Equal(1, list["count"]!.GetValue<int>());
        var parked = list["events"]![0]!;
        Assert.Equal("InboundEvents", parked["source"]!.GetValue<string>());
        Assert.Equal("Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e", parked["eventId"]!.GetValue<string>());
        Assert.Contains("'data.from' is required", parked["reason"]!.GetValue<string>());
        Assert.Contains("Great to connect", parked["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delivery_with_an_unreadable_event_queues_the_readable_one_parks_the_other_and_answers_200()
    {
        await using var app = await StartAsync();
        var bad = AcsFixtures.Event("eventgrid-email-delivery-report.json");
        // Variant: the envelope's eventTime left out, which the Event Grid schema requires.
        bad.Remove("eventTime");
        var delivery = new JsonArray(AcsFixtures.Event("eventgrid-sms-received.json"), bad);

        using var response = await app.PostJsonAsync(Webhook, delivery.ToJsonString());
        await SettleAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal((1, 1), (answer["accepted"]!.GetValue<int>(), answer["parked"]!.GetValue<int>()));
        Assert.Single(await TimelineOfAsync(app, CustomerIdentity.Phone("+15555555555")), e => e.Id.StartsWith("sms|", StringComparison.Ordinal));

        var health = await app.GetJsonAsync("/api/health");
        Assert.Equal(1, health["unprocessable"]!["count"]!.GetValue<int>());
        Assert.Equal("AcsEventGridWebhook", health["unprocessable"]!["latest"]!["source"]!.GetValue<string>());
        Assert.Contains("'eventTime' is required", health["unprocessable"]!["latest"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_parked_and_answered_200_so_event_grid_does_not_retry_it()
    {
        await using var app = await StartAsync();

        using var response = await app.PostJsonAsync(Webhook, "{\"id\": \"truncated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await app.GetJsonAsync("/api/supervisor/unprocessable");
        Assert.Equal("{\"id\": \"truncated", list["events"]![0]!["payload"]!.GetValue<string>());
        Assert.Contains("not JSON", list["events"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_the_event_grid_trigger_cannot_read_is_parked_and_the_invocation_succeeds()
    {
        await using var app = await StartAsync();
        var bad = AcsFixtures.Event("eventgrid-sms-received.json");
        bad.Remove("id");

        app.LocalHost.PublishEvent(bad);
        await SettleAsync(app);

        Assert.Empty(app.LocalHost.DeadLetters);
        var list = await app.GetJsonAsync("/api/supervisor/unprocessable");
        Assert.Equal("AcsEvents", list["events"]![0]!["source"]!.GetValue<string>());
        Assert.Contains("'id' is required", list["events"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_work_that_cannot_be_read_is_parked_not_dead_lettered()
    {
        await using var app = await StartAsync();

        app.LocalHost.SendToQueue(QueueNames.CallWork, "{\"kind\":\"providerEvent\",\"callId\":\"call-x\",\"payload\":\"[{\\\"id\\\":\\\"e1\\\"}]\"}", sessionId: "call-x", messageId: "m-1");
        await SettleAsync(app);

        Assert.Empty(app.LocalHost.DeadLetters);
        var parked = (await app.GetJsonAsync("/api/supervisor/unprocessable"))["events"]![0]!;
        Assert.Equal("CallWork", parked["source"]!.GetValue<string>());
        Assert.Contains("'type' is required", parked["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_supervisors_see_the_unprocessable_list()
    {
        await using var app = await StartAsync();

        using var asAgent = await app.ClientAs("agent-ann").GetAsync("/api/supervisor/unprocessable", Ct);
        using var anonymous = await app.AnonymousClient().GetAsync("/api/supervisor/unprocessable", Ct);
        using var badLimit = await app.Client.GetAsync("/api/supervisor/unprocessable?limit=0", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(0, (await app.GetJsonAsync("/api/supervisor/unprocessable"))["count"]!.GetValue<int>());
    }

    /// <summary>The Event Grid trigger as the host invokes it: a whole invocation whose event cannot be read is no protocol error.</summary>
    [Theory]
    [InlineData("""{"id":"x"}""", "expected 'eventType'")]
    [InlineData("""{"id":"x","eventType":"t","subject":"s","dataVersion":"1","eventTime":"yesterday"}""", "RFC 3339")]
    [InlineData("""{"specversion":"0.3","id":"x","type":"t","source":"s"}""", "specversion")]
    public async Task An_event_grid_invocation_with_an_unreadable_event_succeeds_queues_nothing_and_parks_it(string gridEvent, string reason)
    {
        await using var app = await StartAsync();

        using var response = await app.InvokeAsync("AcsEvents", JsonNode.Parse("{\"Data\":{\"eventGridEvent\":" + gridEvent + "},\"Metadata\":{}}")!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Null(answer["Outputs"]?[global::ContactCenter.Functions.Functions.FunctionCatalog.InboundEventsOutput]);
        var parked = (await app.GetJsonAsync("/api/supervisor/unprocessable"))["events"]!.AsArray().Single()!;
        Assert.Equal("AcsEvents", parked["source"]!.GetValue<string>());
        Assert.Contains(reason, parked["reason"]!.GetValue<string>());
    }
}
