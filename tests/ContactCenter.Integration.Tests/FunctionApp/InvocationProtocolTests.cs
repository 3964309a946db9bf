using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>The custom-handler protocol over real Kestrel and real HTTP, with payloads shaped like the host's.</summary>
public sealed class InvocationProtocolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_grid_invocation_answers_outputs_and_logs_with_the_event_for_the_queue()
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.InvokeAsync("AcsEvents", HostPayloads.SmsReceivedEventGridSchema());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.Select(p => p.Key));
        var message = InboundEvent.FromJson(body["Outputs"]!["inboundEvents"]!.GetValue<string>());
        Assert.Equal("6f3f7b8e-0000-4000-8000-000000000001", message.Id);
        Assert.Equal("Microsoft.Communication.SMSReceived", message.Type);
        Assert.Equal("Where is my order?", message.Data.GetProperty("Message").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).AddTicks(1234567), message.Time);
        Assert.Contains("SMSReceived", body["Logs"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cloud_events_schema_delivery_is_accepted_too()
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.InvokeAsync("AcsEvents", HostPayloads.IncomingCallCloudEventSchema());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var message = InboundEvent.FromJson(body["Outputs"]!["inboundEvents"]!.GetValue<string>());
        Assert.Equal("Microsoft.Communication.IncomingCall", message.Type);
        Assert.Equal("c2VydmVyQ2FsbElk", message.Data.GetProperty("serverCallId").GetString());
    }

    [Fact]
    public async Task A_service_bus_invocation_applies_the_event_once_even_when_delivered_twice()
    {
        await using var app = await RunningApp.StartAsync();
        var accepted = JsonNode.Parse(await (await app.InvokeAsync("AcsEvents", HostPayloads.SmsReceivedEventGridSchema("dup-1"))).Content.ReadAsStringAsync(Ct))!;
        var queued = accepted["Outputs"]!["inboundEvents"]!.GetValue<string>();

        using var first = await app.InvokeAsync("InboundEvents", HostPayloads.ServiceBusMessage(queued));
        using var second = await app.InvokeAsync("InboundEvents", HostPayloads.ServiceBusMessage(queued, deliveryCount: 2));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Applied", await first.Content.ReadAsStringAsync(Ct)); // the text joined a customer's case
        Assert.Contains("Duplicate", await second.Content.ReadAsStringAsync(Ct));
        Assert.NotNull(await app.Store.GetAsync(TableNames.InboundEvents, "dup-1", "processed", Ct));
    }

    [Fact]
    public async Task A_message_body_sent_as_a_json_object_is_refused_because_the_host_never_sends_one()
    {
        await using var app = await RunningApp.StartAsync();
        var payload = HostPayloads.ServiceBusMessage("placeholder");
        payload["Data"]!["message"] = JsonNode.Parse("""{"id":"obj-1","type":"Custom.Type","source":"/s","time":"2026-11-23T09:00:00Z","data":{}}""");

        using var response = await app.InvokeAsync("InboundEvents", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("base64", await response.Content.ReadAsStringAsync(Ct));
        Assert.Null(await app.Store.GetAsync(TableNames.InboundEvents, "obj-1", "processed", Ct));
    }

    [Fact]
    public async Task A_timer_invocation_records_a_heartbeat_that_health_reports()
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.InvokeAsync("Heartbeat", HostPayloads.Timer(isPastDue: true));
        var health = await app.GetJsonAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, health["heartbeat"]!["runs"]!.GetValue<long>());
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AcsEvents", "not json", "not a valid invocation payload")]
    [InlineData("AcsEvents", "[1,2]", "not a valid invocation payload")]
    [InlineData("AcsEvents", "null", "JSON null")]
    [InlineData("AcsEvents", """{"Metadata":{}}""", "no Data object")]
    [InlineData("AcsEvents", """{"Data":{}}""", "Data.eventGridEvent is required")]
    // An event that arrives whole but cannot be read is no protocol error: it is parked, see AcsPayloadToleranceTests.
    // A Service Bus body the host could not have sent (with dataType binary it is always base64) is one: 400.
    [InlineData("InboundEvents", """{"Data":{"message":"{}"}}""", "neither base64")]
    [InlineData("InboundEvents", """{"Data":{"message":"//79"}}""", "not UTF-8")]
    [InlineData("InboundEvents", """{"Data":{"message":42}}""", "base64 string")]
    [InlineData("Heartbeat", """{"Data":{"timer":null}}""", "Data.timer is required")]
    public async Task Malformed_invocations_get_400_problem_json_and_the_process_keeps_serving(string function, string body, string reason)
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.Client.PostAsync($"/{function}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal(function, problem["function"]!.GetValue<string>());
        Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_failing_function_answers_500_problem_json_so_the_host_retries()
    {
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IStateStore>(InterceptingStore.Unreachable()));

        using var response = await app.InvokeAsync("InboundEvents", HostPayloads.ServiceBusMessage(
            """{"id":"e","type":"t","source":"s","time":"2026-11-23T09:00:00Z","data":{}}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Contains("retry", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("storage account is down", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_503_with_the_reason_when_the_store_is_unreachable()
    {
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IStateStore>(InterceptingStore.Unreachable()));

        using var response = await app.Client.GetAsync("/api/health", Ct);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", health["status"]!.GetValue<string>());
        Assert.Contains("storage account is down", health["store"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_functions_and_wrong_methods_get_problem_json()
    {
        await using var app = await RunningApp.StartAsync();

        using var unknown = await app.Client.PostAsync("/NoSuchFunction", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        using var wrongMethod = await app.Client.PostAsync("/api/health", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
    }
}
