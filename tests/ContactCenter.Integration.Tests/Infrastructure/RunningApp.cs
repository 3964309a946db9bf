using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.State;
using ContactCenter.Functions;
using ContactCenter.Functions.Local;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>The real app on real Kestrel (a free loopback port), with an HttpClient pointed at it.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    private RunningApp(WebApplication app)
    {
        App = app;
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;
    public IStateStore Store => Services.GetRequiredService<IStateStore>();
    public LocalFunctionsHost LocalHost => Services.GetRequiredService<LocalFunctionsHost>();

    private static readonly Lazy<string> QueuelessFlowsPath = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ivr-flows-").FullName, "ivr-flows.json");
        File.WriteAllText(path, """{ "version": 1, "flows": [ { "id": "main", "entry": "bye", "nodes": { "bye": { "type": "hangup" } } } ] }""");
        return path;
    });

    /// <summary>Local mode with timers off, fast retries, and whatever else the test sets.</summary>
    public static async Task<RunningApp> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Local:RunTimers"] = "false",
            ["Local:RetryDelay"] = "00:00:00.010",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        // The shipped IVR flows name the shipped queues: a test with rules of its own gets flows that name none.
        if (all.ContainsKey("Routing:RulesPath") && !all.ContainsKey("Ivr:FlowsPath"))
        {
            all["Ivr:FlowsPath"] = QueuelessFlowsPath.Value;
        }
        var app = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(all), services);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RunningApp(app);
    }

    public Task<HttpResponseMessage> InvokeAsync(string function, JsonNode payload) =>
        Client.PostAsync($"/{function}", new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        return JsonNode.Parse(await Client.GetStringAsync(path, TestContext.Current.CancellationToken))!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
