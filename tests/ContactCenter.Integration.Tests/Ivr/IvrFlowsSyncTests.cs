using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Azure.Tables;
using ContactCenter.Core.Ivr;
using ContactCenter.Core.State;
using ContactCenter.Functions.Ivr;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Ivr;

/// <summary>
/// IVR flows shared by every instance like the routing rules: published over HTTP or from the deployed file, checked
/// against the routing rules' queues, and applied by every instance on one Table Storage (Azurite) within Ivr:SyncInterval.
/// </summary>
public sealed class IvrFlowsSyncTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly IStateStore _shared = InterceptingStore.Isolated(new TableStateStore(azurite.ServiceClient));

    private static string Flows(int version, string queue) =>
        $$"""
        {
          // version {{version}}
          "version": {{version}},
          "flows": [ {
            "id": "main", "entry": "menu",
            "nodes": {
              "menu": { "type": "menu", "prompt": "Press 1.", "options": [ { "digit": "1", "next": "queue" } ], "fallback": "queue" },
              "queue": { "type": "queue", "queue": "{{queue}}" }
            }
          } ]
        }
        """;

    private static async Task<string> FileAsync(string name, string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ivr-").FullName, name);
        await File.WriteAllTextAsync(path, text, Ct);
        return path;
    }

    private async Task<RunningApp> StartInstanceAsync(string flowsPath) =>
        await RunningApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Routing:RulesPath"] = await FileAsync("routing-rules.json", """{ "version": 1, "queues": [ { "id": "alpha" }, { "id": "beta" } ] }"""),
                ["Ivr:FlowsPath"] = flowsPath,
                ["Ivr:SyncInterval"] = SyncInterval.ToString(),
                ["Ivr:PollInterval"] = "00:00:01",
            },
            services => services.AddSingleton(_shared));

    private static async Task<(HttpStatusCode Status, string? MediaType, string Text)> SendAsync(RunningApp app, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "text/plain") };
        using var response = await app.Client.SendAsync(request, Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<int> ActiveVersionAsync(RunningApp app) => (await app.GetJsonAsync("/api/ivr/flows"))["version"]!.GetValue<int>();

    [Fact]
    public async Task A_version_put_over_http_is_active_listed_and_readable_and_the_injected_catalog_runs_it()
    {
        var file = await FileAsync("ivr-flows.json", Flows(1, "alpha"));
        await using var app = await StartInstanceAsync(file);
        Assert.Equal(1, await ActiveVersionAsync(app));

        var put = await SendAsync(app, HttpMethod.Put, "/api/ivr/flows", Flows(2, "beta"));

        Assert.Equal(HttpStatusCode.OK, put.Status);
        var published = JsonNode.Parse(put.Text)!;
        Assert.Equal((2, IvrFlowsApi.PublishSource, "published"), (published["version"]!.GetValue<int>(), published["source"]!.GetValue<string>(), published["outcome"]!.GetValue<string>()));
        var active = await app.GetJsonAsync("/api/ivr/flows");
        Assert.Equal((2, IvrFlowsApi.PublishSource, "main"), (active["version"]!.GetValue<int>(), active["source"]!.GetValue<string>(), active["flows"]![0]!.GetValue<string>()));
        var history = await app.GetJsonAsync("/api/ivr/flows/versions");
        Assert.Equal(2, history["current"]!.GetValue<int>());
        Assert.Equal([IvrFlowsApi.PublishSource, file], history["versions"]!.AsArray().Select(v => v!["source"]!.GetValue<string>()));
        var text = await SendAsync(app, HttpMethod.Get, "/api/ivr/flows/versions/2");
        Assert.Equal((HttpStatusCode.OK, "application/json", Flows(2, "beta")), text);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Get, "/api/ivr/flows/versions/9")).Status);

        // What the voice orchestration injects: a call started now reaches the new version's queue.
        var catalog = app.Services.GetRequiredService<IvrFlowCatalog>();
        var step = new IvrEngine(catalog.Current).Start("main", DateTimeOffset.UtcNow);
        var queued = new IvrEngine(catalog.Current).Handle(step.Session, new DigitsReceived("1", DateTimeOffset.UtcNow));
        Assert.Equal("beta", Assert.IsType<QueueCall>(Assert.Single(queued.Actions)).QueueId);
    }

    [Fact]
    public async Task Flows_naming_an_unknown_queue_are_a_400_with_the_line_and_the_active_version_stays()
    {
        await using var app = await StartInstanceAsync(await FileAsync("ivr-flows.json", Flows(1, "alpha")));
        var invalid = Flows(2, "gamma");

        var put = await SendAsync(app, HttpMethod.Put, "/api/ivr/flows", invalid);

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (put.Status, put.MediaType));
        var problem = JsonNode.Parse(put.Text)!;
        Assert.Equal("Invalid IVR flows", problem["title"]!.GetValue<string>());
        var line = invalid[..invalid.IndexOf("\"queue\": \"gamma\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var error = problem["errors"]!["/flows/0/nodes/queue/queue"]![0]!.GetValue<string>();
        Assert.StartsWith($"line {line}, column ", error);
        Assert.Contains("Queue 'gamma' is not defined in the routing rules (known: alpha, beta)", error);
        Assert.Equal(1, await ActiveVersionAsync(app));
        Assert.Equal(1, (await app.GetJsonAsync("/api/ivr/flows/versions"))["current"]!.GetValue<int>());

        var older = await SendAsync(app, HttpMethod.Put, "/api/ivr/flows", Flows(1, "beta"));
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (older.Status, older.MediaType));
    }

    [Fact]
    public async Task Two_instances_converge_on_a_version_put_on_one_and_on_an_edit_of_the_deployed_file()
    {
        var file = await FileAsync("ivr-flows.json", Flows(1, "alpha"));
        await using var first = await StartInstanceAsync(file);
        await using var second = await StartInstanceAsync(file);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(first, HttpMethod.Put, "/api/ivr/flows", Flows(2, "beta"))).Status);
        await WaitForVersionAsync(second, 2);
        Assert.Equal(IvrFlowsApi.PublishSource, second.Services.GetRequiredService<IvrFlowCatalog>().Source);

        await File.WriteAllTextAsync(file, Flows(3, "alpha"), Ct);
        await WaitForVersionAsync(first, 3);
        await WaitForVersionAsync(second, 3);

        // A broken edit is refused with its line; both keep version 3.
        var broken = Flows(4, "nowhere");
        var line = broken[..broken.IndexOf("\"nowhere\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        await File.WriteAllTextAsync(file, broken, Ct);
        var watchers = new[] { first, second }.Select(a => a.Services.GetRequiredService<IvrFlowsWatcher>()).ToList();
        var deadline = Stopwatch.StartNew();
        while (watchers.Any(w => w.LastUpdate is not { Applied: false }) && deadline.Elapsed < Patience.Condition)
        {
            await Task.Delay(50, Ct);
        }
        Assert.All(watchers, w => Assert.Contains(w.LastUpdate!.Errors, e => e.Line == line && e.Message.Contains("'nowhere'")));
        Assert.Equal(3, await ActiveVersionAsync(first));
        Assert.Equal(3, await ActiveVersionAsync(second));
    }

    private static async Task WaitForVersionAsync(RunningApp app, int version)
    {
        var started = Stopwatch.StartNew();
        while (await ActiveVersionAsync(app) != version)
        {
            Assert.True(started.Elapsed < Patience.Condition, $"version {version} was not applied within {Patience.Condition}");
            await Task.Delay(25, Ct);
        }
    }
}
