using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Acd;

/// <summary>The ACD over HTTP on real Kestrel: the happy path, every refusal as problem+json, and rules hot reload.</summary>
public sealed class AcdApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(RunningApp app, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await app.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_contact_is_offered_to_a_free_skilled_agent_accepted_and_completed()
    {
        await using var app = await RunningApp.StartAsync();
        await SendAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"billing":6},"capacity":{"sms":2}}""");
        await SendAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");

        var (status, queued) = await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"billing"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("c1", queued!["contact"]!["id"]!.GetValue<string>());
        // Routing is queued work (the acd-routing queue): the offer follows once it has run.
        await app.LocalHost.WaitForIdleAsync(Ct);
        var offered = await app.GetJsonAsync("/api/contacts/c1");
        Assert.Equal("Offered", offered["contact"]!["status"]!.GetValue<string>());
        Assert.Equal("longest idle", offered["contact"]!["lastDecision"]!["reason"]!.GetValue<string>());
        Assert.Equal("c1", (await app.GetJsonAsync("/api/agents/ann"))["offer"]!["contactId"]!.GetValue<string>());

        var (accepted, _) = await SendAsync(app, HttpMethod.Post, "/api/agents/ann/offers/c1/accept");
        var (completed, done) = await SendAsync(app, HttpMethod.Post, "/api/agents/ann/contacts/c1/complete");
        var (_, contact) = await SendAsync(app, HttpMethod.Get, "/api/contacts/c1");

        Assert.Equal(HttpStatusCode.OK, accepted);
        Assert.Equal(HttpStatusCode.OK, completed);
        Assert.Equal("Completed", done!["contact"]!["status"]!.GetValue<string>());
        Assert.Equal("ann", contact!["contact"]!["agentId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Waiting_contacts_show_their_position_and_the_queue_lists_them()
    {
        await using var app = await RunningApp.StartAsync();
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"first","channel":"voice","queueId":"general"}""");
        var (_, second) = await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"second","channel":"voice","queueId":"general"}""");
        var (_, queue) = await SendAsync(app, HttpMethod.Get, "/api/queues/general");

        Assert.Equal(2, second!["position"]!.GetValue<int>());
        Assert.Equal(2, queue!["waiting"]!.GetValue<int>());
        Assert.True(queue["open"]!.GetValue<bool>());
        Assert.Equal(["first", "second"], queue["contactIds"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [InlineData("GET", "/api/queues/nowhere", null, 404, "no queue 'nowhere'")]
    [InlineData("GET", "/api/contacts/nobody", null, 404, "no contact 'nobody'")]
    [InlineData("PUT", "/api/agents/ghost/presence", """{"presence":"available"}""", 404, "no agent 'ghost'")]
    [InlineData("POST", "/api/contacts", """{"channel":"pigeon","queueId":"general"}""", 400, "channel")]
    [InlineData("POST", "/api/contacts", """{"channel":"sms","queueId":"nowhere"}""", 404, "no queue 'nowhere'")]
    [InlineData("POST", "/api/contacts", """{"channel":"sms","queueId":"general","id":"a/b"}""", 400, "id")]
    [InlineData("POST", "/api/contacts", "{not json", 400, "not valid JSON")]
    [InlineData("PUT", "/api/agents/ann", """{"skills":{"billing":11}}""", 400, "outside 1-10")]
    [InlineData("PUT", "/api/agents/ann", """{"capacity":{"fax":1}}""", 400, "Unknown channel 'fax'")]
    [InlineData("GET", "/api/staffing?arrivalsPerHour=lots", null, 400, "arrivalsPerHour")]
    [InlineData("GET", "/api/staffing?arrivalsPerHour=100&ahtSeconds=180&serviceLevel=1.5", null, 400, "fraction")]
    public async Task Refusals_are_problem_json_with_the_status_that_fits(string method, string path, string? body, int expected, string reason)
    {
        await using var app = await RunningApp.StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await app.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_outside_its_business_hours_says_it_is_closed()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "routing-rules.json");
        // Open only on Sundays 00:00-00:01 UTC: closed at almost any moment the test runs.
        await File.WriteAllTextAsync(path, """{ "version": 1, "queues": [ { "id": "night", "businessHours": { "timeZone": "UTC", "weekly": { "sun": ["00:00-00:01"] } } } ] }""", Ct);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Routing:RulesPath"] = path }, s => s.AddSingleton<TimeProvider>(clock));

        Assert.False((await app.GetJsonAsync("/api/queues/night"))["open"]!.GetValue<bool>());
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, 0, 0, 30, TimeSpan.Zero));
        Assert.True((await app.GetJsonAsync("/api/queues/night"))["open"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Acting_on_an_offer_that_is_not_yours_any_more_is_409()
    {
        await using var app = await RunningApp.StartAsync();
        foreach (var agent in new[] { "ann", "bob" })
        {
            await SendAsync(app, HttpMethod.Put, $"/api/agents/{agent}", "{}");
        }
        await SendAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"voice","queueId":"general"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);

        var (status, problem) = await SendAsync(app, HttpMethod.Post, "/api/agents/bob/offers/c1/accept");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("not offered to bob: it is offered and offered to someone else", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Editing_the_rules_file_reloads_it_and_a_broken_edit_keeps_the_active_rules()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "routing-rules.json");
        await File.WriteAllTextAsync(path, """{ "version": 1, "queues": [ { "id": "alpha" } ] }""", Ct);
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Routing:RulesPath"] = path, ["Routing:PollInterval"] = "00:00:01" });

        await File.WriteAllTextAsync(path, """{ "version": 2, "queues": [ { "id": "beta" } ] }""", Ct);
        await WaitForVersionAsync(app, 2);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/queues/beta")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Get, "/api/queues/alpha")).Status);

        await File.WriteAllTextAsync(path, "{ \"version\": 3,\n  \"queues\": [ { \"id\": \"gamma\", \"policy\": \"whoever\" } ] }", Ct);
        var watcher = app.Services.GetRequiredService<ContactCenter.Functions.Acd.RoutingRulesWatcher>();
        var deadline = DateTime.UtcNow + Patience.Condition;
        while (watcher.LastUpdate is not { Applied: false } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(watcher.LastUpdate!.Applied);
        Assert.Contains(watcher.LastUpdate.Errors, e => e.Line == 2 && e.Message.Contains("whoever"));
        Assert.Equal(2, (await app.GetJsonAsync("/api/routing/rules"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_rules_file_that_does_not_validate_stops_start_up_with_its_lines()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "rules.json");
        await File.WriteAllTextAsync(path, "{\n  \"version\": 1,\n  \"queues\": [ { \"id\": \"a\", \"wrapUpSeconds\": -1 } ]\n}", Ct);
        await using var app = ContactCenter.Functions.ContactCenterApp.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Routing:RulesPath"] = path,
        }));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct));

        Assert.Contains(ContactCenter.Functions.Configuration.StartupErrors.Describe(ex) ?? [], f => f.Contains("line 3") && f.Contains("wrapUpSeconds"));
    }

    private static async Task WaitForVersionAsync(RunningApp app, int version)
    {
        var deadline = DateTime.UtcNow + Patience.Condition;
        while ((await app.GetJsonAsync("/api/routing/rules"))["version"]!.GetValue<int>() != version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"rules version {version} was never applied");
            await Task.Delay(50, Ct);
        }
    }
}
