using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Functions.Voice;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Voice;

/// <summary>
/// A phone call end to end in local mode, all over HTTP: the simulator offers the call through Event Grid, the app
/// answers with the real Call Automation client, runs the shipped IVR, queues the call in the ACD, rings the agent in
/// when they accept, and ends it cleanly. The simulator's callbacks come back signed; time is virtual.
/// </summary>
public sealed class VoiceEndToEndTests : IAsyncLifetime
{
    // A Tuesday morning in London: the shipped flow's business hours are open.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private RunningApp? _app;

    private RunningApp App => _app!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Voice:AnnouncementInterval"] = "00:00:00" }, s => s.AddSingleton<TimeProvider>(_time));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await App.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : [];
    }

    /// <summary>Waits (in real time; callbacks travel over HTTP) until the condition holds.</summary>
    /// <summary>
    /// Moves virtual time a second at a time until the condition holds: a simulated prompt's end is scheduled when the
    /// simulator has handled the request, which the test sees over HTTP a moment before or after.
    /// </summary>
    private async Task<T> AdvanceUntilAsync<T>(Func<Task<T?>> probe, string what)
    {
        for (var deadline = DateTime.UtcNow + Patience.Condition; DateTime.UtcNow < deadline;)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException($"Still waiting for {what}.");
    }

    private async Task<JsonObject> SimulatedCallAsync(string id) => await App.GetJsonAsync($"/simulator/calls/{id}");

    private async Task<string> CallerHearsAsync(string simulatedCall, string text) => await Eventually.ValueAsync(async () =>
        (await SimulatedCallAsync(simulatedCall))["heard"]!.AsArray().Select(h => h!["text"]?.GetValue<string>()).LastOrDefault(t => t?.Contains(text) == true),
        $"the caller to hear '{text}'");

    private async Task AdvanceAsync(TimeSpan by)
    {
        _time.Advance(by);
        await App.LocalHost.WaitForIdleAsync(Ct);
    }

    private async Task AgentAsync(string id)
    {
        await SendAsync(HttpMethod.Put, $"/api/agents/{id}", $$"""{"name":"{{id}}","skills":{"sales":5},"voiceAddress":"8:acs:agent-{{id}}"}""");
        await SendAsync(HttpMethod.Put, $"/api/agents/{id}/presence", """{"presence":"available"}""");
    }

    /// <summary>A customer calls and presses 1 for sales; returns the simulator's call id and ours (the ACD contact).</summary>
    private async Task<(string Simulated, string CallId)> CallSalesAsync(string from = "+14255550100")
    {
        var placed = await SendAsync(HttpMethod.Post, "/simulator/calls", $$"""{"from":"{{from}}","to":"+18005550199"}""", HttpStatusCode.Accepted);
        var simulated = placed["callId"]!.GetValue<string>();
        await CallerHearsAsync(simulated, "Thank you for calling Contoso.");
        // The greeting plays (about two seconds of virtual time), then the menu listens.
        await AdvanceUntilAsync(async () => (await SimulatedCallAsync(simulated))["pendingRecognize"] is JsonObject pending ? pending : null, "the menu to listen");
        await SendAsync(HttpMethod.Post, $"/simulator/calls/{simulated}/press", """{"tones":"1"}""", HttpStatusCode.Accepted);
        await CallerHearsAsync(simulated, "An agent will be with you");
        var queued = await Eventually.ValueAsync(async () =>
            (await App.GetJsonAsync("/api/queues/sales"))["contactIds"]!.AsArray().Select(c => c!.GetValue<string>()).FirstOrDefault(), "the call to wait in sales");
        return (simulated, queued);
    }

    [Fact]
    public async Task A_caller_navigates_the_ivr_waits_and_talks_to_the_agent_who_accepts_then_hangs_up()
    {
        var (simulated, callId) = await CallSalesAsync();
        Assert.Equal("Queued", (await App.GetJsonAsync($"/api/calls/{callId}"))["stage"]!.GetValue<string>());

        await AgentAsync("ann");
        var offer = await Eventually.ValueAsync(async () => (await App.GetJsonAsync("/api/agents/ann"))["offer"] as JsonObject, "the offer to ann");
        Assert.Equal(callId, offer["contactId"]!.GetValue<string>());
        await SendAsync(HttpMethod.Post, $"/api/agents/ann/offers/{callId}/accept", "{}");
        await Eventually.ValueAsync(async () => (await SimulatedCallAsync(simulated))["transcript"]!.AsArray()
            .Any(t => t!["text"]!.GetValue<string>().Contains("Inviting 8:acs:agent-ann")) ? "" : null, "ann's client to ring");
        // Ann's client answers after a second.
        await AdvanceUntilAsync(async () => (await SimulatedCallAsync(simulated))["agentJoined"]!.GetValue<bool>() ? "" : null, "ann to join");
        await Eventually.ValueAsync(async () => (await App.GetJsonAsync($"/api/calls/{callId}"))["stage"]!.GetValue<string>() == "Connected" ? "" : null, "the call to be connected");

        await SendAsync(HttpMethod.Post, $"/simulator/calls/{simulated}/hangup", "{}", HttpStatusCode.Accepted);

        var ended = await Eventually.ValueAsync(async () => await App.GetJsonAsync($"/api/calls/{callId}") is var call && call["stage"]!.GetValue<string>() == "Ended" ? call : null, "the call to end");
        Assert.Equal("handled by ann", ended["outcome"]!.GetValue<string>());
        var contact = (await App.GetJsonAsync($"/api/contacts/{callId}"))["contact"]!;
        Assert.Equal("Completed", contact["status"]!.GetValue<string>());
        Assert.Empty((await App.GetJsonAsync("/api/agents/ann"))["assignments"]!.AsArray());
        Assert.Empty(App.LocalHost.DeadLetters);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_in_the_queue_is_removed_and_counted_as_an_abandon()
    {
        var abandons = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VoiceMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "event", Value: "abandoned" })
                {
                    Interlocked.Add(ref abandons, (int)value);
                }
            }
        });
        listener.Start();
        var (simulated, callId) = await CallSalesAsync("+14255550111");

        await SendAsync(HttpMethod.Post, $"/simulator/calls/{simulated}/hangup", "{}", HttpStatusCode.Accepted);

        var contact = await Eventually.ValueAsync(async () => (await App.GetJsonAsync($"/api/contacts/{callId}"))["contact"] is JsonObject c && c["status"]!.GetValue<string>() == "Abandoned" ? c : null, "the abandon");
        Assert.Equal("sales", contact["queueId"]!.GetValue<string>());
        Assert.Empty((await App.GetJsonAsync("/api/queues/sales"))["contactIds"]!.AsArray());
        Assert.True(Volatile.Read(ref abandons) >= 1);
        Assert.Contains("hung up waiting in sales", (await App.GetJsonAsync($"/api/calls/{callId}"))["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_transient_5xx_from_acs_is_retried_and_the_caller_still_hears_the_menu()
    {
        App.Services.GetRequiredService<CallAutomationSimulator>().InjectFailure(503, count: 1, operation: "play");
        var placed = await SendAsync(HttpMethod.Post, "/simulator/calls", """{"from":"+14255550122","to":"+18005550199"}""", HttpStatusCode.Accepted);
        var simulated = placed["callId"]!.GetValue<string>();

        Assert.NotNull(await CallerHearsAsync(simulated, "Thank you for calling Contoso."));
        Assert.Empty(App.LocalHost.DeadLetters);
    }

    [Fact]
    public async Task Forged_callbacks_get_401_and_unreadable_ones_are_parked_and_neither_touches_the_call()
    {
        var (_, callId) = await CallSalesAsync("+14255550133");
        var before = await App.GetJsonAsync($"/api/calls/{callId}");
        var body = $$$"""[{"id":"forged-1","source":"calling/callConnections/x","type":"Microsoft.Communication.CallDisconnected","specversion":"1.0","time":"2026-11-24T10:00:00Z","data":{"callConnectionId":"{{{before["callConnectionId"]}}}"}}]""";

        using var forged = await App.Client.PostAsync($"/api/calls/events?call={callId}&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);

        var signed = App.Services.GetRequiredService<CallbackAuthentication>().CallbackUri(App.BaseAddress, callId);
        // Properly signed and with the simulator's token, as ACS would send it, but not a callback.
        using var request = new HttpRequestMessage(HttpMethod.Post, signed.PathAndQuery) { Content = new StringContent("""[{"id":"x"}]""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", App.Services.GetRequiredService<CallbackTokenIssuer>().CreateToken());
        using var malformed = await App.Client.SendAsync(request, Ct);
        // Answered 200 so ACS does not resend it, and parked for supervisors with its reason (docs/acs-payloads.md).
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        var parked = (await App.GetJsonAsync("/api/supervisor/unprocessable?limit=500"))["events"]!.AsArray()
            .Single(e => e!["reason"]!.GetValue<string>().StartsWith($"Call {callId}:", StringComparison.Ordinal))!;
        Assert.Equal(("CallEvents", "x", """[{"id":"x"}]"""), (parked["source"]!.GetValue<string>(), parked["eventId"]!.GetValue<string>(), "[" + parked["payload"]!.GetValue<string>() + "]"));

        await App.LocalHost.WaitForIdleAsync(Ct);
        var after = await App.GetJsonAsync($"/api/calls/{callId}");
        Assert.Equal(before["stage"]!.ToJsonString(), after["stage"]!.ToJsonString());
        Assert.Equal("Queued", after["stage"]!.GetValue<string>());
    }
}
