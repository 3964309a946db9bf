using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests;

public sealed class RoutingRulesStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryStateStore _state;
    private readonly RoutingRulesStore _store;

    public RoutingRulesStoreTests()
    {
        _state = new InMemoryStateStore(_clock);
        _store = new RoutingRulesStore(_state, _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Rules(int version, string queue = "general", string? description = null) =>
        $$"""
        {
          // version {{version}}
          "version": {{version}},{{(description is null ? "" : $"\n  \"description\": \"{description}\",")}}
          "queues": [ { "id": "{{queue}}" } ]
        }
        """;

    [Fact]
    public async Task A_published_version_becomes_current_and_reads_back_exactly_as_written()
    {
        Assert.Null(await _store.GetCurrentAsync(Ct));

        var result = await _store.PublishAsync(Rules(1), "deploy/routing-rules.json", Ct);

        Assert.Equal(RulesPublishOutcome.Published, result.Outcome);
        Assert.Equal(new RulesVersionInfo(1, "deploy/routing-rules.json", Start), result.Current);
        Assert.Equal(result.Current, await _store.GetCurrentAsync(Ct));
        var stored = await _store.GetVersionAsync(1, Ct);
        Assert.Equal(Rules(1), stored!.Text);
        Assert.Equal(result.Current, stored.Info);
        Assert.Null(await _store.GetVersionAsync(2, Ct));
    }

    [Fact]
    public async Task Invalid_rules_are_refused_with_every_located_error_and_the_current_version_stays()
    {
        await _store.PublishAsync(Rules(1), "first", Ct);

        var result = await _store.PublishAsync("{\n  \"version\": 2,\n  \"queues\": [ { \"id\": \"a\", \"policy\": \"whoever\", \"wrapUpSeconds\": -1 } ]\n}", "api", Ct);

        Assert.Equal(RulesPublishOutcome.Invalid, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(3, e.Line));
        Assert.Equal(1, (await _store.GetCurrentAsync(Ct))!.Version);
        Assert.Null(await _store.GetVersionAsync(2, Ct));
    }

    [Fact]
    public async Task A_version_that_is_not_higher_is_refused_but_republishing_the_same_text_is_a_harmless_no_op()
    {
        await _store.PublishAsync(Rules(3), "first", Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var older = await _store.PublishAsync(Rules(2), "late", Ct);
        var different = await _store.PublishAsync(Rules(3, "other"), "rival", Ct);
        var same = await _store.PublishAsync(Rules(3), "retry", Ct);

        Assert.Equal(RulesPublishOutcome.NotNewer, older.Outcome);
        Assert.Contains("older than the current version 3", older.Message);
        Assert.Equal(RulesPublishOutcome.NotNewer, different.Outcome);
        Assert.Contains("different rules", different.Message);
        Assert.Equal(RulesPublishOutcome.Unchanged, same.Outcome);
        Assert.True(same.Succeeded);
        // The original publication stands: source and time are not rewritten by the retry.
        Assert.Equal(new RulesVersionInfo(3, "first", Start), same.Current);
        Assert.Equal(Rules(3), (await _store.GetVersionAsync(3, Ct))!.Text);
        Assert.Single(await _store.ListVersionsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task History_lists_versions_newest_first_by_number_not_by_text_and_is_bounded()
    {
        foreach (var version in new[] { 1, 9, 10, 100, int.MaxValue })
        {
            await _store.PublishAsync(Rules(version), $"v{version}", Ct);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var all = await _store.ListVersionsAsync(cancellationToken: Ct);
        var newest = await _store.ListVersionsAsync(2, Ct);

        Assert.Equal([int.MaxValue, 100, 10, 9, 1], all.Select(v => v.Version));
        Assert.Equal([int.MaxValue, 100], newest.Select(v => v.Version));
        Assert.Equal(("v10", Start.AddMinutes(2)), (all[2].Source, all[2].PublishedAt));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ListVersionsAsync(RoutingRulesStore.MaxListLimit + 1, Ct));
    }

    [Fact]
    public async Task Concurrent_publishers_never_move_the_current_version_backwards_and_the_highest_wins()
    {
        var store = new RoutingRulesStore(new InterleavingStore(_state), _clock);
        var versions = Enumerable.Range(1, 40).OrderBy(_ => Random.Shared.Next()).ToList();
        var seen = new List<int>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await store.GetCurrentAsync(Ct) is { } current)
                {
                    seen.Add(current.Version);
                }
                await Task.Yield();
            }
        }, Ct);

        var results = await Task.WhenAll(versions.Select(v => Task.Run(() => store.PublishAsync(Rules(v, $"q{v}"), $"publisher {v}", Ct), Ct)));
        await stop.CancelAsync();
        await watcher;

        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { RulesPublishOutcome.Published, RulesPublishOutcome.NotNewer }));
        Assert.Equal(RulesPublishOutcome.Published, results[versions.IndexOf(40)].Outcome);
        Assert.Equal(40, (await _store.GetCurrentAsync(Ct))!.Version);
        Assert.Equal(seen.Order(), seen);
        // History holds exactly the versions that won, each with its own publisher's text.
        var history = await _store.ListVersionsAsync(RoutingRulesStore.MaxListLimit, Ct);
        Assert.Equal(results.Where(r => r.Outcome == RulesPublishOutcome.Published).Select(r => r.Rules!.Version).OrderDescending(), history.Select(h => h.Version));
        foreach (var version in history)
        {
            Assert.Equal(Rules(version.Version, $"q{version.Version}"), (await _store.GetVersionAsync(version.Version, Ct))!.Text);
            Assert.Equal($"publisher {version.Version}", version.Source);
        }
    }

    [Fact]
    public async Task Concurrent_publishers_of_one_version_agree_on_one_text()
    {
        var store = new RoutingRulesStore(new InterleavingStore(_state), _clock);
        var same = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => store.PublishAsync(Rules(7), $"instance {i}", Ct), Ct)));
        var rivals = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => store.PublishAsync(Rules(8, $"q{i}"), $"rival {i}", Ct), Ct)));

        Assert.Single(same, r => r.Outcome == RulesPublishOutcome.Published);
        Assert.Equal(11, same.Count(r => r.Outcome == RulesPublishOutcome.Unchanged));
        var winner = Assert.Single(rivals, r => r.Outcome == RulesPublishOutcome.Published);
        Assert.Equal(11, rivals.Count(r => r.Outcome == RulesPublishOutcome.NotNewer));
        Assert.Equal(winner.Current, await _store.GetCurrentAsync(Ct));
        Assert.Equal(Rules(8, winner.Rules!.Queues[0].Id), (await _store.GetVersionAsync(8, Ct))!.Text);
    }

    [Fact]
    public async Task Large_rules_are_chunked_within_table_limits_without_splitting_a_surrogate_pair()
    {
        var text = LargeRules(2, 300_000);
        // A surrogate pair straddles the first chunk boundary (32K characters) of the text.
        Assert.True(char.IsHighSurrogate(text[StateProperties.MaxStringLength - 1]));

        var result = await _store.PublishAsync(text, "big", Ct);

        Assert.Equal(RulesPublishOutcome.Published, result.Outcome);
        Assert.Equal(text, (await _store.GetVersionAsync(2, Ct))!.Text);
        var row = await _state.QueryPartitionAsync(TableNames.Operations, RoutingRulesStore.Partition, "v", "w", Ct).SingleAsync(Ct);
        var chunks = row.Properties.Where(p => p.Key.StartsWith("Text", StringComparison.Ordinal)).Select(p => (string)p.Value!).ToList();
        Assert.Equal(10, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, StateProperties.MaxStringLength));
        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1]) || char.IsLowSurrogate(c[0])));
    }

    [Fact]
    public async Task Rules_too_long_for_one_row_are_refused_and_the_current_version_stays()
    {
        await _store.PublishAsync(Rules(1), "first", Ct);

        var result = await _store.PublishAsync(LargeRules(2, RoutingRulesStore.MaxTextLength + 1), "huge", Ct);

        Assert.Equal(RulesPublishOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Message.Contains($"at most {RoutingRulesStore.MaxTextLength}"));
        Assert.Equal(1, (await _store.GetCurrentAsync(Ct))!.Version);
    }

    [Fact]
    public async Task A_damaged_version_row_is_detected_instead_of_being_served()
    {
        await _store.PublishAsync(LargeRules(1, 70_000), "first", Ct);
        var row = await _state.QueryPartitionAsync(TableNames.Operations, RoutingRulesStore.Partition, "v", "w", Ct).SingleAsync(Ct);
        var properties = row.Properties.ToDictionary();
        properties["Text01"] = ((string)properties["Text01"]!).Replace('x', 'y');
        await _state.UpsertAsync(TableNames.Operations, new StateEntity(row.PartitionKey, row.RowKey, properties), Ct);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => _store.GetVersionAsync(1, Ct));
        Assert.Contains("version 1", ex.Message);
    }

    /// <summary>Valid rules of about <paramref name="length"/> characters: a long description of x's and emoji.</summary>
    private static string LargeRules(int version, int length)
    {
        var head = Rules(version, description: "");
        var at = head.IndexOf("\"description\": \"", StringComparison.Ordinal) + "\"description\": \"".Length;
        var filler = new char[length - head.Length];
        Array.Fill(filler, 'x');
        // Put an emoji (a surrogate pair) across the first chunk boundary, and more throughout.
        for (var i = StateProperties.MaxStringLength - 1 - at; i + 1 < filler.Length; i += 4099)
        {
            filler[i] = '\uD83D';
            filler[i + 1] = '\uDE00';
        }
        return head.Insert(at, new string(filler));
    }

    /// <summary>
    /// The in-memory store answers synchronously, so concurrent publishers would rarely interleave; a short pause
    /// before each call lets them read the same pointer and race to move it, as instances on Table Storage do.
    /// </summary>
    private sealed class InterleavingStore(IStateStore inner) : IStateStore
    {
        public string Kind => inner.Kind;

        private static Task PauseAsync() => Task.Delay(Random.Shared.Next(0, 3));

        public async Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            return await inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
        }

        public async Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            return await inner.InsertAsync(table, entity, cancellationToken);
        }

        public async Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            return await inner.ReplaceAsync(table, entity, ifMatchETag, cancellationToken);
        }

        public async Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            return await inner.UpsertAsync(table, entity, cancellationToken);
        }

        public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            return await inner.DeleteAsync(table, partitionKey, rowKey, ifMatchETag, cancellationToken);
        }

        public IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null, CancellationToken cancellationToken = default) =>
            inner.QueryPartitionAsync(table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken);

        public async Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
        {
            await PauseAsync();
            await inner.SubmitBatchAsync(table, operations, cancellationToken);
        }

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
