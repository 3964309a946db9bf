using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;
using ContactCenter.Functions.Voice;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Voice;

/// <summary>POST/OPTIONS /api/events/acs in local mode: Event Grid's webhook handshakes and deliveries reaching inbound-events.</summary>
public sealed class EventGridWebhookTests
{
    private const string Path = "/api/events/acs";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject IncomingCallEventGridSchema(string id) => new()
    {
        ["id"] = id,
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-cc",
        ["subject"] = "/caller/4:+14255550100/recipient/4:+18005550199",
        ["eventType"] = "Microsoft.Communication.IncomingCall",
        ["eventTime"] = "2026-11-03T09:15:20Z",
        ["dataVersion"] = "1.0",
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject
        {
            ["to"] = new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:+18005550199", ["phoneNumber"] = new JsonObject { ["value"] = "+18005550199" } },
            ["from"] = new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:+14255550100", ["phoneNumber"] = new JsonObject { ["value"] = "+14255550100" } },
            ["serverCallId"] = "server-call-1",
            ["incomingCallContext"] = "eyJhbGciOiJub25lIn0.eyJjYyI6IjEifQ.",
            ["correlationId"] = "corr-1",
        },
    };

    private static JsonObject IncomingCallCloudEvent(string id) => new()
    {
        ["id"] = id,
        ["source"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-cc",
        ["subject"] = "/caller/4:+14255550100/recipient/4:+18005550199",
        ["type"] = "Microsoft.Communication.IncomingCall",
        ["time"] = "2026-11-03T09:15:20Z",
        ["specversion"] = "1.0",
        ["data"] = IncomingCallEventGridSchema(id)["data"]!.DeepClone(),
    };

    private static async Task<RunningApp> StartAsync(RecordingHandler handler) =>
        await RunningApp.StartAsync(new Dictionary<string, string?> { ["Voice:Numbers:0"] = "+10000000000" }, s => s.AddSingleton<IInboundEventHandler>(handler)); // not ours: only the recording handler acts on calls

    [Fact]
    public async Task The_event_grid_subscription_validation_is_answered_with_its_code_and_nothing_is_queued()
    {
        var handler = new RecordingHandler();
        await using var app = await StartAsync(handler);
        var validation = new JsonArray(new JsonObject
        {
            ["id"] = "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
            ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-cc",
            ["subject"] = "",
            ["data"] = new JsonObject { ["validationCode"] = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", ["validationUrl"] = "https://rp-eastus2.eventgrid.azure.net/eventsubscriptions/x/validate?id=512d38b6" },
            ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
            ["eventTime"] = "2026-11-03T09:00:00Z",
            ["metadataVersion"] = "1",
            ["dataVersion"] = "2",
        });

        using var response = await app.PostJsonAsync(Path, validation.ToJsonString());
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", body["validationResponse"]!.GetValue<string>());
        Assert.Single(body);
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered);
    }

    [Fact]
    public async Task The_cloudevents_abuse_protection_handshake_allows_the_requesting_origin()
    {
        await using var app = await StartAsync(new RecordingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Options, Path);
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        request.Headers.Add("WebHook-Request-Rate", "120");

        using var response = await app.Client.SendAsync(request, Ct);
        using var withoutOrigin = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, Path), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Origin")));
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Rate")));
        Assert.Equal(HttpStatusCode.BadRequest, withoutOrigin.StatusCode);
        Assert.Equal("application/problem+json", withoutOrigin.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_delivered_incoming_call_reaches_the_inbound_events_queue_and_its_handler_once()
    {
        var handler = new RecordingHandler();
        await using var app = await StartAsync(handler);
        var id = "call-" + Guid.NewGuid().ToString("N");
        var delivery = new JsonArray(IncomingCallEventGridSchema(id)).ToJsonString();

        using var first = await app.PostJsonAsync(Path, delivery);
        using var redelivered = await app.PostJsonAsync(Path, delivery);
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await first.Content.ReadAsStringAsync(Ct))!["accepted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        var applied = Assert.Single(handler.Events);
        Assert.Equal(id, applied.Id);
        Assert.Equal("Microsoft.Communication.IncomingCall", applied.Type);
        Assert.Equal("eyJhbGciOiJub25lIn0.eyJjYyI6IjEifQ.", applied.Data.GetProperty("incomingCallContext").GetString());
        Assert.True((await app.Store.GetAsync(TableNames.InboundEvents, id, "processed", Ct))!.GetBoolean("Handled"));
        Assert.Empty(app.LocalHost.DeadLetters);
    }

    [Fact]
    public async Task Cloudevents_deliveries_single_or_batched_are_queued_in_order()
    {
        var handler = new RecordingHandler();
        await using var app = await StartAsync(handler);
        var (a, b, c) = ("ce-a-" + Guid.NewGuid().ToString("N"), "ce-b-" + Guid.NewGuid().ToString("N"), "ce-c-" + Guid.NewGuid().ToString("N"));

        using var single = await app.Client.PostAsync(Path, new StringContent(IncomingCallCloudEvent(a).ToJsonString(), Encoding.UTF8, "application/cloudevents+json"), Ct);
        using var batch = await app.Client.PostAsync(Path, new StringContent(new JsonArray(IncomingCallCloudEvent(b), IncomingCallCloudEvent(c)).ToJsonString(),
            Encoding.UTF8, "application/cloudevents-batch+json"), Ct);
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await batch.Content.ReadAsStringAsync(Ct))!["accepted"]!.GetValue<int>());
        Assert.Equal([a, b, c], handler.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task Event_grid_notices_about_the_subscription_are_acknowledged_not_queued()
    {
        await using var app = await StartAsync(new RecordingHandler());
        var deleted = new JsonArray(new JsonObject
        {
            ["id"] = "d1", ["topic"] = "/t", ["subject"] = "/s", ["eventType"] = "Microsoft.EventGrid.SubscriptionDeletedEvent",
            ["eventTime"] = "2026-11-03T09:00:00Z", ["dataVersion"] = "1", ["data"] = new JsonObject { ["eventSubscriptionId"] = "/x" },
        });

        using var response = await app.PostJsonAsync(Path, deleted.ToJsonString());
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["ignored"]!.GetValue<int>());
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered);
    }

    [Theory]
    [InlineData("[]", "no events")]
    [InlineData("""[{"id":"v","topic":"/t","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-03T09:00:00Z","dataVersion":"2","data":{}}]""", "no data.validationCode")]
    public async Task Deliveries_that_are_no_delivery_at_all_answer_400_problem_json_and_queue_nothing(string body, string reason)
    {
        await using var app = await StartAsync(new RecordingHandler());

        using var response = await app.PostJsonAsync(Path, body);
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Invalid Event Grid delivery", problem["title"]!.GetValue<string>());
        Assert.Contains(reason, problem["detail"]!.GetValue<string>());
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered);
    }

    /// <summary>No retry makes these readable: Event Grid would retry for a day and dead-letter them, so they are parked and answered 200.</summary>
    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("42", "not Number")]
    [InlineData("""[{"id":"x"}]""", "expected 'eventType'")]
    [InlineData("""[{"eventType":"Microsoft.Communication.IncomingCall","subject":"s","eventTime":"2026-11-03T09:00:00Z","dataVersion":"1"}]""", "'id' is required")]
    public async Task Unreadable_deliveries_are_parked_with_their_reason_answered_200_and_queue_nothing(string body, string reason)
    {
        await using var app = await StartAsync(new RecordingHandler());

        using var response = await app.PostJsonAsync(Path, body);
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["parked"]!.GetValue<int>());
        var parked = (await app.GetJsonAsync("/api/supervisor/unprocessable"))["events"]!.AsArray().Single()!;
        Assert.Contains(reason, parked["reason"]!.GetValue<string>());
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered);
    }

    [Fact]
    public async Task One_bad_event_in_a_batch_is_parked_and_the_good_one_is_still_queued()
    {
        var handler = new RecordingHandler();
        await using var app = await StartAsync(handler);
        var bad = IncomingCallEventGridSchema("bad");
        bad.Remove("eventTime");
        var good = "good-" + Guid.NewGuid().ToString("N");

        using var response = await app.PostJsonAsync(Path, new JsonArray(IncomingCallEventGridSchema(good), bad).ToJsonString());
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(good, Assert.Single(handler.Events).Id);
        var parked = (await app.GetJsonAsync("/api/supervisor/unprocessable"))["events"]!.AsArray().Single()!;
        Assert.Equal("bad", parked["eventId"]!.GetValue<string>());
        Assert.Contains("Event [1]: Event Grid event attribute 'eventTime' is required", parked["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validation_event_mixed_with_others_is_refused()
    {
        await using var app = await StartAsync(new RecordingHandler());
        var validation = new JsonObject
        {
            ["id"] = "v", ["topic"] = "/t", ["subject"] = "", ["eventType"] = EventGridWebhookFunction.SubscriptionValidationEventType,
            ["eventTime"] = "2026-11-03T09:00:00Z", ["dataVersion"] = "2", ["data"] = new JsonObject { ["validationCode"] = "c" },
        };

        using var response = await app.PostJsonAsync(Path, new JsonArray(validation, IncomingCallEventGridSchema("x")).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered);
    }

    [Fact]
    public async Task A_body_larger_than_any_event_grid_delivery_is_refused()
    {
        await using var app = await StartAsync(new RecordingHandler());

        using var response = await app.PostJsonAsync(Path, "[" + new string(' ', EventGridWebhookFunction.MaxBodyBytes) + "]");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed class RecordingHandler : IInboundEventHandler
    {
        private readonly List<InboundEvent> _events = [];

        public IReadOnlyList<InboundEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public bool Handles(string eventType) => eventType == "Microsoft.Communication.IncomingCall";

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
