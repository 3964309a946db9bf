using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Integration.Tests.Realtime;

/// <summary>Real-time push on real Kestrel: negotiate in both modes, the local SSE stream, and the SignalR output binding.</summary>
public sealed class RealtimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Signed in as <paramref name="agentId"/> (a supervisor when asked), as the default supervisor when null, or with no token at all.</summary>
    private static async Task<HttpResponseMessage> SendAsync(RunningApp app, HttpMethod method, string path, string? json = null, string? agentId = null, bool supervisor = false, bool anonymous = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        var client = anonymous ? app.AnonymousClient() : agentId is null ? app.Client : app.ClientAs(agentId, supervisor);
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    /// <summary>Reads SSE events off a stream until one of the wanted type arrives (or the test's time runs out).</summary>
    private static async Task<JsonNode> NextEventAsync(StreamReader reader, string type, List<string>? seen = null)
    {
        string? eventType = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience.Condition);
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
                seen?.Add(eventType);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == type)
            {
                return JsonNode.Parse(line["data: ".Length..])!;
            }
        }
        throw new InvalidOperationException("The stream ended.");
    }

    [Fact]
    public async Task An_agent_going_available_receives_the_offer_for_a_contact_on_its_sse_stream()
    {
        await using var app = await RunningApp.StartAsync();
        await SendAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"billing":6}}""");

        using var negotiate = await SendAsync(app, HttpMethod.Post, "/api/realtime/negotiate", agentId: "ann");
        var info = JsonNode.Parse(await negotiate.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("sse", info["mode"]!.GetValue<string>());
        var url = info["url"]!.GetValue<string>();
        Assert.StartsWith("/api/realtime/events?access_token=", url, StringComparison.Ordinal);

        using var stream = await SendAsync(app, HttpMethod.Get, url, anonymous: true);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(Ct));

        (await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c1","channel":"sms","queueId":"billing","customerId":"cust-9"}""")).Dispose();
        (await SendAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""", agentId: "ann")).Dispose();

        var seen = new List<string>();
        var agent = await NextEventAsync(reader, "agent", seen);
        Assert.Equal("Available", agent["presence"]!.GetValue<string>());
        var offer = await NextEventAsync(reader, "offer", seen);
        Assert.Equal("c1", offer["contactId"]!.GetValue<string>());
        Assert.Equal("billing", offer["queueId"]!.GetValue<string>());
        Assert.Equal("cust-9", offer["customerId"]!.GetValue<string>());
        Assert.NotNull(offer["expiresAt"]);
        Assert.DoesNotContain("board", seen); // supervisors only

        // The URL opened one stream: a second use is refused.
        using var reused = await SendAsync(app, HttpMethod.Get, url, anonymous: true);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Supervisors_streams_get_the_board_and_everybodys_offers()
    {
        await using var app = await RunningApp.StartAsync();
        using var negotiate = await SendAsync(app, HttpMethod.Post, "/api/realtime/negotiate", agentId: "sue", supervisor: true);
        var url = JsonNode.Parse(await negotiate.Content.ReadAsStringAsync(Ct))!["url"]!.GetValue<string>();
        using var stream = await SendAsync(app, HttpMethod.Get, url, anonymous: true);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(Ct));

        (await SendAsync(app, HttpMethod.Put, "/api/agents/ann", """{"name":"Ann","skills":{"billing":6}}""")).Dispose();
        (await SendAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""")).Dispose();
        (await SendAsync(app, HttpMethod.Post, "/api/contacts", """{"id":"c2","channel":"sms","queueId":"billing"}""")).Dispose();

        await NextEventAsync(reader, "board");
        Assert.Equal("c2", (await NextEventAsync(reader, "offer"))["contactId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Negotiate_without_a_token_is_401_problem_json()
    {
        await using var app = await RunningApp.StartAsync();
        using var response = await SendAsync(app, HttpMethod.Post, "/api/realtime/negotiate", anonymous: true);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_a_signalr_connection_string_negotiate_issues_a_client_token_for_the_hub_and_user()
    {
        const string key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh=";
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?>
        {
            ["AzureSignalRConnectionString"] = $"Endpoint=https://contoso.service.signalr.net;AccessKey={key};Version=1.0;",
        });
        using var response = await SendAsync(app, HttpMethod.Post, "/api/realtime/negotiate", agentId: "ann");
        var info = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal("signalr", info["mode"]!.GetValue<string>());
        Assert.Equal("https://contoso.service.signalr.net/client/?hub=workspace", info["url"]!.GetValue<string>());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(info["accessToken"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidAudience = "https://contoso.service.signalr.net/client/?hub=workspace",
            ValidateIssuer = false,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal("ann", ((JsonWebToken)validation.SecurityToken).GetClaim("nameid").Value);
    }

    [Fact]
    public async Task The_notifications_function_returns_signalr_messages_for_the_agent_and_the_supervisors_group()
    {
        await using var app = await RunningApp.StartAsync();
        var body = """{"type":"offer","agentId":"ann","supervisors":true,"data":{"contactId":"c1","channel":"Sms","queueId":"billing"}}""";
        using var response = await app.InvokeAsync("WorkspaceNotifications", FunctionApp.HostPayloads.ServiceBusMessage(body, function: "WorkspaceNotifications"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["Outputs"]!["signalRMessages"]!.AsArray();

        Assert.Equal(2, messages.Count);
        Assert.Equal("ann", messages[0]!["userId"]!.GetValue<string>());
        Assert.Equal("supervisors", messages[1]!["groupName"]!.GetValue<string>());
        Assert.All(messages, m => Assert.Equal("offer", m!["target"]!.GetValue<string>()));
        Assert.All(messages, m => Assert.Equal("c1", m!["arguments"]![0]!["contactId"]!.GetValue<string>()));

        using var bad = await app.InvokeAsync("WorkspaceNotifications", FunctionApp.HostPayloads.ServiceBusMessage("{}", function: "WorkspaceNotifications"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public void The_function_json_declares_the_signalr_output_binding()
    {
        var json = ContactCenter.Functions.Realtime.RealtimeFunctions.WorkspaceNotifications.ToFunctionJson().ToJsonString();
        var bindings = JsonNode.Parse(json)!["bindings"]!.AsArray();
        var output = Assert.Single(bindings, b => b!["type"]!.GetValue<string>() == "signalR")!;
        Assert.Equal(("out", "signalRMessages", "workspace", "AzureSignalRConnectionString"),
            (output["direction"]!.GetValue<string>(), output["name"]!.GetValue<string>(), output["hubName"]!.GetValue<string>(), output["connectionStringSetting"]!.GetValue<string>()));
        Assert.Contains(bindings, b => b!["type"]!.GetValue<string>() == "serviceBusTrigger" && b["queueName"]!.GetValue<string>() == "workspace-notifications");
    }
}
