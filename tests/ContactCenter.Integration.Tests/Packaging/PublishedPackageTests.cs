using ContactCenter.Core.Messaging;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.Events;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Integration.Tests.FunctionApp;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Packaging;

/// <summary>
/// `dotnet publish` makes the deployable Functions package, JIT and Native AOT. Both publishes share one class so
/// they run one after the other (they build the same project).
/// </summary>
public sealed class PublishedPackageTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_lays_out_host_json_one_folder_per_function_and_the_handler_executable()
    {
        var output = await PublishAsync(aot: false);

        Assert.Equal(File.ReadAllText(RepositoryPaths.HostJson), File.ReadAllText(Path.Combine(output, "host.json")));
        foreach (var function in FunctionCatalog.All)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, function.Name, "function.json")));
            Assert.True(JsonNode.DeepEquals(function.ToFunctionJson(), json), $"{function.Name}/function.json differs from its declaration");
        }
        var executable = Path.Combine(output, "ContactCenter.Functions");
        Assert.True(File.Exists(executable), "the handler executable named in host.json is missing");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0);
        }
    }

    private const string CallbackSecret = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    [Fact]
    public async Task The_native_aot_package_runs_the_event_and_routing_paths_against_table_storage_and_service_bus()
    {
        _ = azurite;
        var output = await PublishAsync(aot: true);
        var port = AppProcess.FreePort();
        await using var serviceBus = await FakeServiceBusNamespace.StartAsync();
        await using var entra = await FakeOpenIdProvider.StartAsync();
        await using var app = AppProcess.Start(Path.Combine(output, "ContactCenter.Functions"), new Dictionary<string, string>
        {
            ["Auth__TenantId"] = FakeOpenIdProvider.TenantId,
            ["Auth__ClientId"] = FakeOpenIdProvider.ClientId,
            ["Auth__OpenIdConfigurationUrl"] = entra.ConfigurationUri.AbsoluteUri,
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage__ConnectionString"] = AzuriteFixture.ConnectionString,
            ["ServiceBusConnection"] = serviceBus.ConnectionString,
            ["Voice__CallbackSecret"] = CallbackSecret,
            ["Acs__Endpoint"] = "https://contoso-acs.communication.azure.com",
            ["Email__SenderAddress"] = "DoNotReply@contoso.com",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // Workspace routes (the agents') take an Entra ID token in the Native AOT binary too.
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", entra.Token(roles: ["ContactCenter.Supervisor"]));
        await app.WaitForAsync(client, "/api/health", Patience.Startup);
        var eventId = "aot-" + Guid.NewGuid().ToString("N");

        using var accepted = await client.PostAsync("/AcsEvents", Json(HostPayloads.SmsReceivedEventGridSchema(eventId)), Ct);
        var queued = JsonNode.Parse(await accepted.Content.ReadAsStringAsync(Ct))!["Outputs"]!["inboundEvents"]!.GetValue<string>();
        using var first = await client.PostAsync("/InboundEvents", Json(HostPayloads.ServiceBusMessage(queued)), Ct);
        using var second = await client.PostAsync("/InboundEvents", Json(HostPayloads.ServiceBusMessage(queued, deliveryCount: 2)), Ct);
        using var timer = await client.PostAsync("/Heartbeat", Json(HostPayloads.Timer()), Ct);
        using var bad = await client.PostAsync("/AcsEvents", new StringContent("{", Encoding.UTF8, "application/json"), Ct);
        var health = JsonNode.Parse(await client.GetStringAsync("/api/health", Ct))!;
        // The shared routing rules: the start-up publish, history, the stored text, a retried PUT and a refused one.
        var history = JsonNode.Parse(await client.GetStringAsync("/api/routing/rules/versions", Ct))!;
        var current = history["current"]!.GetValue<int>();
        var text = await client.GetStringAsync($"/api/routing/rules/versions/{current}", Ct);
        using var retried = await client.PutAsync("/api/routing/rules", new StringContent(text, Encoding.UTF8, "text/plain"), Ct);
        using var refused = await client.PutAsync("/api/routing/rules", new StringContent("{\n  \"version\": 99,\n  \"queues\": []\n}", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(eventId, InboundEvent.FromJson(queued).Id);
        Assert.Contains("Applied", await first.Content.ReadAsStringAsync(Ct)); // the text joined a customer's case
        Assert.Contains("Duplicate", await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.Equal("table-storage", health["store"]!["kind"]!.GetValue<string>());
        Assert.True(health["heartbeat"]!["runs"]!.GetValue<long>() >= 1);
        Assert.Equal(current, health["routing"]!["rulesVersion"]!.GetValue<int>());
        Assert.Equal("unchanged", JsonNode.Parse(await retried.Content.ReadAsStringAsync(Ct))!["outcome"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("line 3, column", JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!["errors"]!["/queues"]![0]!.GetValue<string>());

        await RoutesThroughServiceBusAsync(client, serviceBus);
        await WebhookQueuesThroughServiceBusAsync(client, serviceBus);
        await CallbacksQueueInTheCallsSessionAsync(client, serviceBus);
    }

    /// <summary>
    /// Call Automation callbacks in the Native AOT binary: signature checked, events read, queued in the call's session;
    /// a signed callback that is no event is answered 200 (so ACS does not resend it) and parked, never queued.
    /// </summary>
    private static async Task CallbacksQueueInTheCallsSessionAsync(HttpClient client, FakeServiceBusNamespace serviceBus)
    {
        var signature = ContactCenter.Core.Voice.CallbackSignature.FromBase64(CallbackSecret);
        var uri = signature.CallbackUri(client.BaseAddress!, "call-aot");
        var callback = """[{"id":"aot-cb-1","source":"calling/callConnections/c1","type":"Microsoft.Communication.CallConnected","specversion":"1.0","time":"2026-11-24T10:00:00Z","data":{"callConnectionId":"c1","serverCallId":"s1","correlationId":"r1"}}]""";

        using var accepted = await client.PostAsync(uri.PathAndQuery, new StringContent(callback, Encoding.UTF8, "application/json"), Ct);
        using var forged = await client.PostAsync("/api/calls/events?call=call-aot&sig=AAAA", new StringContent(callback, Encoding.UTF8, "application/json"), Ct);
        using var malformed = await client.PostAsync(uri.PathAndQuery, new StringContent("[{}]", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        var health = JsonNode.Parse(await client.GetStringAsync("/api/health", Ct))!;
        Assert.Equal("CallEvents", health["unprocessable"]!["latest"]!["source"]!.GetValue<string>());
        var sent = Assert.Single(serviceBus.Messages, m => m.Queue == QueueNames.CallWork);
        Assert.Equal("call-aot", sent.SessionId);
        Assert.Equal(ContactCenter.Core.Voice.CallWorkKind.ProviderEvent, ContactCenter.Core.Voice.CallWork.FromJson(sent.Body).Kind);
    }

    /// <summary>The Event Grid webhook in the Native AOT binary: the validation handshake, and a delivery sent to inbound-events with the event id as message id.</summary>
    private static async Task WebhookQueuesThroughServiceBusAsync(HttpClient client, FakeServiceBusNamespace serviceBus)
    {
        var validation = """[{"id":"v1","topic":"/t","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-03T09:00:00Z","dataVersion":"2","data":{"validationCode":"code-1"}}]""";
        using var validated = await client.PostAsync("/api/events/acs", new StringContent(validation, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal("code-1", JsonNode.Parse(await validated.Content.ReadAsStringAsync(Ct))!["validationResponse"]!.GetValue<string>());

        var eventId = "aot-webhook-" + Guid.NewGuid().ToString("N");
        var delivery = new JsonArray(HostPayloads.SmsReceivedEventGridSchema(eventId)["Data"]!["eventGridEvent"]!.DeepClone()).ToJsonString();
        using var delivered = await client.PostAsync("/api/events/acs", new StringContent(delivery, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var sent = Assert.Single(serviceBus.Messages, m => m.Queue == QueueNames.InboundEvents);
        Assert.Equal(eventId, sent.MessageId);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(eventId, InboundEvent.FromJson(sent.Body).Id);
    }

    /// <summary>
    /// The ACD as it runs in Azure: changes send routing work to the session-enabled acd-routing queue, the host delivers
    /// it back, and an offer schedules its expiry as a Service Bus scheduled message. A skill unique to this run keeps
    /// contacts left in the shared tables by earlier runs out of the match.
    /// </summary>
    private static async Task RoutesThroughServiceBusAsync(HttpClient client, FakeServiceBusNamespace serviceBus)
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        var (agent, contact, skill) = ($"agent-{run}", $"contact-{run}", $"aot{run}");
        await PutAsync(client, $"/api/agents/{agent}", new JsonObject { ["skills"] = new JsonObject { [skill] = 5 }, ["capacity"] = new JsonObject { ["sms"] = 1 } }.ToJsonString());
        await PutAsync(client, $"/api/agents/{agent}/presence", """{"presence":"available"}""");
        using var enqueued = await client.PostAsync("/api/contacts", new StringContent(
            new JsonObject { ["id"] = contact, ["channel"] = "sms", ["queueId"] = "billing", ["skills"] = new JsonObject { [skill] = 5 } }.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, enqueued.StatusCode);

        // Beside the routing work, agents' workspaces are notified on their own (session-less) queue.
        var all = serviceBus.Messages.ToList();
        Assert.All(all, m => Assert.Contains(m.Queue, new[] { QueueNames.AcdRouting, QueueNames.WorkspaceNotifications }));
        Assert.Contains(all, m => m.Queue == QueueNames.WorkspaceNotifications && m.Body.Contains($"\"agentId\":\"{agent}\"", StringComparison.Ordinal));
        var sent = all.Where(m => m.Queue == QueueNames.AcdRouting).ToList();
        Assert.All(sent, m => Assert.False(string.IsNullOrEmpty(m.SessionId), "every message on the session queue needs a session id"));
        var escalation = Assert.Single(sent, m => m.Body.Contains("\"Escalate\"", StringComparison.Ordinal) && m.Body.Contains(contact, StringComparison.Ordinal));
        Assert.NotNull(escalation.ScheduledEnqueueTime); // billing's first overflow step, 180 s on
        var route = sent.Last(m => m.SessionId == "billing" && m.Body.Contains("\"Route\"", StringComparison.Ordinal));

        serviceBus.Messages.Clear();
        using var routed = await client.PostAsync("/AcdRouting", Json(HostPayloads.ServiceBusMessage(route.Body, sessionId: "billing")), Ct);
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        var view = JsonNode.Parse(await client.GetStringAsync($"/api/contacts/{contact}", Ct))!["contact"]!;
        Assert.Equal("Offered", view["status"]!.GetValue<string>());
        Assert.Equal(agent, view["offeredTo"]!.GetValue<string>());
        // This run's expiry: a pair left waiting in the shared tables by an interrupted earlier run may be routed too.
        var expiry = Assert.Single(serviceBus.Messages, m => m.Body.Contains("\"ExpireOffer\"", StringComparison.Ordinal) && m.Body.Contains(contact, StringComparison.Ordinal));
        Assert.Equal("billing", expiry.SessionId);
        // AMQP timestamps carry milliseconds (x-opt-scheduled-enqueue-time).
        Assert.Equal(view["offerExpiresAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds(), expiry.ScheduledEnqueueTime!.Value.ToUnixTimeMilliseconds());
        Assert.StartsWith($"expire|{contact}|{agent}|", expiry.MessageId, StringComparison.Ordinal);
        // The SAS tokens the SDK put on $cbs verified against the namespace key.
        Assert.All(serviceBus.Tokens, token => Assert.True(token.Valid, token.Audience));
    }

    private static async Task PutAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<string> PublishAsync(bool aot)
    {
        var output = Directory.CreateTempSubdirectory(aot ? "publish-aot-" : "publish-jit-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { "publish", RepositoryPaths.FunctionsProject, "-c", "Release", "-r", "linux-x64", "-o", output, $"-p:PublishAot={aot}", "--self-contained", aot ? "true" : "false", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A Native AOT publish takes several minutes on a 2-core machine, longer while the other test projects run beside it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        await process.WaitForExitAsync(timeout.Token);
        var log = $"dotnet {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}";
        Assert.True(process.ExitCode == 0, log);
        Assert.True(File.Exists(Path.Combine(output, "ContactCenter.Functions")), "publish left no handler executable. " + log);
        return output;
    }
}
