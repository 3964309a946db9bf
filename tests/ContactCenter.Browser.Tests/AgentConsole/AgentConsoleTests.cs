using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.Browser.Tests.Infrastructure;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Browser.Tests.AgentConsole;

/// <summary>
/// The agent console (/agent/) in a real browser against the app in local mode: an agent signs in, goes available,
/// a customer's text becomes an offer, the agent accepts (with the mouse or the keyboard alone), reads the text on the
/// customer's timeline, replies, the customer's simulated phone receives the reply, and the agent wraps up. An offer
/// left to expire leaves with a clear message; a supervisor sees the board.
/// The app and every page share one virtual clock (<see cref="SharedClock"/>): an offer's countdown reads the same
/// on a loaded machine as on an idle one, and only <see cref="SharedClock.AdvanceAsync"/> makes it run down.
/// Screenshots for docs/screenshots: `UPDATE_SCREENSHOTS=1 dotnet run --no-build -- -class "*AgentConsoleTests"`.
/// </summary>
public sealed class AgentConsoleTests : BrowserTest
{
    private const string CustomerPhone = "+14255550100";

    // The offer timeout of the general queue (RulesFileAsync).
    private const int OfferSeconds = 20;

    // Virtual time (starting at the real time, as tokens and timestamps would): the app runs on it, the pages' Date reads it.
    private readonly SharedClock _clock = new(DateTimeOffset.UtcNow);

    protected override async Task<RunningApp> StartAppAsync()
    {
        return await RunningApp.StartAsync(new Dictionary<string, string?> { ["Routing:RulesPath"] = await RulesFileAsync() },
            s => s.AddSingleton<TimeProvider>(_clock.Time));
    }

    [Fact]
    public async Task An_agent_accepts_a_text_replies_the_customers_phone_receives_it_and_the_agent_wraps_up()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("sms-flow", async page =>
        {
            await SignInAsync(page, "ann");
            await page.GetByTestId("presence").SelectOptionAsync("available");
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("You are available.");
            Assert.Equal("Available", (await App.GetJsonAsync("/api/agents/ann"))["presence"]!.GetValue<string>());

            await TextTheContactCenterAsync("Where is my parcel?");
            var offer = page.GetByTestId("offer");
            await Expect(offer).ToBeVisibleAsync();
            await Expect(offer).ToContainTextAsync("New SMS contact");
            await Expect(offer).ToContainTextAsync("Queue general");
            // The page's clock is the app's: the whole timeout is left however long the steps above took.
            await Expect(page.GetByTestId("offer-countdown")).ToHaveTextAsync($"{OfferSeconds} s left");
            await Expect(page.GetByTestId("offer-accept")).ToBeFocusedAsync();
            await SaveScreenshotAsync(page, "agent-console-offer.png");

            await page.GetByTestId("offer-accept").ClickAsync();
            await Expect(offer).ToBeHiddenAsync();
            await Expect(page.GetByTestId("inbox-item")).ToHaveCountAsync(1);
            var timeline = page.GetByTestId("timeline");
            await Expect(timeline).ToContainTextAsync("Where is my parcel?");
            await Expect(timeline.GetByTestId("timeline-entry").First).ToContainTextAsync("SMS");
            await Expect(page.GetByTestId("case")).ToContainTextAsync(CustomerPhone);
            await Expect(page.GetByTestId("reply-channel")).ToHaveValueAsync("sms");

            await page.GetByTestId("reply-text").FillAsync("It arrives tomorrow before noon.");
            await page.GetByTestId("reply-send").ClickAsync();
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("Reply sent by SMS.");
            await Expect(timeline).ToContainTextAsync("It arrives tomorrow before noon.");
            var received = await EventuallyAsync(async () => JsonNode.Parse(await App.Client.GetStringAsync($"/simulator/phones/{Uri.EscapeDataString(CustomerPhone)}/messages", Ct))!
                .AsArray().FirstOrDefault(m => m!["message"]!.GetValue<string>() == "It arrives tomorrow before noon."), "the reply on the customer's phone");
            Assert.Equal("+18005550199", received!["from"]!.GetValue<string>());
            await SaveScreenshotAsync(page, "agent-console-conversation.png");

            // Wrap-up is a modal dialog: the disposition list is the queue's (GET /api/dispositions), focus starts on it.
            await page.GetByTestId("wrap-up-open").ClickAsync();
            var dialog = page.GetByTestId("wrap-up-dialog");
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(page.GetByTestId("disposition")).ToBeFocusedAsync();
            var dispositions = await App.GetJsonAsync("/api/dispositions?queueId=general");
            var codes = dispositions["dispositions"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()).ToList();
            Assert.NotEmpty(codes);
            await Expect(page.GetByTestId("disposition").Locator("option")).ToHaveCountAsync(codes.Count + 1);
            await page.GetByTestId("disposition").SelectOptionAsync(codes[0]);
            await page.GetByTestId("wrap-up-notes").FillAsync("Told the customer the delivery date.");
            await SaveScreenshotAsync(page, "agent-console-wrap-up.png");
            await page.GetByTestId("wrap-up").ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(page.GetByTestId("announcer")).ToContainTextAsync($"completed as {codes[0]}");
            await Expect(page.GetByTestId("inbox-item")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("contact")).ToBeHiddenAsync();
            Assert.Empty((await App.GetJsonAsync("/api/agents/ann"))["assignments"]!.AsArray());
            await Expect(page.GetByTestId("error")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task An_agent_signs_in_and_accepts_an_offer_with_the_keyboard_alone()
    {
        await RegisterAgentAsync("bob");
        await WithPageAsync("keyboard", async page =>
        {
            await page.GotoAsync("/agent/");
            await Expect(page.GetByTestId("agent-id")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("bob");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByTestId("agent-name")).ToHaveTextAsync("bob");
            // Signing in moves focus to the console (once the agent's state is loaded).
            await Expect(page.Locator("#main")).ToBeFocusedAsync();
            // From the console, back to the header's presence switch: Shift+Tab past "Sign out".
            await page.Keyboard.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Shift+Tab");
            await Expect(page.GetByTestId("presence")).ToBeFocusedAsync();
            await page.GetByTestId("presence").PressAsync("Home");
            await Expect(page.GetByTestId("presence")).ToHaveValueAsync("available");
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("You are available.");

            await TextTheContactCenterAsync("Can I change my address?");
            await Expect(page.GetByTestId("offer-accept")).ToBeFocusedAsync();
            await Expect(page.Locator("#offer-announcer")).ToContainTextAsync("New SMS contact from queue general");
            await page.Keyboard.PressAsync("Enter");

            await Expect(page.GetByTestId("offer")).ToBeHiddenAsync();
            await Expect(page.Locator("#contact-title")).ToBeFocusedAsync();
            await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Can I change my address?");
            var agent = await App.GetJsonAsync("/api/agents/bob");
            Assert.Single(agent["assignments"]!.AsArray());

            // Alt+Shift+R jumps to the reply box.
            await page.Keyboard.PressAsync("Alt+Shift+R");
            await Expect(page.GetByTestId("reply-text")).ToBeFocusedAsync();
        });
    }

    [Fact]
    public async Task An_offer_left_to_expire_disappears_with_a_clear_message()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("expiry", async page =>
        {
            await SignInAsync(page, "ann");
            await page.GetByTestId("presence").SelectOptionAsync("available");
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("You are available.");
            // A second agent, idle for less time than Ann: the offer goes to Ann first, to Bob when hers expires.
            await _clock.AdvanceAsync(TimeSpan.FromSeconds(1));
            await RegisterAgentAsync("bob", available: true);

            await TextTheContactCenterAsync("Is anyone there?");
            await Expect(page.GetByTestId("offer")).ToBeVisibleAsync();
            await App.LocalHost.WaitForIdleAsync(Ct);
            await Expect(page.GetByTestId("offer-countdown")).ToHaveTextAsync($"{OfferSeconds} s left");

            // The countdown runs on the shared clock: 15 s on, 5 s are left and the offer is still Ann's.
            await _clock.AdvanceAsync(TimeSpan.FromSeconds(15));
            await Expect(page.GetByTestId("offer-countdown")).ToHaveTextAsync("5 s left");
            Assert.IsType<JsonObject>((await App.GetJsonAsync("/api/agents/ann"))["offer"]);

            await _clock.AdvanceAsync(TimeSpan.FromSeconds(6));
            await Expect(page.GetByTestId("offer")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("message")).ToContainTextAsync("expired before it was accepted; it went back to the queue.");
            await Expect(page.GetByTestId("inbox-item")).ToHaveCountAsync(0);
            var bob = await EventuallyAsync(async () => await App.GetJsonAsync("/api/agents/bob") is var b && b["offer"] is JsonObject ? b : null, "the offer to Bob");
            Assert.NotNull(bob["offer"]!["contactId"]);
        });
    }

    [Fact]
    public async Task A_stale_accept_is_refused_with_the_servers_reason_and_the_toast_goes()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("stale-accept", async page =>
        {
            await SignInAsync(page, "ann");
            await page.GetByTestId("presence").SelectOptionAsync("available");
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("You are available.");
            // Bob takes what Ann declines, so her contact does not come straight back to her.
            await _clock.AdvanceAsync(TimeSpan.FromSeconds(1));
            await RegisterAgentAsync("bob", available: true);
            await TextTheContactCenterAsync("Hello?");
            await Expect(page.GetByTestId("offer")).ToBeVisibleAsync();
            var contactId = (await App.GetJsonAsync("/api/agents/ann"))["offer"]!["contactId"]!.GetValue<string>();
            // The offer is declined elsewhere (another tab) before this console's Accept reaches the server.
            await page.RouteAsync("**/offers/*/accept", async route =>
            {
                using var declined = await App.PostJsonAsync($"/api/agents/ann/offers/{contactId}/decline", "{}");
                Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
                await route.ContinueAsync();
            });

            await page.GetByTestId("offer-accept").ClickAsync();
            await Expect(page.GetByTestId("offer")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("error")).ToContainTextAsync($"Too late to accept contact {contactId}");
            await Expect(page.GetByTestId("inbox-item")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task A_supervisor_sees_the_live_board()
    {
        using (var probe = await App.Client.GetAsync("/api/supervisor/board", Ct))
        {
            if (probe.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.Skip("Waits on the agent API's GET /api/supervisor/board (issue #6, agent API part).");
            }
        }
        await RegisterAgentAsync("ann", available: true);
        await RegisterAgentAsync("sue");
        await WithPageAsync("supervisor", async page =>
        {
            await SignInAsync(page, "sue", supervisor: true);
            await page.GetByTestId("tab-board").ClickAsync();
            var agents = page.GetByTestId("board-agents");
            await Expect(agents).ToContainTextAsync("ann");
            await Expect(agents).ToContainTextAsync("available");
            await Expect(page.GetByTestId("board-queues")).ToContainTextAsync("general");

            await TextTheContactCenterAsync("Anyone?");
            await Expect(agents.Locator("tr", new() { HasText = "ann" })).ToContainTextAsync("(sms)");

            // Reassign Ann's offer to Bob, then give Bob a skill: both through the board's forms.
            var contactId = (await App.GetJsonAsync("/api/agents/ann"))["offer"]!["contactId"]!.GetValue<string>();
            await RegisterAgentAsync("bob", available: true);
            await page.GetByLabel("Contact id").FillAsync(contactId);
            await page.GetByLabel("To agent id").FillAsync("bob");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync($"Contact {contactId} offered to bob (withdrawn from ann).");
            var bobRow = agents.Locator("tr", new() { HasText = "bob" });
            await Expect(bobRow).ToContainTextAsync($"{contactId} (sms)");
            await Expect(agents.Locator("tr", new() { HasText = "ann" })).Not.ToContainTextAsync("(sms)");
            Assert.Equal(contactId, (await App.GetJsonAsync("/api/agents/bob"))["offer"]!["contactId"]!.GetValue<string>());

            await page.GetByTestId("board").GetByLabel("Agent id", new() { Exact = true }).FillAsync("bob");
            await page.GetByLabel("Skills (skill=level").FillAsync("billing=6, sales=3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save skills" }).ClickAsync();
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("Skills of bob saved.");
            await Expect(bobRow).ToContainTextAsync("billing=6, sales=3");
            Assert.Equal(6, (await App.GetJsonAsync("/api/agents/bob"))["skills"]!["billing"]!.GetValue<int>());
            await SaveScreenshotAsync(page, "agent-console-supervisor-board.png");
        });
    }

    [Fact]
    public async Task Signing_in_gets_a_local_token_that_every_api_call_carries_and_a_refused_token_returns_to_sign_in()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("sign-in", async page =>
        {
            var apiCalls = new System.Collections.Concurrent.ConcurrentQueue<(string Url, string Query, string? Authorization)>();
            page.Request += (_, request) =>
            {
                if (new Uri(request.Url).AbsolutePath is var path && path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/api/agent/", StringComparison.Ordinal))
                {
                    request.Headers.TryGetValue("authorization", out var authorization);
                    apiCalls.Enqueue((path, new Uri(request.Url).Query, authorization));
                }
            };
            await page.GotoAsync("/agent/");
            await Expect(page.Locator("#local-sign-in-hint")).ToContainTextAsync("Local mode");
            await SignInAsync(page, "ann");
            await Expect(page.GetByTestId("connection")).ToHaveTextAsync("live");

            var session = JsonNode.Parse(await page.EvaluateAsync<string>("() => sessionStorage.getItem('cc-agent-session')"))!;
            var token = session["accessToken"]!.GetValue<string>();
            Assert.Equal("ann", session["agentId"]!.GetValue<string>());
            Assert.Equal(["Agent"], session["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
            // Only the sign-in itself goes without the token; negotiate, the agent's state and the inbox carry it. The
            // event stream (EventSource sends no headers) carries negotiate's one-time ticket, never the token.
            var calls = apiCalls.ToArray();
            Assert.Contains(calls, c => c.Url == "/api/auth/local/token" && c.Authorization is null);
            Assert.Contains(calls, c => c.Url == "/api/realtime/negotiate");
            Assert.Contains(calls, c => c.Url == "/api/agents/ann/contacts");
            var stream = Assert.Single(calls, c => c.Url == "/api/realtime/events");
            Assert.StartsWith("?access_token=", stream.Query);
            Assert.DoesNotContain(token, stream.Query);
            Assert.All(calls.Where(c => c.Url is not ("/api/auth/config" or "/api/auth/local/token" or "/api/realtime/events")),
                c => Assert.Equal($"Bearer {token}", c.Authorization));
            // The server's view of the token matches.
            using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { { "authorization", $"Bearer {token}" } } };
            using var meResponse = await new HttpClient { BaseAddress = App.BaseAddress }.SendAsync(me, Ct);
            Assert.Equal("ann", JsonNode.Parse(await meResponse.Content.ReadAsStringAsync(Ct))!["agentId"]!.GetValue<string>());

            // A token the server no longer accepts (here: tampered with) ends the session with a clear message.
            await page.EvaluateAsync("""
                () => {
                  const session = JSON.parse(sessionStorage.getItem('cc-agent-session'));
                  session.accessToken = session.accessToken.slice(0, -4) + 'AAAA';
                  sessionStorage.setItem('cc-agent-session', JSON.stringify(session));
                }
                """);
            await page.ReloadAsync();
            await Expect(page.GetByTestId("message")).ToHaveTextAsync("Your session ended: sign in again.");
            await Expect(page.GetByTestId("agent-id")).ToBeVisibleAsync();
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('cc-agent-session')"));
        });
    }

    [Fact]
    public async Task An_agent_with_a_Teams_identity_chooses_to_have_calls_ring_in_Teams()
    {
        await RegisterAgentAsync("ann", teamsUserId: "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");
        await RegisterAgentAsync("bob");
        await WithPageAsync("ring-target", async page =>
        {
            await SignInAsync(page, "ann");
            await Expect(page.GetByTestId("ring-target")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("ring-target")).ToHaveValueAsync("default");

            await page.GetByLabel("Calls ring").SelectOptionAsync("teams");
            await Expect(page.GetByTestId("announcer")).ToContainTextAsync("Calls will ring in Teams.");
            Assert.Equal("Teams", (await App.GetJsonAsync("/api/agents/ann"))["ringTarget"]!.GetValue<string>());
        });
        await WithPageAsync("ring-target-none", async page =>
        {
            await SignInAsync(page, "bob");
            await Expect(page.GetByTestId("agent-name")).ToHaveTextAsync("bob");
            await Expect(page.GetByTestId("ring-target")).ToBeHiddenAsync(); // no Teams identity, nothing to choose
        });
    }

    [Fact]
    public async Task An_agent_sees_no_supervisor_tab()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("no-board", async page =>
        {
            await SignInAsync(page, "ann");
            await Expect(page.GetByTestId("agent-name")).ToHaveTextAsync("ann");
            await Expect(page.GetByTestId("tab-board")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task The_console_serves_the_SignalR_and_Teams_browser_bundles_under_both_paths()
    {
        foreach (var path in new[] { "/agent/lib/signalr.min.js", "/api/agent/lib/signalr.min.js" })
        {
            using var response = await App.Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("HubConnectionBuilder", await response.Content.ReadAsStringAsync(Ct));
        }
        using var teams = await App.Client.GetAsync("/agent/lib/teams-js.min.js", Ct);
        Assert.Equal(HttpStatusCode.OK, teams.StatusCode);
        Assert.Contains("microsoftTeams", await teams.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>
    /// Azure's mode, without Azure: negotiate answers "signalr" and points at a stand-in SignalR Service played by
    /// Playwright routes (negotiate, then long polling with the JSON hub protocol). The console loads the served SignalR
    /// client, authenticates with the negotiate's access token and shows the offer the hub pushes.
    /// </summary>
    [Fact]
    public async Task In_SignalR_mode_the_console_connects_with_the_negotiated_token_and_shows_a_pushed_offer()
    {
        const char RecordSeparator = '\u001e';
        const string HubToken = "signalr-token-for-ann";
        await RegisterAgentAsync("ann");
        await WithPageAsync("signalr", async page =>
        {
            var hubUrl = new Uri(App.BaseAddress, "/fake-signalr/client/?hub=workspace");
            var authorizations = new System.Collections.Concurrent.ConcurrentBag<string?>();
            var handshakeReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pushOffer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var polls = 0;
            await page.RouteAsync("**/api/realtime/negotiate", route => route.FulfillAsync(new()
            {
                ContentType = "application/json",
                Body = new JsonObject { ["mode"] = "signalr", ["url"] = hubUrl.ToString(), ["accessToken"] = HubToken }.ToJsonString(),
            }));
            await page.RouteAsync(url => url.Contains("/fake-signalr/", StringComparison.Ordinal), async route =>
            {
                var request = route.Request;
                authorizations.Add(await request.HeaderValueAsync("authorization"));
                if (request.Method == "POST" && request.Url.Contains("/negotiate?", StringComparison.Ordinal))
                {
                    await route.FulfillAsync(new()
                    {
                        ContentType = "application/json",
                        Body = """{"negotiateVersion":1,"connectionId":"c1","connectionToken":"t1","availableTransports":[{"transport":"LongPolling","transferFormats":["Text"]}]}""",
                    });
                }
                else if (request.Method == "POST")
                {
                    // The client's handshake (or a later send): {"protocol":"json","version":1}\u001e
                    if (request.PostData?.Contains("\"protocol\":\"json\"", StringComparison.Ordinal) == true)
                    {
                        handshakeReceived.TrySetResult();
                    }
                    await route.FulfillAsync(new() { Status = 200, Body = "" });
                }
                else if (request.Method == "DELETE")
                {
                    await route.FulfillAsync(new() { Status = 202, Body = "" });
                }
                else
                {
                    var body = (Interlocked.Increment(ref polls)) switch
                    {
                        1 => "", // the first poll only opens the connection
                        2 => await Then(handshakeReceived.Task, "{}" + RecordSeparator),
                        3 => await Then(pushOffer.Task, new JsonObject
                        {
                            ["type"] = 1,
                            ["target"] = "offer",
                            ["arguments"] = new JsonArray(new JsonObject
                            {
                                ["contactId"] = "pushed-1", ["channel"] = "Sms", ["queueId"] = "general", ["customerId"] = null,
                                ["conversationId"] = null, ["expiresAt"] = _clock.Time.GetUtcNow().AddSeconds(OfferSeconds).ToString("O"),
                            }),
                        }.ToJsonString() + RecordSeparator),
                        _ => await Then(Task.Delay(2_000, Ct), ""),
                    };
                    try
                    {
                        await route.FulfillAsync(new() { Status = 200, ContentType = "text/plain", Body = body });
                    }
                    catch (PlaywrightException)
                    {
                        // the page closed while this poll was held
                    }
                }
            });
            var agentReads = 0;
            var readAfterLive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            page.RequestFinished += (_, request) =>
            {
                if (request.Url.EndsWith("/api/agents/ann", StringComparison.Ordinal) && Interlocked.Increment(ref agentReads) >= 2)
                {
                    readAfterLive.TrySetResult();
                }
            };

            await SignInAsync(page, "ann");
            await Expect(page.GetByTestId("connection")).ToHaveTextAsync("live");
            // Going live re-reads the agent once; push after that read, so the pushed offer alone puts the toast up.
            await readAfterLive.Task.WaitAsync(Patience.Condition, Ct);
            pushOffer.TrySetResult();

            await Expect(page.GetByTestId("offer")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("offer")).ToContainTextAsync("Contact pushed-1");
            await Expect(page.GetByTestId("offer-countdown")).ToHaveTextAsync($"{OfferSeconds} s left");
            Assert.NotEmpty(authorizations);
            Assert.All(authorizations, a => Assert.Equal($"Bearer {HubToken}", a));
        });
    }

    /// <summary>
    /// Accessibility basics, checked in the browser: every form control has a label, the offer toast is an alert
    /// dialog announced through an assertive live region with focus on Accept, the tab order follows the page, and
    /// visible text meets WCAG AA contrast (4.5:1, 3:1 for large text) against what is behind it.
    /// </summary>
    [Fact]
    public async Task The_console_is_labelled_announces_offers_and_keeps_a_sensible_focus_order_and_contrast()
    {
        await RegisterAgentAsync("ann");
        await WithPageAsync("accessibility", async page =>
        {
            await page.GotoAsync("/agent/");
            await Expect(page.GetByTestId("agent-id")).ToBeFocusedAsync();
            await AssertEveryControlIsLabelledAsync(page);
            await AssertContrastAsync(page);
            // Tab order of the sign-in form: agent id, supervisor box, Sign in; Shift+Tab from the id reaches the skip link.
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.GetByTestId("supervisor")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.GetByTestId("sign-in")).ToBeFocusedAsync();
            await page.GetByTestId("agent-id").FocusAsync();
            await page.Keyboard.PressAsync("Shift+Tab");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to the console" })).ToBeFocusedAsync();

            await SignInAsync(page, "ann", supervisor: true);
            await page.GetByTestId("presence").SelectOptionAsync("available");
            await Expect(page.GetByTestId("announcer")).ToHaveTextAsync("You are available.");
            await TextTheContactCenterAsync("Accessible?");

            var offer = page.GetByRole(AriaRole.Alertdialog, new() { Name = "New SMS contact" });
            await Expect(offer).ToBeVisibleAsync();
            await Expect(offer).ToHaveAttributeAsync("aria-describedby", "offer-details");
            var announcer = page.Locator("#offer-announcer");
            await Expect(announcer).ToHaveAttributeAsync("aria-live", "assertive");
            await Expect(announcer).ToContainTextAsync($"{OfferSeconds} seconds to accept. Accept with Alt+Shift+A, decline with Alt+Shift+D.");
            await Expect(page.GetByTestId("offer-accept")).ToBeFocusedAsync();
            await Expect(page.GetByTestId("offer-accept")).ToHaveAttributeAsync("aria-keyshortcuts", "Alt+Shift+A");
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.GetByTestId("offer-decline")).ToBeFocusedAsync();
            await AssertContrastAsync(page);

            await page.Keyboard.PressAsync("Alt+Shift+A");
            await Expect(page.Locator("#contact-title")).ToBeFocusedAsync();
            await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Reply" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Message")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Send by")).ToHaveValueAsync("sms");
            await AssertContrastAsync(page);

            // The wrap-up dialog is modal, starts on its first field and gives focus back on Escape.
            await page.Keyboard.PressAsync("Alt+Shift+W");
            await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Wrap up" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Disposition")).ToBeFocusedAsync();
            await AssertContrastAsync(page);
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.GetByTestId("wrap-up-dialog")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("wrap-up-open")).ToBeFocusedAsync();

            // The views are tabs: arrow keys move between them.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Supervisor" })).ToBeFocusedAsync();
            await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Supervisor" })).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(page.GetByTestId("board-agents")).ToContainTextAsync("ann");
            await AssertEveryControlIsLabelledAsync(page);
            await AssertContrastAsync(page);
        });
    }

    /// <summary>Every input, select and textarea in the document (hidden ones too) has a label or an ARIA name.</summary>
    private static async Task AssertEveryControlIsLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
              .filter((el) => el.type !== 'hidden')
              .filter((el) => !([...(el.labels ?? [])].some((l) => l.textContent.trim()) || el.getAttribute('aria-label')?.trim()
                || (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim())))
              .map((el) => el.id || el.outerHTML)
            """);
        Assert.Empty(unlabelled);
    }

    /// <summary>WCAG 2 contrast of every visible text against the first opaque background behind it.</summary>
    private static async Task AssertContrastAsync(IPage page)
    {
        var failures = await page.EvaluateAsync<string[]>("""
            () => {
              let checkedTexts = 0;
              const rgb = (value) => (value.match(/[\d.]+/g) ?? []).map(Number);
              const luminance = ([r, g, b]) => {
                const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
              };
              const background = (el) => {
                for (let e = el; e; e = e.parentElement) {
                  const c = rgb(getComputedStyle(e).backgroundColor);
                  if (c.length >= 3 && (c.length === 3 || c[3] === 1)) return c;
                }
                return [255, 255, 255];
              };
              const failures = [];
              for (const el of document.querySelectorAll('body *')) {
                const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
                if (!text || !el.checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true })) continue;
                const rect = el.getBoundingClientRect();
                if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden announcers
                const style = getComputedStyle(el);
                const [l1, l2] = [luminance(rgb(style.color)), luminance(background(el))].sort((a, b) => b - a);
                const ratio = (l1 + 0.05) / (l2 + 0.05);
                const size = parseFloat(style.fontSize);
                const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
                checkedTexts++;
                if (ratio < (large ? 3 : 4.5)) failures.push(`${el.tagName.toLowerCase()}#${el.id} "${text.slice(0, 30)}": ${ratio.toFixed(2)}`);
              }
              // A check that saw (almost) nothing proves nothing.
              if (checkedTexts < 5) failures.push(`only ${checkedTexts} texts checked`);
              return failures;
            }
            """);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Embed_js_puts_the_console_into_another_sites_page()
    {
        // Another site's page (a different origin: a listener of its own on the loopback, because Chromium refuses
        // loopback scripts to pages it cannot place there, such as ones a Playwright route makes up).
        var embedUrl = new Uri(App.BaseAddress, "/agent/embed.js");
        using var hostSite = new HttpListener();
        var port = FreeTcpPort();
        hostSite.Prefixes.Add($"http://127.0.0.1:{port}/");
        hostSite.Start();
        var serving = Task.Run(async () =>
        {
            var context = await hostSite.GetContextAsync();
            var html = System.Text.Encoding.UTF8.GetBytes($"""
                <!doctype html><title>CRM</title><h1>Customer record</h1><div id="console-slot"></div>
                <script src="{embedUrl}" data-target="#console-slot" data-height="640px"></script>
                """);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(html, Ct);
            context.Response.Close();
        }, Ct);
        await WithPageAsync("embed", async page =>
        {
            await page.GotoAsync($"http://127.0.0.1:{port}/record");
            var frame = page.Locator("#console-slot iframe");
            await Expect(frame).ToHaveAttributeAsync("title", "Agent console");
            await Expect(frame).ToHaveAttributeAsync("src", new Uri(App.BaseAddress, "/agent/").ToString());
            await Expect(frame).ToHaveCSSAsync("height", "640px");
            await Expect(page.FrameLocator("#console-slot iframe").GetByTestId("agent-id")).ToBeVisibleAsync();
        });
        await serving;
    }

    private static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<string> Then(Task first, string value)
    {
        await first.WaitAsync(Patience.Condition);
        return value;
    }

    /// <summary>The default general queue (texts go there) with wrap-up codes, so the wrap-up dialog has some to offer.</summary>
    private static async Task<string> RulesFileAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("agent-console-rules-").FullName, "routing-rules.json");
        await File.WriteAllTextAsync(path, """
            {
              "version": 1,
              "queues": [
                {
                  "id": "general", "policy": "longestIdle", "offerTimeoutSeconds": 20, "wrapUpSeconds": 15,
                  "dispositions": [ { "code": "resolved", "label": "Resolved" }, { "code": "callback-promised", "label": "Callback promised" } ]
                }
              ]
            }
            """);
        return path;
    }

    private async Task RegisterAgentAsync(string id, bool available = false, string? teamsUserId = null)
    {
        var profile = new JsonObject { ["name"] = id, ["skills"] = new JsonObject { ["sales"] = 5 } };
        if (teamsUserId is not null)
        {
            profile["teamsUserId"] = teamsUserId;
        }
        using var put = await App.Client.PutAsync($"/api/agents/{id}",
            new StringContent(profile.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(put.IsSuccessStatusCode, $"PUT agent {id}: {(int)put.StatusCode}");
        if (available)
        {
            using var presence = await App.Client.PutAsync($"/api/agents/{id}/presence",
                new StringContent("""{"presence":"available"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.True(presence.IsSuccessStatusCode);
        }
    }

    private async Task TextTheContactCenterAsync(string message)
    {
        using var sent = await App.PostJsonAsync("/simulator/sms", new JsonObject { ["from"] = CustomerPhone, ["to"] = "+18005550199", ["message"] = message }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
    }

    private static async Task SignInAsync(IPage page, string agentId, bool supervisor = false)
    {
        await page.GotoAsync("/agent/");
        await page.GetByTestId("agent-id").FillAsync(agentId);
        if (supervisor)
        {
            await page.GetByTestId("supervisor").CheckAsync();
        }
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("agent-name")).ToHaveTextAsync(agentId);
    }

    private async Task WithPageAsync(string name, Func<IPage, Task> test)
    {
        var page = await Chromium.Browser.NewPageAsync(new() { BaseURL = App.BaseAddress.ToString(), ViewportSize = new() { Width = 1200, Height = 860 } });
        try
        {
            await _clock.PinAsync(page);
            await test(page);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", $"agent-console-{name}-failure.png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Into docs/screenshots when UPDATE_SCREENSHOTS=1 (so test runs leave the repository clean), else TestResults.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string fileName)
    {
        var folder = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryPaths.Root, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, fileName), FullPage = true });
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
    {
        for (var deadline = DateTime.UtcNow + Patience.Condition; DateTime.UtcNow < deadline; await Task.Delay(100, Ct))
        {
            if (await probe() is { } value)
            {
                return value;
            }
        }
        throw new TimeoutException($"Still waiting for {what}.");
    }
}
