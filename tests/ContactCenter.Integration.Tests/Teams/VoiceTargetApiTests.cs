using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Teams;

/// <summary>The agent's Teams identity and choice of where calls ring, over HTTP: PUT /api/agents/{id} and PUT .../voice-target.</summary>
public sealed class VoiceTargetApiTests
{
    private const string TeamsId = "5f1c3c2e-8a4b-4d3e-9a51-0c2b7e6d4f10";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string? MediaType, JsonNode? Body)> PutAsync(RunningApp app, string path, string json)
    {
        using var response = await app.Client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task An_agent_with_a_Teams_identity_can_choose_to_ring_in_Teams_and_back()
    {
        await using var app = await RunningApp.StartAsync();
        var created = await PutAsync(app, "/api/agents/ann", $$"""{"name":"Ann","skills":{},"voiceAddress":"8:acs:agent-ann","teamsUserId":"{{TeamsId.ToUpperInvariant()}}"}""");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(TeamsId, created.Body!["teamsUserId"]!.GetValue<string>());
        Assert.Equal("Default", created.Body["ringTarget"]!.GetValue<string>());

        var teams = await PutAsync(app, "/api/agents/ann/voice-target", """{"ringTarget":"teams"}""");
        Assert.Equal(HttpStatusCode.OK, teams.Status);
        Assert.Equal("Teams", teams.Body!["ringTarget"]!.GetValue<string>());
        Assert.Equal("Teams", (await app.GetJsonAsync("/api/agents/ann"))["ringTarget"]!.GetValue<string>());

        // A profile update that does not name the choice keeps it.
        await PutAsync(app, "/api/agents/ann", $$"""{"name":"Ann B","skills":{},"voiceAddress":"8:acs:agent-ann","teamsUserId":"{{TeamsId}}"}""");
        Assert.Equal("Teams", (await app.GetJsonAsync("/api/agents/ann"))["ringTarget"]!.GetValue<string>());

        var back = await PutAsync(app, "/api/agents/ann/voice-target", """{"ringTarget":"default"}""");
        Assert.Equal("Default", back.Body!["ringTarget"]!.GetValue<string>());
    }

    [Fact]
    public async Task Choosing_Teams_without_a_Teams_identity_is_a_clear_400()
    {
        await using var app = await RunningApp.StartAsync();
        await PutAsync(app, "/api/agents/bob", """{"name":"Bob","skills":{},"voiceAddress":"+14255550777"}""");

        var viaTarget = await PutAsync(app, "/api/agents/bob/voice-target", """{"ringTarget":"teams"}""");
        Assert.Equal(HttpStatusCode.BadRequest, viaTarget.Status);
        Assert.Equal("application/problem+json", viaTarget.MediaType);
        Assert.Contains("no Teams user id", viaTarget.Body!["errors"]!["ringTarget"]![0]!.GetValue<string>());

        var viaProfile = await PutAsync(app, "/api/agents/bob", """{"name":"Bob","skills":{},"ringTarget":"teams"}""");
        Assert.Equal(HttpStatusCode.BadRequest, viaProfile.Status);
        Assert.Equal("application/problem+json", viaProfile.MediaType);
        Assert.NotNull(viaProfile.Body!["errors"]!["ringTarget"]);
        Assert.Equal("Default", (await app.GetJsonAsync("/api/agents/bob"))["ringTarget"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_values_and_unknown_agents_are_problems()
    {
        await using var app = await RunningApp.StartAsync();
        await PutAsync(app, "/api/agents/ann", """{"name":"Ann","skills":{}}""");

        var badTarget = await PutAsync(app, "/api/agents/ann/voice-target", """{"ringTarget":"pager"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (badTarget.Status, badTarget.MediaType));
        Assert.NotNull(badTarget.Body!["errors"]!["ringTarget"]);

        var numeric = await PutAsync(app, "/api/agents/ann/voice-target", """{"ringTarget":"1"}""");
        Assert.Equal(HttpStatusCode.BadRequest, numeric.Status);

        var badId = await PutAsync(app, "/api/agents/ann", """{"name":"Ann","skills":{},"teamsUserId":"ann@contoso.com"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (badId.Status, badId.MediaType));
        Assert.NotNull(badId.Body!["errors"]!["teamsUserId"]);

        var unknown = await PutAsync(app, "/api/agents/ghost/voice-target", """{"ringTarget":"default"}""");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.Status, unknown.MediaType));
    }
}
