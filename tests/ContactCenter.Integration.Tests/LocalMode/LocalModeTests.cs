using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.LocalMode;

/// <summary>Local mode plays the Functions host: Event Grid, Service Bus and timer triggers through the same endpoints.</summary>
public sealed class LocalModeTests(AzuriteFixture azurite)
{
    private const string Sms = """{"from":"+14255550100","to":"+18005550199","message":"My parcel is late"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_simulated_sms_travels_event_grid_then_the_queue_and_is_recorded_once()
    {
        var counter = new CountingHandler();
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IInboundEventHandler>(counter));

        using var response = await app.PostJsonAsync("/simulator/sms", Sms);
        var eventId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["eventId"]!.GetValue<string>();
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var applied = Assert.Single(counter.Events);
        Assert.Equal(eventId, applied.Id);
        Assert.Equal("14255550100", applied.Data.GetProperty("From").GetString()); // as ACS's published sample writes it; the app reads it as +14255550100
        Assert.Equal("My parcel is late", applied.Data.GetProperty("Message").GetString());
        Assert.True((await app.Store.GetAsync(TableNames.InboundEvents, eventId, "processed", Ct))!.GetBoolean("Handled"));
        // Event Grid → inbound-events → the customer's case, routed by the ACD: nothing failed on the way.
        Assert.Equal(0, app.LocalHost.Snapshot().DeadLettered);
        var customer = await app.Services.GetRequiredService<ContactCenter.Core.Conversations.ConversationService>()
            .FindCustomerAsync(ContactCenter.Core.Conversations.CustomerIdentity.Phone("+14255550100"), Ct);
        Assert.NotNull(customer?.OpenConversationId);
    }

    [Fact]
    public async Task The_same_event_published_twice_is_applied_once()
    {
        var counter = new CountingHandler();
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IInboundEventHandler>(counter));
        var gridEvent = """{"id":"same-1","topic":"/t","subject":"/s","eventType":"Microsoft.Communication.SMSReceived","eventTime":"2026-11-23T09:00:00Z","dataVersion":"1.0","data":{"MessageId":"Incoming_same-1","From":"+14255550100","To":"+18005550199","Message":"hi","ReceivedTimestamp":"2026-11-23T09:00:00Z"}}""";
        var admin = new JsonObject { ["input"] = gridEvent }.ToJsonString();

        await app.PostJsonAsync("/admin/functions/AcsEvents", admin);
        await app.PostJsonAsync("/admin/functions/AcsEvents", admin);
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Single(counter.Events);
        Assert.Equal(0, app.LocalHost.Snapshot().DeadLettered);
        var conversations = app.Services.GetRequiredService<ContactCenter.Core.Conversations.ConversationService>();
        var customer = await conversations.FindCustomerAsync(ContactCenter.Core.Conversations.CustomerIdentity.Phone("+14255550100"), Ct);
        Assert.Single(await conversations.TimelineAsync(customer!.Id, ct: Ct));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_succeeds()
    {
        var store = InterceptingStore.FailingFirstReads(2);
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IStateStore>(store));

        using var response = await app.PostJsonAsync("/simulator/sms", Sms);
        var eventId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["eventId"]!.GetValue<string>();
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.NotNull(await store.GetAsync(TableNames.InboundEvents, eventId, "processed", Ct));
        Assert.Empty(app.LocalHost.DeadLetters);
    }

    [Fact]
    public async Task A_poison_message_is_dead_lettered_after_max_delivery_count_and_can_be_inspected()
    {
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Local:MaxDeliveryCount"] = "3" });

        // An outbound message that is not one fails its invocation (an unreadable ACS event would be parked instead, see docs/acs-payloads.md).
        using var accepted = await app.PostJsonAsync("/admin/functions/OutboundMessages", """{"input":"this is not an event"}""");
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var listed = JsonNode.Parse(await app.Client.GetStringAsync("/admin/local/dead-letters", Ct))!.AsArray();

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var dead = Assert.Single(listed)!;
        Assert.Equal("servicebus:outbound-messages", dead["source"]!.GetValue<string>());
        Assert.Equal("this is not an event", dead["body"]!.GetValue<string>());
        Assert.Equal(3, dead["deliveryCount"]!.GetValue<int>());
        Assert.Contains("answered 500", dead["reason"]!.GetValue<string>());
        Assert.Equal(1, (await app.GetJsonAsync("/api/health"))["local"]!["deadLettered"]!.GetValue<int>());
    }

    [Fact]
    public async Task Timers_fire_on_their_schedule_in_virtual_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 30, TimeSpan.Zero));
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Local:RunTimers"] = "true" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        // The schedule is every five minutes; starting at 09:00:30 it is due at 09:05 and 09:10.
        var first = new DateTimeOffset(2026, 11, 23, 9, 5, 0, TimeSpan.Zero);
        await WaitForTimerArmedAsync(app, first);
        var observed = new List<long>();
        for (var minute = 1; minute <= 10; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            if (minute is 5 or 10)
            {
                // Each firing re-arms the timer for the next occurrence; wait for that before moving the clock on.
                await WaitForTimerArmedAsync(app, first.AddMinutes(minute));
            }
            observed.Add(await HeartbeatRunsAsync(app));
        }

        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 1, 2], observed);
        var lastRun = (await app.GetJsonAsync("/api/health"))["heartbeat"]!["lastRunAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 10, 30, TimeSpan.Zero), lastRun);
    }

    [Fact]
    public async Task Local_mode_can_keep_its_state_in_azurite()
    {
        var table = "InboundEvents";
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString });

        using var response = await app.PostJsonAsync("/simulator/sms", Sms);
        var eventId = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["eventId"]!.GetValue<string>();
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var health = await app.GetJsonAsync("/api/health");
        Assert.Equal("table-storage", health["store"]!["kind"]!.GetValue<string>());
        var stored = await azurite.ServiceClient.GetTableClient(table).GetEntityIfExistsAsync<global::Azure.Data.Tables.TableEntity>(eventId, "processed", cancellationToken: Ct);
        Assert.True(stored.HasValue);
        Assert.Equal("Microsoft.Communication.SMSReceived", stored.Value!.GetString("Type"));
    }

    [Theory]
    [InlineData("""{"from":"4255550100","to":"+18005550199","message":"hi"}""", "from")]
    [InlineData("""{"from":"+14255550100","message":"hi"}""", "to")]
    [InlineData("""{"from":"+14255550100","to":"+18005550199","message":""}""", "message")]
    public async Task The_simulator_rejects_bad_input_with_validation_problems(string body, string field)
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.PostJsonAsync("/simulator/sms", body);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0, app.LocalHost.Snapshot().Delivered + app.LocalHost.Snapshot().InFlight);
    }

    [Fact]
    public async Task The_simulator_and_admin_api_answer_malformed_requests_with_problem_json()
    {
        await using var app = await RunningApp.StartAsync();

        using var notJson = await app.Client.PostAsync("/simulator/sms", new StringContent("hello", Encoding.UTF8, "text/plain"), Ct);
        using var brokenJson = await app.PostJsonAsync("/simulator/calls", "{\"from\":");
        using var tooLong = await app.PostJsonAsync("/simulator/sms", new JsonObject { ["from"] = "+14255550100", ["to"] = "+18005550199", ["message"] = new string('x', 2049) }.ToJsonString());
        using var unknown = await app.PostJsonAsync("/admin/functions/Nope", "{}");
        using var http = await app.PostJsonAsync("/admin/functions/Health", "{}");
        using var noInput = await app.PostJsonAsync("/admin/functions/InboundEvents", "{}");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, brokenJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noInput.StatusCode);
        foreach (var response in new[] { notJson, brokenJson, tooLong, unknown, http, noInput })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_simulated_call_reaches_the_handlers_as_an_incoming_call_the_event_grid_library_can_type()
    {
        var counter = new CountingHandler { Type = "Microsoft.Communication.IncomingCall" };
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IInboundEventHandler>(counter));

        await app.PostJsonAsync("/simulator/calls", """{"from":"+14255550100","to":"+18005550199","callerDisplayName":"Ada"}""");
        await app.LocalHost.WaitForIdleAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var call = Assert.Single(counter.Events);
        var typed = Assert.IsType<global::Azure.Messaging.EventGrid.SystemEvents.AcsIncomingCallEventData>(
            ContactCenter.Azure.EventGrid.EventGridEventReader.SystemEventData(call));
        Assert.Equal("+14255550100", typed.FromCommunicationIdentifier.PhoneNumber.Value);
        Assert.Equal("Ada", typed.CallerDisplayName);
    }

    private static async Task<long> HeartbeatRunsAsync(RunningApp app) =>
        (await app.GetJsonAsync("/api/health"))["heartbeat"]!["runs"]!.GetValue<long>();

    private static async Task WaitForTimerArmedAsync(RunningApp app, DateTimeOffset due)
    {
        var deadline = DateTime.UtcNow + Patience.Condition;
        while (!(app.LocalHost.Snapshot().TimersDueAt.TryGetValue("Heartbeat", out var armed) && armed == due))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The Heartbeat timer was never armed for {due:O}.");
            await Task.Delay(5, Ct);
        }
    }

    private sealed class CountingHandler : IInboundEventHandler
    {
        public string Type { get; init; } = "Microsoft.Communication.SMSReceived";
        public List<InboundEvent> Events { get; } = [];
        public bool Handles(string eventType) => eventType == Type;
        public Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
        {
            lock (Events)
            {
                Events.Add(inboundEvent);
            }
            return Task.CompletedTask;
        }
    }
}
