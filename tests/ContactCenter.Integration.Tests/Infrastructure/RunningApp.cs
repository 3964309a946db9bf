using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core.State;
using ContactCenter.Functions;
using ContactCenter.Functions.Local;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>The real app on real Kestrel (a free loopback port), with an HttpClient pointed at it.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    /// <summary>The identity <see cref="Client"/> signs in as: a supervisor, who may call every workspace route.</summary>
    public const string DefaultSupervisorId = "test-supervisor";

    private readonly List<HttpClient> _clients = [];

    private RunningApp(WebApplication app)
    {
        App = app;
        BaseAddress = new Uri(app.Urls.First());
        Client = ClientAs(DefaultSupervisorId, supervisor: true);
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }

    /// <summary>Signed in as a supervisor (local sign-in) when the app signs in locally; without a token otherwise.</summary>
    public HttpClient Client { get; }

    /// <summary>A client signed in as <paramref name="agentId"/> (a supervisor when asked), with a token valid for a year of the app's time.</summary>
    public HttpClient ClientAs(string agentId, bool supervisor = false)
    {
        var client = AnonymousClient();
        if (TokenFor(agentId, supervisor) is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A client that sends no token.</summary>
    public HttpClient AnonymousClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    /// <summary>A local sign-in token minted in-process (long-lived, so tests on virtual time keep it), or null when the app does not sign in locally.</summary>
    public string? TokenFor(string agentId, bool supervisor = false) =>
        Services.GetService<ContactCenter.Functions.Security.LocalTokenIssuer>()?.Issue(agentId, supervisor, lifetime: TimeSpan.FromDays(365)).AccessToken;
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
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
