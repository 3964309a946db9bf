using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Browser.Tests.Infrastructure;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Browser.Tests.LocalMode;

/// <summary>
/// The customer simulator page (GET /simulator) in a real browser against the real app in local mode: a tester places
/// a call, walks the IVR on the keypad, is put through to an agent and hangs up — every step through the page's own
/// buttons, checked on what the page shows and on the app's call record. Simulated time is virtual: the test advances
/// it where a prompt has to finish playing or the agent's client has to pick up; the page polls in real time.
/// </summary>
public sealed partial class CustomerSimulatorPageTests : BrowserTest
{
    // A Tuesday morning in London: the shipped flow's business hours are open.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    protected override async Task<RunningApp> StartAppAsync()
    {
        // No hold announcements: the caller's transcript then only grows when something happens.
        return await RunningApp.StartAsync(new Dictionary<string, string?> { ["Voice:AnnouncementInterval"] = "00:00:00" }, s => s.AddSingleton<TimeProvider>(_time));
    }

    [Fact]
    public async Task A_tester_places_a_call_presses_1_for_sales_is_joined_by_the_agent_and_hangs_up()
    {
        await SendAsync(HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"sales":5},"voiceAddress":"8:acs:agent-ann"}""");
        await SendAsync(HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        var page = await Chromium.Browser.NewPageAsync(new() { BaseURL = App.BaseAddress.ToString() });
        try
        {
            await page.GotoAsync("/simulator");
            var transcript = page.Locator("#transcript");
            var agentBadge = page.Locator("#agent");

            await page.Locator("#from").FillAsync("+14255550100");
            await page.Locator("#to").FillAsync("+18005550199");
            await page.Locator("#call").ClickAsync();
            await Expect(page.Locator("#callPanel")).ToBeVisibleAsync();
            await Expect(page.Locator("#callId")).ToContainTextAsync(FromCallerToContactCenter());
            await Expect(transcript).ToContainTextAsync("Thank you for calling Contoso.");

            // The welcome finishes playing (virtual time); the menu starts listening.
            await AdvanceUntilAsync(async () => (await FirstSimulatedCallAsync())?["pendingRecognize"] is JsonObject, "the menu to listen");
            await Expect(transcript).ToContainTextAsync("For sales, press 1");
            await Expect(page.Locator("#pending")).ToContainTextAsync("listening for");
            await Expect(agentBadge).ToBeHiddenAsync();

            await page.GetByTestId("key-1").ClickAsync();
            await Expect(transcript).ToContainTextAsync("pressed 1");
            await Expect(transcript).ToContainTextAsync("An agent will be with you");

            var contactId = await EventuallyAsync(async () => (await App.GetJsonAsync("/api/agents/ann"))["offer"]?["contactId"]?.GetValue<string>(), "the offer to ann");
            Assert.Equal("Queued", (await App.GetJsonAsync($"/api/calls/{contactId}"))["stage"]!.GetValue<string>());
            await SendAsync(HttpMethod.Post, $"/api/agents/ann/offers/{contactId}/accept", "{}");
            await Expect(transcript).ToContainTextAsync("Inviting 8:acs:agent-ann");
            // Ann's client picks up after a second of virtual time.
            await AdvanceUntilAsync(async () => (await FirstSimulatedCallAsync())?["agentJoined"]?.GetValue<bool>() == true, "ann to join");
            await Expect(agentBadge).ToBeVisibleAsync();
            await Expect(agentBadge).ToHaveTextAsync("agent joined");
            await Expect(transcript).ToContainTextAsync("8:acs:agent-ann joined the call.");
            await Expect(page.Locator("#participants")).ToContainTextAsync("8:acs:agent-ann");

            await page.Locator("#hangup").ClickAsync();
            var state = page.Locator("#state");
            await Expect(state).ToHaveAttributeAsync("data-state", "disconnected");
            await Expect(state).ToHaveTextAsync(CallerHungUp());
            await Expect(state).ToHaveClassAsync(EndedBadge());
            await Expect(agentBadge).ToBeHiddenAsync();
            await Expect(transcript).ToContainTextAsync("hung up");

            var ended = await EventuallyAsync(async () => await App.GetJsonAsync($"/api/calls/{contactId}") is var call && call["stage"]!.GetValue<string>() == "Ended" ? call : null, "the call to end");
            Assert.Equal("handled by ann", ended["outcome"]!.GetValue<string>());
            await Expect(page.Locator("#error")).ToBeEmptyAsync();
        }
        catch
        {
            // What the page looked like when the test gave up, beside the test binaries.
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "customer-simulator-failure.png"), FullPage = true });
            throw;
        }
    }

    [GeneratedRegex(@"\(inbound, (4:)?\+14255550100 → (4:)?\+18005550199\)")]
    private static partial Regex FromCallerToContactCenter();

    [GeneratedRegex("^disconnected — The caller hung up")]
    private static partial Regex CallerHungUp();

    [GeneratedRegex(@"\bended\b")]
    private static partial Regex EndedBadge();

    private async Task SendAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await App.Client.SendAsync(request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>
    /// Moves virtual time a second at a time until the condition holds: a prompt's end is scheduled when the simulator
    /// handles the app's request, which the test sees over HTTP a moment before or after.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var deadline = DateTime.UtcNow + Patience.Condition; DateTime.UtcNow < deadline;)
        {
            if (await condition())
            {
                return;
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException($"Still waiting for {what}.");
    }

    private async Task<JsonObject?> FirstSimulatedCallAsync()
    {
        var calls = JsonNode.Parse(await App.Client.GetStringAsync("/simulator/calls", Ct))!.AsArray();
        return calls.Count == 0 ? null : await App.GetJsonAsync($"/simulator/calls/{calls[0]!["id"]!.GetValue<string>()}");
    }

    /// <summary>Polls the API (in real time; callbacks travel over HTTP) until the probe yields a value.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
    {
        for (var deadline = DateTime.UtcNow + Patience.Condition; DateTime.UtcNow < deadline; await Task.Delay(20, Ct))
        {
            if (await probe() is { } value)
            {
                return value;
            }
        }
        throw new TimeoutException($"Still waiting for {what}.");
    }
}
