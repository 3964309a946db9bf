using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.FunctionApp;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Acd;

/// <summary>
/// The ACD's deadlines in local mode, on virtual time: offer expiry, overflow steps and the end of wrap-up are scheduled
/// messages on the acd-routing queue that fire at their moment — not a tick earlier — without any scan. Uses the embedded
/// rules: general (offer 20 s, wrap-up 15 s) and sales (needs sales≥3, moves to general after 120 s).
/// </summary>
public sealed class AcdTimerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RunningApp> StartAsync() => RunningApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(_clock));

    [Fact]
    public async Task An_unanswered_offer_returns_at_its_deadline_and_goes_to_the_next_agent()
    {
        await using var app = await StartAsync();
        await AgentAsync(app, "ann");
        await AdvanceAsync(app, TimeSpan.FromSeconds(1));
        await AgentAsync(app, "bob");
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"voice","queueId":"general"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);
        Assert.Equal("ann", await OfferedToAsync(app, "c1"));
        var deadline = _clock.GetUtcNow().AddSeconds(20);
        Assert.Equal(deadline, app.LocalHost.Snapshot().NextScheduledAt);

        await AdvanceAsync(app, deadline - _clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        Assert.Equal("ann", await OfferedToAsync(app, "c1"));
        await AdvanceAsync(app, TimeSpan.FromMilliseconds(1));

        Assert.Equal("bob", await OfferedToAsync(app, "c1"));
        var contact = (await app.GetJsonAsync("/api/contacts/c1"))["contact"]!;
        Assert.Equal(["ann"], contact["declinedBy"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, (await app.GetJsonAsync("/api/agents/ann"))["missedOffers"]!.GetValue<int>());
        Assert.Empty(app.LocalHost.DeadLetters);
    }

    [Fact]
    public async Task An_overflow_step_moves_the_contact_when_its_wait_reaches_the_step()
    {
        await using var app = await StartAsync();
        await AgentAsync(app, "bob"); // no sales skill: can only serve general
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c2","channel":"voice","queueId":"sales"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);

        await AdvanceAsync(app, TimeSpan.FromSeconds(119.999));
        Assert.Equal("sales", (await app.GetJsonAsync("/api/contacts/c2"))["contact"]!["queueId"]!.GetValue<string>());
        await AdvanceAsync(app, TimeSpan.FromMilliseconds(1));

        var contact = (await app.GetJsonAsync("/api/contacts/c2"))["contact"]!;
        Assert.Equal("general", contact["queueId"]!.GetValue<string>());
        Assert.Equal("bob", contact["offeredTo"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_waiting_contact_reaches_an_agent_when_wrap_up_ends_not_before()
    {
        await using var app = await StartAsync();
        await AgentAsync(app, "ann");
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"voice","queueId":"general"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);
        await SendAsync(app, HttpMethod.Post, "/api/agents/ann/offers/c1/accept");
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c2","channel":"voice","queueId":"general"}""");
        await AdvanceAsync(app, TimeSpan.FromSeconds(30));
        await SendAsync(app, HttpMethod.Post, "/api/agents/ann/contacts/c1/complete");
        await app.LocalHost.WaitForIdleAsync(Ct);

        await AdvanceAsync(app, TimeSpan.FromSeconds(14.999));
        Assert.Null(await OfferedToAsync(app, "c2"));
        await AdvanceAsync(app, TimeSpan.FromMilliseconds(1));

        Assert.Equal("ann", await OfferedToAsync(app, "c2"));
    }

    [Fact]
    public async Task Routing_work_that_is_not_valid_is_refused_as_problem_json_for_the_host_to_dead_letter()
    {
        await using var app = await StartAsync();

        using var response = await app.InvokeAsync("AcdRouting", HostPayloads.ServiceBusMessage("""{"kind":"expireOffer","queueId":"general"}""", sessionId: "general"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("needs a contactId and an agentId", await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Moves virtual time on and waits until every message that became due has been handled.</summary>
    private async Task AdvanceAsync(RunningApp app, TimeSpan by)
    {
        _clock.Advance(by);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience.Condition);
        // A due scheduled message leaves the schedule only after it is in its queue, so idle then covers it.
        while (app.LocalHost.Snapshot().NextScheduledAt is { } next && next <= _clock.GetUtcNow())
        {
            await Task.Delay(5, timeout.Token);
        }
        await app.LocalHost.WaitForIdleAsync(timeout.Token);
    }

    private static async Task AgentAsync(RunningApp app, string id)
    {
        await SendAsync(app, HttpMethod.Put, $"/api/agents/{id}", "{}");
        await SendAsync(app, HttpMethod.Put, $"/api/agents/{id}/presence", """{"presence":"available"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);
    }

    private static async Task<string?> OfferedToAsync(RunningApp app, string contactId) =>
        (await app.GetJsonAsync($"/api/contacts/{contactId}"))["contact"]!["offeredTo"]?.GetValue<string>();

    private static async Task SendAsync(RunningApp app, HttpMethod method, string path, string json = "")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }
}
