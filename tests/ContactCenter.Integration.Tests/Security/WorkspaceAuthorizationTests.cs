using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Functions;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Security;

/// <summary>Workspace routes over HTTP: 401 without a good token, 403 for another agent's work, supervisors everywhere, every change audited.</summary>
public sealed class WorkspaceAuthorizationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    [Fact]
    public async Task Without_a_token_or_with_a_bad_one_workspace_routes_answer_401_problem_json_with_a_bearer_challenge()
    {
        await using var app = await RunningApp.StartAsync();
        var anonymous = app.AnonymousClient();
        var forged = app.AnonymousClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        foreach (var path in new[] { "/api/agents/ann", "/api/customers/x", "/api/conversations/x", "/api/calls/x", "/api/auth/me", "/api/audit" })
        {
            var (status, body, response) = await SendAsync(anonymous, HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(401, body!["status"]!.GetValue<int>());
        }
        var (badStatus, _, badResponse) = await SendAsync(forged, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, badStatus);
        Assert.Contains("invalid_token", badResponse.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        // System routes are not workspace routes: the Functions host guards them with keys.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_agent_acts_only_for_itself_and_a_supervisor_for_anyone()
    {
        await using var app = await RunningApp.StartAsync();
        var supervisor = app.Client;
        var ann = app.ClientAs("ann");
        foreach (var agent in new[] { "ann", "bob" })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(supervisor, HttpMethod.Put, $"/api/agents/{agent}", """{"name":"X","skills":{"billing":6},"capacity":{"sms":1}}""")).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(supervisor, HttpMethod.Put, "/api/agents/bob/presence", """{"presence":"available"}""")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(supervisor, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"billing"}""")).Status);
        await app.LocalHost.WaitForIdleAsync(Ct);
        Assert.Equal("c1", (await app.GetJsonAsync("/api/agents/bob"))["offer"]!["contactId"]!.GetValue<string>());

        var (acceptsBobs, problem, response) = await SendAsync(ann, HttpMethod.Post, "/api/agents/bob/offers/c1/accept");
        var (setsBobsPresence, _, _) = await SendAsync(ann, HttpMethod.Put, "/api/agents/bob/presence", """{"presence":"away"}""");
        var (readsBob, _, _) = await SendAsync(ann, HttpMethod.Get, "/api/agents/bob");
        var (editsOwnProfile, _, _) = await SendAsync(ann, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"billing":10}}""");
        var (readsAudit, _, _) = await SendAsync(ann, HttpMethod.Get, "/api/audit");
        var (readsSelf, self, _) = await SendAsync(ann, HttpMethod.Get, "/api/agents/ann");
        var (setsOwnPresence, _, _) = await SendAsync(ann, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        var (readsCustomers, _, _) = await SendAsync(ann, HttpMethod.Get, "/api/customers/nobody");

        Assert.Equal(HttpStatusCode.Forbidden, acceptsBobs);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'ann'", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, setsBobsPresence);
        Assert.Equal(HttpStatusCode.Forbidden, readsBob);
        Assert.Equal(HttpStatusCode.Forbidden, editsOwnProfile);
        Assert.Equal(HttpStatusCode.Forbidden, readsAudit);
        Assert.Equal(HttpStatusCode.OK, readsSelf);
        Assert.Equal("ann", self!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, setsOwnPresence);
        Assert.Equal(HttpStatusCode.NotFound, readsCustomers); // any agent reads customer records (this one does not exist)
        Assert.Equal("Offered", (await app.GetJsonAsync("/api/contacts/c1"))["contact"]!["status"]!.GetValue<string>());

        // The supervisor may act for bob.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(supervisor, HttpMethod.Post, "/api/agents/bob/offers/c1/accept")).Status);
    }

    [Fact]
    public async Task Replies_and_call_commands_need_the_case_or_call_to_be_the_callers()
    {
        await using var app = await RunningApp.StartAsync();
        var ann = app.ClientAs("ann");
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/bob", """{"name":"Bob","skills":{"billing":6}}""");

        var (asBob, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/conversations/any/replies", """{"agentId":"bob","text":"hi"}""");
        var (commandAsBob, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/calls/any/hangup", """{"agentId":"bob"}""");
        var (unknownCase, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/conversations/any/replies", """{"text":"hi"}""");

        Assert.Equal(HttpStatusCode.Forbidden, asBob);
        Assert.Equal(HttpStatusCode.Forbidden, commandAsBob);
        Assert.Equal(HttpStatusCode.NotFound, unknownCase); // as herself: the guard lets the handler say it does not exist
    }

    [Fact]
    public async Task Another_agents_case_is_readable_but_only_its_agent_replies_resolves_or_completes_it()
    {
        await using var app = await RunningApp.StartAsync();
        var ann = app.ClientAs("ann");
        var bob = app.ClientAs("bob");
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{},"capacity":{"sms":1}}"""); // offline
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/bob", """{"name":"Bob","skills":{},"capacity":{"sms":1}}""");
        await SendAsync(bob, HttpMethod.Put, "/api/agents/bob/presence", """{"presence":"available"}""");
        await SendAsync(app.AnonymousClient(), HttpMethod.Post, "/simulator/sms", """{"from":"+14255550123","to":"+18005550199","message":"Hello?"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);
        var contactId = (await app.GetJsonAsync("/api/agents/bob"))["offer"]!["contactId"]!.GetValue<string>();
        var (annTakesIt, _, _) = await SendAsync(ann, HttpMethod.Post, $"/api/agents/ann/offers/{contactId}/accept");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bob, HttpMethod.Post, $"/api/agents/bob/offers/{contactId}/accept")).Status);
        await app.LocalHost.WaitForIdleAsync(Ct);
        var customer = await app.GetJsonAsync("/api/customers?phone=%2B14255550123");
        var conversationId = customer["openConversation"]!["id"]!.GetValue<string>();
        var customerId = customer["customer"]!["id"]!.GetValue<string>();

        var (readsCustomer, _, _) = await SendAsync(ann, HttpMethod.Get, $"/api/customers/{customerId}");
        var (readsTimeline, _, _) = await SendAsync(ann, HttpMethod.Get, $"/api/customers/{customerId}/timeline");
        var (replies, problem, _) = await SendAsync(ann, HttpMethod.Post, $"/api/conversations/{conversationId}/replies", """{"text":"Hi, Ann here."}""");
        var (resolves, _, _) = await SendAsync(ann, HttpMethod.Post, $"/api/conversations/{conversationId}/resolve");
        var (completes, _, _) = await SendAsync(ann, HttpMethod.Post, $"/api/agents/bob/contacts/{contactId}/complete");
        var (bobReplies, _, _) = await SendAsync(bob, HttpMethod.Post, $"/api/conversations/{conversationId}/replies", """{"text":"Hi, Bob here."}""");
        var (bobCompletes, _, _) = await SendAsync(bob, HttpMethod.Post, $"/api/agents/bob/contacts/{contactId}/complete");

        Assert.Equal(HttpStatusCode.Conflict, annTakesIt); // offered to bob, not to her
        Assert.Equal(HttpStatusCode.OK, readsCustomer);
        Assert.Equal(HttpStatusCode.OK, readsTimeline);
        Assert.Equal(HttpStatusCode.Forbidden, replies);
        Assert.Contains("not assigned to you", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, resolves);
        Assert.Equal(HttpStatusCode.Forbidden, completes);
        Assert.Equal(HttpStatusCode.Accepted, bobReplies);
        Assert.Equal(HttpStatusCode.OK, bobCompletes);
        Assert.Equal("Open", (await app.GetJsonAsync($"/api/conversations/{conversationId}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Supervisor_routes_and_another_agents_inbox_answer_401_without_a_token_and_403_to_the_wrong_agent()
    {
        await using var app = await RunningApp.StartAsync();
        var anonymous = app.AnonymousClient();
        var ann = app.ClientAs("ann");
        foreach (var agent in new[] { "ann", "bob" })
        {
            await SendAsync(app.Client, HttpMethod.Put, $"/api/agents/{agent}", """{"name":"X","skills":{}}""");
        }
        await SendAsync(app.Client, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"general"}""");

        var (boardAnonymous, _, challenge) = await SendAsync(anonymous, HttpMethod.Get, "/api/supervisor/board");
        var (boardAsAgent, boardProblem, boardResponse) = await SendAsync(ann, HttpMethod.Get, "/api/supervisor/board");
        var (reassignAsAgent, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/supervisor/contacts/c1/reassign", """{"agentId":"ann"}""");
        var (skillsAsAgent, _, _) = await SendAsync(ann, HttpMethod.Put, "/api/supervisor/agents/ann/skills", """{"skills":{"billing":10}}""");
        var (mergeAsAgent, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/customers/a/merge", """{"customerId":"b"}""");
        var (inboxAnonymous, _, _) = await SendAsync(anonymous, HttpMethod.Get, "/api/agents/bob/contacts");
        var (bobsInbox, inboxProblem, _) = await SendAsync(ann, HttpMethod.Get, "/api/agents/bob/contacts");
        var (bobsNotes, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/agents/bob/contacts/c1/notes", """{"text":"hi"}""");
        var (ownInbox, _, _) = await SendAsync(ann, HttpMethod.Get, "/api/agents/ann/contacts");
        var (dispositions, _, _) = await SendAsync(ann, HttpMethod.Get, "/api/dispositions");
        var (dispositionsAnonymous, _, _) = await SendAsync(anonymous, HttpMethod.Get, "/api/dispositions");
        var (negotiateAnonymous, _, _) = await SendAsync(anonymous, HttpMethod.Post, "/api/realtime/negotiate");
        var (negotiate, _, _) = await SendAsync(ann, HttpMethod.Post, "/api/realtime/negotiate");
        var (board, _, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/supervisor/board");
        var (bobsInboxBySupervisor, _, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/agents/bob/contacts");

        Assert.Equal(HttpStatusCode.Unauthorized, boardAnonymous);
        Assert.Equal("Bearer", challenge.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, boardAsAgent);
        Assert.Equal("application/problem+json", boardResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Only supervisors may do this.", boardProblem!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, reassignAsAgent);
        Assert.Equal(HttpStatusCode.Forbidden, skillsAsAgent);
        Assert.Equal(HttpStatusCode.Forbidden, mergeAsAgent);
        Assert.Equal(HttpStatusCode.Unauthorized, inboxAnonymous);
        Assert.Equal(HttpStatusCode.Forbidden, bobsInbox);
        Assert.Contains("signed in as 'ann'", inboxProblem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, bobsNotes);
        Assert.Equal(HttpStatusCode.OK, ownInbox);
        Assert.Equal(HttpStatusCode.OK, dispositions);
        Assert.Equal(HttpStatusCode.Unauthorized, dispositionsAnonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiateAnonymous);
        Assert.Equal(HttpStatusCode.OK, negotiate);
        Assert.Equal(HttpStatusCode.OK, board);
        Assert.Equal(HttpStatusCode.OK, bobsInboxBySupervisor);
        // The contact is still where it was: nothing the agent tried went through.
        Assert.Equal("general", (await app.GetJsonAsync("/api/contacts/c1"))["contact"]!["queueId"]!.GetValue<string>());
        Assert.Null((await app.GetJsonAsync("/api/agents/ann"))["offer"]);
    }

    [Fact]
    public async Task Workspace_and_supervisor_changes_are_audited_and_negotiating_a_stream_is_not()
    {
        await using var app = await RunningApp.StartAsync();
        var ann = app.ClientAs("ann");
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{},"capacity":{"sms":1}}""");
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/bob", """{"name":"Bob","skills":{}}""");
        await SendAsync(ann, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        await SendAsync(app.AnonymousClient(), HttpMethod.Post, "/simulator/sms", """{"from":"+14255550177","to":"+18005550199","message":"Hi"}""");
        await app.LocalHost.WaitForIdleAsync(Ct);
        var c1 = (await app.GetJsonAsync("/api/agents/ann"))["offer"]!["contactId"]!.GetValue<string>();
        await SendAsync(ann, HttpMethod.Post, "/api/realtime/negotiate");
        await SendAsync(ann, HttpMethod.Post, $"/api/agents/ann/offers/{c1}/accept");
        await SendAsync(ann, HttpMethod.Post, $"/api/agents/ann/contacts/{c1}/notes", """{"text":"Called back"}""");
        await SendAsync(ann, HttpMethod.Post, $"/api/supervisor/contacts/{c1}/reassign", """{"agentId":"bob"}""");
        await SendAsync(app.Client, HttpMethod.Put, "/api/supervisor/agents/bob/skills", """{"skills":{"billing":6}}""");
        await SendAsync(ann, HttpMethod.Post, $"/api/agents/ann/contacts/{c1}/complete");

        var entries = (await SendAsync(app.Client, HttpMethod.Get, "/api/audit")).Body!["entries"]!.AsArray()
            .Select(e => (Action: e!["action"]!.GetValue<string>(), Actor: e["actorId"]!.GetValue<string>(), Outcome: e["outcome"]!.GetValue<string>(), Subject: e["subjectAgentId"]?.GetValue<string>()))
            .Where(e => e.Action is not ("Agent" or "AgentPresence"))
            .ToList();

        Assert.Equal(
            [("AgentOffer", "ann", "succeeded", "ann"), ("AgentContactNotes", "ann", "succeeded", "ann"), ("SupervisorReassign", "ann", "denied", null),
             ("SupervisorAgentSkills", RunningApp.DefaultSupervisorId, "succeeded", "bob"), ("AgentContactComplete", "ann", "succeeded", "ann")],
            entries);
    }

    [Fact]
    public async Task Changes_are_audited_with_who_what_and_outcome_and_only_supervisors_read_the_trail()
    {
        await using var app = await RunningApp.StartAsync();
        var ann = app.ClientAs("ann");
        await SendAsync(app.Client, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"billing":6}}""");
        await SendAsync(ann, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""");
        await SendAsync(ann, HttpMethod.Put, "/api/agents/bob/presence", """{"presence":"away"}""");
        await SendAsync(ann, HttpMethod.Get, "/api/agents/ann"); // reads are not audited

        var (status, trail, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/audit");
        var (annOnly, mine, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/audit?agentId=bob");
        var (badRange, _, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/audit?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = trail!["entries"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(["Agent", "AgentPresence", "AgentPresence"], entries.Select(e => e["action"]!.GetValue<string>()));
        Assert.Equal([RunningApp.DefaultSupervisorId, "ann", "ann"], entries.Select(e => e["actorId"]!.GetValue<string>()));
        Assert.Equal(["Supervisor", "Agent", "Agent"], entries.Select(e => e["role"]!.GetValue<string>()));
        Assert.Equal(["succeeded", "succeeded", "denied"], entries.Select(e => e["outcome"]!.GetValue<string>()));
        Assert.Equal("PUT /api/agents/bob/presence", entries[2]["target"]!.GetValue<string>());
        Assert.Equal(403, entries[2]["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, annOnly);
        Assert.Equal("bob", Assert.Single(mine!["entries"]!.AsArray())!["subjectAgentId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badRange);
    }

    [Fact]
    public async Task Local_sign_in_issues_tokens_that_the_workspace_accepts_and_config_is_anonymous()
    {
        await using var app = await RunningApp.StartAsync();
        var anonymous = app.AnonymousClient();

        var config = JsonNode.Parse(await anonymous.GetStringAsync("/api/auth/config", Ct))!;
        using var issued = await anonymous.PostAsync("/api/auth/local/token", Json("""{"agentId":"ann"}"""), Ct);
        var token = JsonNode.Parse(await issued.Content.ReadAsStringAsync(Ct))!;
        using var invalid = await anonymous.PostAsync("/api/auth/local/token", Json("""{"agentId":"a/b"}"""), Ct);
        var ann = app.AnonymousClient();
        ann.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
        var me = JsonNode.Parse(await ann.GetStringAsync("/api/auth/me", Ct))!;
        var supervisorMe = JsonNode.Parse(await app.Client.GetStringAsync("/api/auth/me", Ct))!;

        Assert.Equal("local", config["mode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal("ann", token["agentId"]!.GetValue<string>());
        Assert.Equal(["Agent"], token["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(token["expiresOn"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("ann", me["agentId"]!.GetValue<string>());
        Assert.Equal("local", me["mode"]!.GetValue<string>());
        Assert.Equal(["Agent", "Supervisor"], supervisorMe["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Under_the_functions_host_there_is_no_local_sign_in_and_entra_tokens_are_required()
    {
        _ = azurite;
        await using var entra = await FakeOpenIdProvider.StartAsync();
        await using var serviceBus = await FakeServiceBusNamespace.StartAsync();
        var port = AppProcess.FreePort();
        var settings = new Dictionary<string, string?>(entra.Settings)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString,
            ["ServiceBusConnection"] = serviceBus.ConnectionString,
            ["Voice:CallbackSecret"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            ["Acs:Endpoint"] = "https://contoso-acs.communication.azure.com",
            ["Email:SenderAddress"] = "DoNotReply@contoso.com",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var app = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(settings));
        await app.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var agentId = "sv-" + Guid.NewGuid().ToString("N")[..8];

        using var localToken = await client.PostAsync("/api/auth/local/token", Json("""{"agentId":"ann","supervisor":true}"""), Ct);
        var config = JsonNode.Parse(await client.GetStringAsync("/api/auth/config", Ct))!;
        using var anonymous = await client.GetAsync("/api/auth/me", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", entra.Token(username: $"{agentId}@Contoso.com", roles: ["ContactCenter.Supervisor"]));
        using var signedIn = await client.SendAsync(request, Ct);
        var me = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync(Ct))!;
        // The host buffers forwarded responses, so the SSE stream is not there and negotiate never hands it out.
        using var sse = await client.GetAsync("/api/realtime/events?access_token=anything", Ct);
        using var negotiateRequest = new HttpRequestMessage(HttpMethod.Post, "/api/realtime/negotiate");
        negotiateRequest.Headers.Authorization = request.Headers.Authorization;
        using var negotiate = await client.SendAsync(negotiateRequest, Ct);
        // Older hosts follow redirects when forwarding: the console is served at /api/agent itself, not redirected.
        using var console = await client.GetAsync("/api/agent", Ct);

        Assert.Equal(HttpStatusCode.NotFound, localToken.StatusCode);
        Assert.Null(app.Services.GetService<ContactCenter.Functions.Security.LocalTokenIssuer>());
        Assert.Equal("entra", config["mode"]!.GetValue<string>());
        Assert.Equal(FakeOpenIdProvider.ClientId, config["clientId"]!.GetValue<string>());
        Assert.Equal($"api://{FakeOpenIdProvider.ClientId}/access_as_user", config["scopes"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal($"{agentId}@contoso.com", me["agentId"]!.GetValue<string>());
        Assert.Equal("entra", me["mode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, sse.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
        Assert.DoesNotContain("/api/realtime/events", await negotiate.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Equal("text/html", console.Content.Headers.ContentType?.MediaType);
        await app.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Local_sign_in_is_refused_under_the_functions_host_and_entra_needs_its_ids()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7001",
            ["Auth:Mode"] = "local",
        };
        await using var functionsHost = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(settings));
        await using var entraWithoutIds = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["Auth:Mode"] = "entra", ["Auth:ClientId"] = "app" }));

        var hostFailures = ContactCenter.Functions.Configuration.StartupErrors.Describe(await Assert.ThrowsAnyAsync<Exception>(() => functionsHost.StartAsync(Ct))) ?? [];
        var entraFailures = ContactCenter.Functions.Configuration.StartupErrors.Describe(await Assert.ThrowsAnyAsync<Exception>(() => entraWithoutIds.StartAsync(Ct))) ?? [];

        Assert.Contains(hostFailures, f => f.Contains("Auth:Mode is 'local' under the Functions host", StringComparison.Ordinal));
        Assert.Contains(entraFailures, f => f.Contains("Auth:TenantId", StringComparison.Ordinal));
        Assert.Contains(entraFailures, f => f.Contains("Auth:ClientId 'app'", StringComparison.Ordinal));
    }

    [Fact]
    public void Workspace_functions_are_anonymous_to_the_functions_host_and_system_http_functions_keep_function_keys()
    {
        string[] workspaceRoutes = ["agents/", "customers", "conversations/", "calls/{callId}", "supervisor/", "realtime/", "audit", "auth/me"];
        var http = FunctionCatalog.All.Where(f => f.IsHttp).ToList();

        foreach (var function in http)
        {
            var json = function.ToFunctionJson()["bindings"]![0]!;
            var route = json["route"]!.GetValue<string>();
            var authLevel = json["authLevel"]!.GetValue<string>();
            if (function.Name == "RealtimeEvents")
            {
                // The SSE stream proves itself with negotiate's one-time ticket (EventSource sends no headers).
                Assert.Null(function.Access);
                Assert.Equal("anonymous", authLevel);
            }
            else if (function.Name == "AgentWidget")
            {
                // The console's static files: a browser loads them before anyone signs in; they hold no data.
                Assert.Null(function.Access);
                Assert.Equal("anonymous", authLevel);
            }
            else if (workspaceRoutes.Any(route.StartsWith) || route == "dispositions")
            {
                Assert.True(function.Access is not null, $"{function.Name} ({route}) is a workspace route without declared access");
                Assert.Equal("anonymous", authLevel);
            }
            else if (function.Name is not ("Health" or "CallEvents" or "AuthConfig"))
            {
                Assert.True(authLevel == "function", $"{function.Name} ({route}) is a system route and must keep its function key");
            }
        }
        Assert.Contains(http, f => f.Name == "AgentOffer");
        Assert.Contains(http, f => f.Name == "SupervisorBoard" && f.Access!.Read == ContactCenter.Functions.Security.AccessRule.Supervisor);
        Assert.Contains(http, f => f.Name == "AgentContacts" && f.Access!.Read == ContactCenter.Functions.Security.AccessRule.OwnAgent);
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("Keyed", new HttpTrigger("x", ["get"], "function")) { Access = ContactCenter.Functions.Security.WorkspaceAccess.AnyAgent });
    }
}
