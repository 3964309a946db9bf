using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Acd;

/// <summary>
/// The agent workspace and supervisor endpoints over HTTP on real Kestrel in local mode: a simulated customer texts, the
/// agent sees the contact in their inbox, notes the case, completes with a disposition; a supervisor reads the board,
/// reassigns an offer and changes skills. Refusals are problem+json.
/// </summary>
public sealed class AgentWorkspaceApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="asAgent">Signed in as this agent; the supervisor (<see cref="RunningApp.Client"/>) when null.</param>
    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(RunningApp app, HttpMethod method, string path, string? json = null, string? asAgent = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await (asAgent is null ? app.Client : app.ClientAs(asAgent)).SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonNode> ExpectAsync(RunningApp app, HttpMethod method, string path, string? json, HttpStatusCode expected, string? asAgent = null)
    {
        var (status, body, contentType) = await SendAsync(app, method, path, json, asAgent);
        Assert.True(status == expected, $"{method} {path}: {(int)status} {body?.ToJsonString()}");
        if ((int)status >= 400)
        {
            Assert.Equal("application/problem+json", contentType);
        }
        return body ?? new JsonObject();
    }

    [Fact]
    public async Task An_agent_sees_the_text_in_the_inbox_notes_the_case_and_completes_it_with_a_disposition()
    {
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["Messaging:SmsQueueId"] = "support" });
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"support":7}}""", HttpStatusCode.OK);
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""", HttpStatusCode.OK, asAgent: "ann");
        await ExpectAsync(app, HttpMethod.Post, "/simulator/sms", """{"from":"+14255550123","to":"+18005550199","message":"My router blinks red"}""", HttpStatusCode.Accepted);
        var customer = await Eventually.ValueAsync(async () => await app.GetJsonAsync("/api/customers?phone=%2B14255550123") is var c && c["openConversation"]?["contactId"] is not null ? c : null, "the case");
        var (customerId, conversationId) = (customer["customer"]!["id"]!.GetValue<string>(), customer["openConversation"]!["id"]!.GetValue<string>());
        var contactId = customer["openConversation"]!["contactId"]!.GetValue<string>();
        await app.LocalHost.WaitForIdleAsync(Ct);
        await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/offers/{contactId}/accept", null, HttpStatusCode.OK, asAgent: "ann");

        var inbox = await ExpectAsync(app, HttpMethod.Get, "/api/agents/ann/contacts", null, HttpStatusCode.OK, asAgent: "ann");
        var item = Assert.Single(inbox["contacts"]!.AsArray())!;
        Assert.Equal((contactId, "Sms", "support", "Assigned", customerId, conversationId),
            (item["contactId"]!.GetValue<string>(), item["channel"]!.GetValue<string>(), item["queueId"]!.GetValue<string>(), item["status"]!.GetValue<string>(),
             item["customerId"]!.GetValue<string>(), item["conversationId"]!.GetValue<string>()));
        Assert.NotNull(item["assignedAt"]);

        var note = await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/contacts/{contactId}/notes", """{"text":"Customer is on the fibre plan"}""", HttpStatusCode.Created, asAgent: "ann");
        Assert.Equal(("Note", true, conversationId), (note["kind"]!.GetValue<string>(), note["internal"]!.GetValue<bool>(), note["conversationId"]!.GetValue<string>()));

        var codes = await ExpectAsync(app, HttpMethod.Get, "/api/dispositions?queueId=support", null, HttpStatusCode.OK, asAgent: "ann");
        Assert.True(codes["required"]!.GetValue<bool>());
        Assert.Equal(["resolved", "escalated", "callback-promised"], codes["dispositions"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()));
        Assert.False((await ExpectAsync(app, HttpMethod.Get, "/api/dispositions", null, HttpStatusCode.OK, asAgent: "ann"))["required"]!.GetValue<bool>());

        var wrong = await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/contacts/{contactId}/complete", """{"disposition":"fixed"}""", HttpStatusCode.BadRequest, asAgent: "ann");
        Assert.Equal(["resolved", "escalated", "callback-promised"], wrong["errors"]!["validDispositions"]!.AsArray().Select(c => c!.GetValue<string>()));
        var missing = await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/contacts/{contactId}/complete", null, HttpStatusCode.BadRequest, asAgent: "ann");
        Assert.Contains("requires a disposition", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var done = await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/contacts/{contactId}/complete", """{"disposition":"resolved","notes":"Rebooted it"}""", HttpStatusCode.OK, asAgent: "ann");
        Assert.Equal(("Completed", "resolved", "Rebooted it"), (done["contact"]!["status"]!.GetValue<string>(), done["contact"]!["disposition"]!.GetValue<string>(), done["contact"]!["wrapUpNotes"]!.GetValue<string>()));

        var timeline = (await app.GetJsonAsync($"/api/customers/{customerId}/timeline"))["entries"]!.AsArray();
        var wrapUp = Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "WrapUp")!;
        Assert.Equal("Disposition: Resolved (resolved)\nRebooted it", wrapUp["text"]!.GetValue<string>());
        Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "Note");
        Assert.Empty((await ExpectAsync(app, HttpMethod.Get, "/api/agents/ann/contacts", null, HttpStatusCode.OK, asAgent: "ann"))["contacts"]!.AsArray());

        var late = await ExpectAsync(app, HttpMethod.Post, $"/api/agents/ann/contacts/{contactId}/notes", """{"text":"one more thing"}""", HttpStatusCode.Conflict, asAgent: "ann");
        Assert.Contains("no longer ann's", late["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await app.LocalHost.WaitForIdleAsync(Ct);
        var phone = await app.Client.GetStringAsync("/simulator/phones/%2B14255550123/messages", Ct);
        Assert.DoesNotContain("fibre plan", phone, StringComparison.Ordinal);
        Assert.DoesNotContain("Rebooted", phone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_reads_the_board_reassigns_an_offer_and_gives_an_agent_a_skill()
    {
        await using var app = await RunningApp.StartAsync();
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann"}""", HttpStatusCode.OK);
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/bob", """{"name":"Bob"}""", HttpStatusCode.OK);
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""", HttpStatusCode.OK);
        await ExpectAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"general"}""", HttpStatusCode.Accepted);
        await ExpectAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"b1","channel":"voice","queueId":"billing"}""", HttpStatusCode.Accepted);
        await app.LocalHost.WaitForIdleAsync(Ct);

        var board = await ExpectAsync(app, HttpMethod.Get, "/api/supervisor/board", null, HttpStatusCode.OK);
        var billing = board["queues"]!.AsArray().Single(q => q!["queueId"]!.GetValue<string>() == "billing")!;
        Assert.Equal(1, billing["waiting"]!.GetValue<int>());
        Assert.NotNull(billing["longestWait"]);
        Assert.Equal(1, board["queues"]!.AsArray().Single(q => q!["queueId"]!.GetValue<string>() == "general")!["offered"]!.GetValue<int>());
        var ann = board["agents"]!.AsArray().Single(a => a!["agentId"]!.GetValue<string>() == "ann")!;
        Assert.Equal(("Available", "c1", 3), (ann["presence"]!.GetValue<string>(), ann["offer"]!["contactId"]!.GetValue<string>(), ann["channels"]!["sms"]!["capacity"]!.GetValue<int>()));

        var away = await ExpectAsync(app, HttpMethod.Post, "/api/supervisor/contacts/c1/reassign", """{"agentId":"bob"}""", HttpStatusCode.Conflict);
        Assert.Contains("bob is offline", away["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/bob/presence", """{"presence":"available"}""", HttpStatusCode.OK);
        await app.LocalHost.WaitForIdleAsync(Ct);
        var moved = await ExpectAsync(app, HttpMethod.Post, "/api/supervisor/contacts/c1/reassign", """{"agentId":"bob"}""", HttpStatusCode.OK);
        var again = await ExpectAsync(app, HttpMethod.Post, "/api/supervisor/contacts/c1/reassign", """{"agentId":"bob"}""", HttpStatusCode.OK);
        Assert.Equal(("offered", "ann", "offered", "bob"), (moved["outcome"]!.GetValue<string>(), moved["withdrawnFrom"]!.GetValue<string>(),
            moved["previousStatus"]!.GetValue<string>(), moved["contact"]!["offeredTo"]!.GetValue<string>()));
        Assert.Equal("unchanged", again["outcome"]!.GetValue<string>());
        Assert.Null((await app.GetJsonAsync("/api/agents/ann"))["offer"]);
        await ExpectAsync(app, HttpMethod.Post, "/api/agents/ann/offers/c1/accept", null, HttpStatusCode.Conflict, asAgent: "ann");
        await ExpectAsync(app, HttpMethod.Post, "/api/agents/bob/offers/c1/accept", null, HttpStatusCode.OK, asAgent: "bob");

        var skills = await ExpectAsync(app, HttpMethod.Put, "/api/supervisor/agents/bob/skills", """{"skills":{"billing":6}}""", HttpStatusCode.OK);
        Assert.Contains("billing", skills["queuesRouted"]!.AsArray().Select(q => q!.GetValue<string>()));
        await app.LocalHost.WaitForIdleAsync(Ct);
        var contact = await app.GetJsonAsync("/api/contacts/b1");
        Assert.Equal(("Offered", "bob"), (contact["contact"]!["status"]!.GetValue<string>(), contact["contact"]!["offeredTo"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("POST", "/api/supervisor/contacts/c1/reassign", """{}""", 400, "agentId")]
    [InlineData("POST", "/api/supervisor/contacts/nobody/reassign", """{"agentId":"ann"}""", 404, "no contact 'nobody'")]
    [InlineData("POST", "/api/supervisor/contacts/c1/reassign", """{"agentId":"ghost"}""", 404, "no agent 'ghost'")]
    [InlineData("PUT", "/api/supervisor/agents/ann/skills", """{"skills":{"billing":11}}""", 400, "outside 1-10")]
    [InlineData("PUT", "/api/supervisor/agents/ann/skills", """{}""", 400, "skills")]
    [InlineData("PUT", "/api/supervisor/agents/ghost/skills", """{"skills":{}}""", 404, "no agent 'ghost'")]
    [InlineData("GET", "/api/agents/ghost/contacts", null, 404, "no agent 'ghost'")]
    [InlineData("GET", "/api/dispositions?queueId=nowhere", null, 404, "no queue 'nowhere'")]
    [InlineData("POST", "/api/agents/ann/contacts/c1/notes", """{"text":""}""", 400, "needs text")]
    [InlineData("POST", "/api/agents/ann/contacts/c1/notes", """{"text":"hello"}""", 409, "no longer ann's: it is queued")]
    [InlineData("POST", "/api/agents/ann/contacts/c1/complete", """{"disposition":"resolved"}""", 409, "no longer ann's")]
    [InlineData("POST", "/api/agents/ann/contacts/c1/complete", "{oops", 400, "not valid JSON")]
    public async Task Refusals_are_problem_json_with_the_status_that_fits(string method, string path, string? body, int expected, string reason)
    {
        await using var app = await RunningApp.StartAsync();
        await ExpectAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann"}""", HttpStatusCode.OK);
        await ExpectAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"general"}""", HttpStatusCode.Accepted);

        var problem = await ExpectAsync(app, new HttpMethod(method), path, body, (HttpStatusCode)expected);

        var said = $"{problem["detail"]} {string.Join(" ", problem["errors"]?.AsObject().Select(e => e.Key) ?? [])}";
        Assert.Contains(reason, said, StringComparison.Ordinal);
    }
}
