using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using ContactCenter.Azure.Teams;
using ContactCenter.Core.Teams;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Teams;

/// <summary>
/// Offers reach the agent's Teams activity feed through the real Graph client against a fake Graph on loopback: the
/// exact request (URL, bearer token, body), and a failing Graph never costs the offer.
/// </summary>
public sealed class TeamsNotificationTests : IAsyncLifetime
{
    private const string GraphToken = "graph-token-for-teams-tests";
    private const string TeamsAppId = "0b9c3f1e-2d4a-4c6b-8e7f-1a2b3c4d5e6f";
    private const string AnnTeamsId = "5f1c3c2e-8a4b-4d3e-9a51-0c2b7e6d4f10";

    private readonly ConcurrentQueue<(string Method, string Path, string? Authorization, string Body)> _graphRequests = new();
    private int _graphStatus = 204;
    private WebApplication _graph = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _graph = builder.Build();
        _graph.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _graphRequests.Enqueue((context.Request.Method, context.Request.Path.Value!, context.Request.Headers.Authorization.FirstOrDefault(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = _graphStatus;
        });
        await _graph.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _graph.DisposeAsync();

    private Task<RunningApp> StartAsync(bool enabled = true) => RunningApp.StartAsync(
        new Dictionary<string, string?>
        {
            ["Teams:AppId"] = TeamsAppId,
            ["Teams:Notifications:Enabled"] = enabled ? "true" : "false",
        },
        services =>
        {
            services.RemoveAll<ITeamsActivityFeed>();
            services.AddSingleton<ITeamsActivityFeed>(new GraphActivityFeedClient(new Uri(_graph.Urls.First() + "/v1.0/"), new FixedTokenCredential(GraphToken, GraphActivityFeedClient.Scope), TeamsAppId,
                new GraphActivityFeedClientOptions { Retry = { MaxRetries = 0 } }));
        });

    private static async Task<HttpResponseMessage> SendAsync(RunningApp app, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await app.Client.SendAsync(request, Ct);
    }

    private static async Task OfferSmsToAnnAsync(RunningApp app, string teamsUserId = AnnTeamsId)
    {
        (await SendAsync(app, HttpMethod.Put, "/api/agents/ann", $$"""{"name":"Ann","skills":{"billing":6},"teamsUserId":"{{teamsUserId}}"}""")).EnsureSuccessStatusCode();
        (await app.PostJsonAsync("/api/contacts", """{"id":"c1","channel":"sms","queueId":"billing","customerId":"cust-9"}""")).EnsureSuccessStatusCode();
        (await SendAsync(app, HttpMethod.Put, "/api/agents/ann/presence", """{"presence":"available"}""")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_offer_to_an_agent_with_a_Teams_identity_posts_the_activity_notification_to_Graph()
    {
        await using var app = await StartAsync();
        await OfferSmsToAnnAsync(app);

        await Eventually.ValueAsync(() => Task.FromResult(_graphRequests.IsEmpty ? null : (object?)true), "the request to Graph");
        Assert.True(_graphRequests.TryPeek(out var request));
        var (method, path, authorization, body) = request;
        Assert.Equal("POST", method);
        Assert.Equal($"/v1.0/users/{AnnTeamsId}/teamwork/sendActivityNotification", path);
        Assert.Equal("Bearer " + GraphToken, authorization);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("text", json["topic"]!["source"]!.GetValue<string>());
        Assert.Equal("Contact center", json["topic"]!["value"]!.GetValue<string>());
        Assert.Equal($"https://teams.microsoft.com/l/entity/{TeamsAppId}/workspace?context={Uri.EscapeDataString("{\"subEntityId\":\"c1\"}")}",
            json["topic"]!["webUrl"]!.GetValue<string>());
        Assert.Equal("offerReceived", json["activityType"]!.GetValue<string>());
        Assert.Equal(TeamsAppId, json["teamsAppId"]!.GetValue<string>());
        Assert.Equal("New SMS contact offered from billing; accept it in the workspace.", json["previewText"]!["content"]!.GetValue<string>());
        Assert.Equal("""[{"name":"channel","value":"SMS"},{"name":"queue","value":"billing"}]""", json["templateParameters"]!.ToJsonString());

        // The offer itself is what it always was.
        var ann = await app.GetJsonAsync("/api/agents/ann");
        Assert.Equal("c1", ann["offer"]!["contactId"]!.GetValue<string>());
        Assert.Single(_graphRequests);
    }

    [Fact]
    public async Task A_failing_Graph_never_costs_the_offer()
    {
        _graphStatus = 503;
        await using var app = await StartAsync();
        await OfferSmsToAnnAsync(app);

        await Eventually.ValueAsync(() => Task.FromResult(_graphRequests.IsEmpty ? null : (object?)true), "the request to Graph");
        var ann = await app.GetJsonAsync("/api/agents/ann");
        Assert.Equal("c1", ann["offer"]!["contactId"]!.GetValue<string>());
        using var accepted = await app.PostJsonAsync("/api/agents/ann/offers/c1/accept", "{}");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.DoesNotContain(app.LocalHost.DeadLetters, d => d.Source.Contains("teams", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_notifications_off_nothing_goes_to_Graph()
    {
        await using var app = await StartAsync(enabled: false);
        await OfferSmsToAnnAsync(app);

        await Eventually.ValueAsync(async () => (await app.GetJsonAsync("/api/agents/ann"))["offer"] is JsonObject offer ? offer : null, "the offer to ann");
        await Task.Delay(300, Ct);
        Assert.Empty(_graphRequests);
    }
}
