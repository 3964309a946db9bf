using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Azure.Tables;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Functions.Acd;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Acd;

/// <summary>
/// Routing rules shared by every instance: app instances on one Table Storage (Azurite) publish over HTTP and from
/// their deployed file, and each applies what another published within Routing:SyncInterval.
/// </summary>
public sealed class RoutingRulesSyncTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Tables of this test only, shared by the instances it starts, as an Azure storage account is.</summary>
    private readonly IStateStore _shared = InterceptingStore.Isolated(new TableStateStore(azurite.ServiceClient));

    private static string Rules(int version, params string[] queues) =>
        $$"""
        {
          // deployed as version {{version}}
          "version": {{version}},
          "queues": [ {{string.Join(", ", queues.Select(q => $"{{ \"id\": \"{q}\" }}"))}} ]
        }
        """;

    private static async Task<string> RulesFileAsync(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "routing-rules.json");
        await File.WriteAllTextAsync(path, text, Ct);
        return path;
    }

    private Task<RunningApp> StartInstanceAsync(string rulesPath, IStateStore? store = null, TimeProvider? clock = null) =>
        RunningApp.StartAsync(
            new Dictionary<string, string?> { ["Routing:RulesPath"] = rulesPath, ["Routing:SyncInterval"] = SyncInterval.ToString(), ["Routing:PollInterval"] = "00:00:01" },
            services =>
            {
                services.AddSingleton(store ?? _shared);
                if (clock is not null)
                {
                    services.AddSingleton(clock);
                }
            });

    private static async Task<(HttpStatusCode Status, string? MediaType, string Text)> SendAsync(RunningApp app, HttpMethod method, string path, string? body = null, string contentType = "text/plain")
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await app.Client.SendAsync(request, Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonObject> ActiveAsync(RunningApp app) => await app.GetJsonAsync("/api/routing/rules");

    /// <summary>Waits (real time, the sync polls the store over the network) until the instance routes with the version.</summary>
    private static async Task WaitForVersionAsync(RunningApp app, int version)
    {
        var started = Stopwatch.StartNew();
        while ((await ActiveAsync(app))["version"]!.GetValue<int>() != version)
        {
            Assert.True(started.Elapsed < Patience.Condition, $"version {version} was not applied within {Patience.Condition}");
            await Task.Delay(25, Ct);
        }
    }

    [Fact]
    public async Task A_version_put_on_one_instance_is_applied_by_another_at_its_next_sync()
    {
        var file = await RulesFileAsync(Rules(1, "alpha"));
        await using var first = await StartInstanceAsync(file);
        await using var second = await StartInstanceAsync(file);
        Assert.Equal(1, (await ActiveAsync(second))["version"]!.GetValue<int>());

        var text = Rules(2, "beta", "gamma");
        var (status, _, body) = await SendAsync(first, HttpMethod.Put, "/api/routing/rules", text);

        Assert.Equal(HttpStatusCode.OK, status);
        var published = JsonNode.Parse(body)!;
        Assert.Equal((2, RoutingRulesApi.PublishSource, "published"),
            (published["version"]!.GetValue<int>(), published["source"]!.GetValue<string>(), published["outcome"]!.GetValue<string>()));
        Assert.Equal(["beta", "gamma"], published["queues"]!.AsArray().Select(q => q!.GetValue<string>()));
        // The instance that took the PUT routes with it at once; the other at its next sync (every SyncInterval).
        Assert.Equal(2, (await ActiveAsync(first))["version"]!.GetValue<int>());
        await WaitForVersionAsync(second, 2);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(second, HttpMethod.Get, "/api/queues/gamma")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(second, HttpMethod.Get, "/api/queues/alpha")).Status);

        var history = await second.GetJsonAsync("/api/routing/rules/versions");
        Assert.Equal(2, history["current"]!.GetValue<int>());
        Assert.Equal([2, 1], history["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal([RoutingRulesApi.PublishSource, file], history["versions"]!.AsArray().Select(v => v!["source"]!.GetValue<string>()));
        var (textStatus, textType, stored) = await SendAsync(second, HttpMethod.Get, "/api/routing/rules/versions/2");
        Assert.Equal((HttpStatusCode.OK, "application/json", text), (textStatus, textType, stored));
        var (missing, missingType, _) = await SendAsync(second, HttpMethod.Get, "/api/routing/rules/versions/7");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing, missingType));

        // Publishing the same text again (a retry) changes nothing and says so.
        var (again, _, againBody) = await SendAsync(second, HttpMethod.Put, "/api/routing/rules", text, "application/json");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("unchanged", JsonNode.Parse(againBody)!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_put_is_400_with_every_error_located_and_the_previous_rules_stay_everywhere()
    {
        var file = await RulesFileAsync(Rules(1, "alpha"));
        await using var first = await StartInstanceAsync(file);
        await using var second = await StartInstanceAsync(file);

        var (status, type, body) = await SendAsync(first, HttpMethod.Put, "/api/routing/rules",
            "{\n  \"version\": 2,\n  \"queues\": [ { \"id\": \"beta\", \"policy\": \"whoever\" },\n    { \"id\": \"beta\", \"wrapUpSeconds\": -5 } ]\n}");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (status, type));
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.Contains("line 3, column", errors["/queues/0/policy"]![0]!.GetValue<string>());
        Assert.Contains("whoever", errors["/queues/0/policy"]![0]!.GetValue<string>());
        Assert.Contains("line 4, column", errors["/queues/1/wrapUpSeconds"]![0]!.GetValue<string>());
        Assert.Contains(errors, e => e.Value!.AsArray().Any(m => m!.GetValue<string>().Contains("used twice")));

        await Task.Delay(SyncInterval * 2, Ct);
        Assert.Equal(1, (await ActiveAsync(first))["version"]!.GetValue<int>());
        Assert.Equal(1, (await ActiveAsync(second))["version"]!.GetValue<int>());
        Assert.Equal(1, (await second.GetJsonAsync("/api/routing/rules/versions"))["current"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(second, HttpMethod.Get, "/api/queues/alpha")).Status);
    }

    [Fact]
    public async Task A_version_that_is_not_higher_is_409_and_the_current_version_stays()
    {
        await using var app = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Put, "/api/routing/rules", Rules(3, "beta"))).Status);

        var (older, olderType, olderBody) = await SendAsync(app, HttpMethod.Put, "/api/routing/rules", Rules(2, "gamma"));
        var (same, _, sameBody) = await SendAsync(app, HttpMethod.Put, "/api/routing/rules", Rules(3, "delta"));

        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (older, olderType));
        Assert.Contains("older than the current version 3", JsonNode.Parse(olderBody)!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, same);
        Assert.Contains("already published with different rules", JsonNode.Parse(sameBody)!["detail"]!.GetValue<string>());
        Assert.Equal(3, (await ActiveAsync(app))["version"]!.GetValue<int>());
        Assert.Equal(Rules(3, "beta"), (await SendAsync(app, HttpMethod.Get, "/api/routing/rules/versions/3")).Text);
    }

    [Fact]
    public async Task Deploying_a_file_with_a_higher_version_rolls_it_out_and_an_older_file_yields_to_the_store()
    {
        await using var running = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")));

        // A new deployment: an instance starts with a newer file and publishes it before it serves.
        await using var deployed = await StartInstanceAsync(await RulesFileAsync(Rules(2, "beta")));
        Assert.Equal(2, (await ActiveAsync(deployed))["version"]!.GetValue<int>());
        await WaitForVersionAsync(running, 2);

        // An instance still carrying the old file, and one whose file reuses version 2 for other rules, both run the store's.
        await using var stale = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")));
        await using var clash = await StartInstanceAsync(await RulesFileAsync(Rules(2, "other")));
        foreach (var app in new[] { stale, clash })
        {
            var active = await ActiveAsync(app);
            Assert.Equal(2, active["version"]!.GetValue<int>());
            Assert.Equal(["beta"], active["queues"]!.AsArray().Select(q => q!.GetValue<string>()));
        }
        Assert.Equal([2, 1], (await stale.GetJsonAsync("/api/routing/rules/versions"))["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Editing_the_file_on_one_instance_publishes_it_to_every_instance()
    {
        var file = await RulesFileAsync(Rules(1, "alpha"));
        await using var editing = await StartInstanceAsync(file);
        await using var other = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")));

        await File.WriteAllTextAsync(file, Rules(2, "beta"), Ct);

        await WaitForVersionAsync(editing, 2);
        await WaitForVersionAsync(other, 2);
        Assert.Equal(file, (await other.GetJsonAsync("/api/routing/rules/versions"))["versions"]![0]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Damaged_stored_rules_are_refused_and_the_active_rules_stay_until_a_good_version_is_published()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var state = new InMemoryStateStore(clock);
        await using var app = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")), state, clock);
        var sync = app.Services.GetRequiredService<RoutingRulesSync>();
        var publisher = new RoutingRulesStore(state, clock);
        await publisher.PublishAsync(Rules(2, "beta"), "elsewhere", Ct);
        var row = await state.QueryPartitionAsync(TableNames.Operations, RoutingRulesStore.Partition, "v", "w", Ct).FirstAsync(Ct);
        var properties = row.Properties.ToDictionary();
        properties["Text00"] = ((string)properties["Text00"]!).Replace("beta", "bad!");
        await state.UpsertAsync(TableNames.Operations, new StateEntity(row.PartitionKey, row.RowKey, properties), Ct);

        await AdvanceUntilAsync(clock, () => sync.LastUpdate?.Outcome.Contains("damaged") == true);
        Assert.Equal(1, (await ActiveAsync(app))["version"]!.GetValue<int>());

        await publisher.PublishAsync(Rules(3, "gamma"), "elsewhere", Ct);
        await AdvanceUntilAsync(clock, () => sync.LastUpdate?.Applied == true);
        Assert.Equal(3, (await ActiveAsync(app))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_instance_that_starts_while_the_store_is_down_serves_its_file_and_catches_up_when_the_store_answers()
    {
        var down = true;
        var flaky = new InterceptingStore(_shared, _ => Volatile.Read(ref down), "storage account is down");
        await new RoutingRulesStore(_shared, TimeProvider.System).PublishAsync(Rules(2, "beta"), "elsewhere", Ct);

        await using var app = await StartInstanceAsync(await RulesFileAsync(Rules(1, "alpha")), flaky);
        Assert.Equal(1, (await ActiveAsync(app))["version"]!.GetValue<int>());
        Volatile.Write(ref down, false);

        await WaitForVersionAsync(app, 2);
        Assert.Equal("elsewhere", (await ActiveAsync(app))["source"]!.GetValue<string>());
    }

    /// <remarks>
    /// Azurite refuses a string property over 64 KiB, as Azure does, but not an entity over 1 MiB: that bound rests on
    /// Azure's documented size formula (15 chunks come to about 985,000 of 1,048,576 bytes).
    /// </remarks>
    [Fact]
    public async Task The_longest_rules_the_store_accepts_fit_table_storage_properties_and_read_back_exactly()
    {
        var store = new RoutingRulesStore(_shared, TimeProvider.System);
        var head = Rules(1, "alpha").Replace("\"version\"", "\"description\": \"\",\n  \"version\"", StringComparison.Ordinal);
        var at = head.IndexOf("\"description\": \"", StringComparison.Ordinal) + "\"description\": \"".Length;
        // Accented letters and emoji (surrogate pairs) throughout, up to the store's limit.
        var unit = "é😀" + new string('x', 61);
        var filler = string.Concat(Enumerable.Repeat(unit, RoutingRulesStore.MaxTextLength / unit.Length + 1))[..(RoutingRulesStore.MaxTextLength - head.Length)];
        filler = char.IsHighSurrogate(filler[^1]) ? filler[..^1] : filler;
        var text = head.Insert(at, filler);

        var result = await store.PublishAsync(text, "largest", Ct);

        Assert.Equal(RulesPublishOutcome.Published, result.Outcome);
        Assert.InRange(text.Length, RoutingRulesStore.MaxTextLength - 1, RoutingRulesStore.MaxTextLength);
        Assert.Equal(text, (await store.GetVersionAsync(1, Ct))!.Text);
    }

    /// <summary>Moves virtual time a sync interval at a time until the condition holds (the poll runs on the app's TimeProvider).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Patience.Condition, "the sync never got there");
            clock.Advance(SyncInterval);
            await Task.Delay(20, Ct);
        }
    }
}
