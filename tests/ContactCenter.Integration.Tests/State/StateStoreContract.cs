using ContactCenter.Core.State;

namespace ContactCenter.Integration.Tests.State;

/// <summary>
/// The one contract every <see cref="IStateStore"/> keeps. Each backend runs this same suite: the embedded
/// in-memory store and Table Storage on Azurite.
/// </summary>
public abstract class StateStoreContract
{
    protected abstract IStateStore Store { get; }

    /// <summary>A table of its own per test, so tests never see each other's rows.</summary>
    protected string Table { get; } = "t" + Guid.NewGuid().ToString("N")[..20];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StateEntity Entity(string pk, string rk, long value = 1, string? text = null) =>
        new(pk, rk, new Dictionary<string, object?> { ["Value"] = value, ["Text"] = text ?? $"row {rk}" });

    [Fact]
    public async Task Insert_then_get_returns_every_property_type_faithfully()
    {
        var when = new DateTimeOffset(2026, 11, 23, 8, 30, 15, 123, TimeSpan.Zero);
        var id = Guid.NewGuid();
        var entity = new StateEntity("p", "r", new Dictionary<string, object?>
        {
            ["Text"] = "héllo",
            ["Long"] = long.MaxValue,
            ["Double"] = 2.5,
            ["Flag"] = true,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 1, 2, 3 },
        });

        var etag = await Store.InsertAsync(Table, entity, Ct);
        var read = await Store.GetAsync(Table, "p", "r", Ct);

        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("héllo", read.GetString("Text"));
        Assert.Equal(long.MaxValue, read.GetInt64("Long"));
        Assert.Equal(2.5, read.Properties["Double"]);
        Assert.Equal(true, read.GetBoolean("Flag"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read.Properties["Id"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])read.Properties["Bytes"]!);
    }

    [Fact]
    public async Task Get_of_a_missing_entity_or_table_is_null()
    {
        Assert.Null(await Store.GetAsync(Table, "nobody", "nothing", Ct));
    }

    [Fact]
    public async Task Inserting_an_existing_key_conflicts_and_keeps_the_original()
    {
        await Store.InsertAsync(Table, Entity("p", "r", 1), Ct);
        await Assert.ThrowsAsync<StateConflictException>(() => Store.InsertAsync(Table, Entity("p", "r", 2), Ct));
        Assert.Equal(1, (await Store.GetAsync(Table, "p", "r", Ct))!.GetInt64("Value"));
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_fails_and_the_winner_stays()
    {
        var etag = await Store.InsertAsync(Table, Entity("p", "r", 1), Ct);
        var newer = await Store.ReplaceAsync(Table, Entity("p", "r", 2), etag, Ct);
        Assert.NotEqual(etag, newer);

        await Assert.ThrowsAsync<StatePreconditionFailedException>(() => Store.ReplaceAsync(Table, Entity("p", "r", 3), etag, Ct));
        Assert.Equal(2, (await Store.GetAsync(Table, "p", "r", Ct))!.GetInt64("Value"));
    }

    [Fact]
    public async Task Replace_of_a_missing_entity_is_not_found()
    {
        await Store.UpsertAsync(Table, Entity("p", "other"), Ct);
        await Assert.ThrowsAsync<StateNotFoundException>(() => Store.ReplaceAsync(Table, Entity("p", "r"), "*", Ct));
    }

    [Fact]
    public async Task Replace_drops_properties_the_new_version_does_not_have()
    {
        var etag = await Store.InsertAsync(Table, Entity("p", "r", 1, "old"), Ct);
        await Store.ReplaceAsync(Table, new StateEntity("p", "r", new Dictionary<string, object?> { ["Value"] = 5L }), etag, Ct);
        var read = await Store.GetAsync(Table, "p", "r", Ct);
        Assert.Null(read!.GetString("Text"));
        Assert.Equal(5, read.GetInt64("Value"));
    }

    [Fact]
    public async Task Upsert_creates_then_overwrites()
    {
        await Store.UpsertAsync(Table, Entity("p", "r", 1), Ct);
        await Store.UpsertAsync(Table, Entity("p", "r", 2), Ct);
        Assert.Equal(2, (await Store.GetAsync(Table, "p", "r", Ct))!.GetInt64("Value"));
    }

    [Fact]
    public async Task Delete_honours_the_etag_and_reports_whether_anything_was_there()
    {
        var etag = await Store.InsertAsync(Table, Entity("p", "r"), Ct);
        await Store.UpsertAsync(Table, Entity("p", "r", 9), Ct);

        await Assert.ThrowsAsync<StatePreconditionFailedException>(() => Store.DeleteAsync(Table, "p", "r", etag, Ct));
        Assert.True(await Store.DeleteAsync(Table, "p", "r", null, Ct));
        Assert.False(await Store.DeleteAsync(Table, "p", "r", null, Ct));
        Assert.Null(await Store.GetAsync(Table, "p", "r", Ct));
    }

    [Fact]
    public async Task A_partition_is_returned_in_row_key_order_within_the_range()
    {
        foreach (var rk in new[] { "c", "a", "e", "b", "d" })
        {
            await Store.InsertAsync(Table, Entity("p", rk), Ct);
        }
        await Store.InsertAsync(Table, Entity("other", "a"), Ct);

        var all = await Store.QueryPartitionAsync(Table, "p", cancellationToken: Ct).Select(e => e.RowKey).ToListAsync(Ct);
        var range = await Store.QueryPartitionAsync(Table, "p", "b", "d", Ct).Select(e => e.RowKey).ToListAsync(Ct);

        Assert.Equal(["a", "b", "c", "d", "e"], all);
        Assert.Equal(["b", "c"], range);
    }

    [Fact]
    public async Task Partitions_larger_than_a_page_are_returned_whole_in_order_and_ranges_cross_pages()
    {
        const int Rows = 2_500;
        for (var batch = 0; batch < Rows / StateOperation.MaxBatchSize; batch++)
        {
            await Store.SubmitBatchAsync(Table, Enumerable.Range(batch * 100, 100).Select(i => StateOperation.Insert(Entity("big", $"r{i:D5}", i))).ToList(), Ct);
        }

        var all = await Store.QueryPartitionAsync(Table, "big", cancellationToken: Ct).Select(e => e.RowKey).ToListAsync(Ct);
        var range = await Store.QueryPartitionAsync(Table, "big", "r00990", "r02010", Ct).Select(e => e.RowKey).ToListAsync(Ct);
        var head = await Store.QueryPartitionAsync(Table, "big", cancellationToken: Ct).Take(3).Select(e => e.RowKey).ToListAsync(Ct);

        Assert.Equal(Enumerable.Range(0, Rows).Select(i => $"r{i:D5}"), all);
        Assert.Equal(Enumerable.Range(990, 1020).Select(i => $"r{i:D5}"), range);
        Assert.Equal(["r00000", "r00001", "r00002"], head);
    }

    [Fact]
    public async Task Keys_with_quotes_and_unicode_are_stored_and_queried_exactly()
    {
        await Store.InsertAsync(Table, Entity("O'Brien", "ünïcødé 'x'"), Ct);
        var rows = await Store.QueryPartitionAsync(Table, "O'Brien", cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal("ünïcødé 'x'", Assert.Single(rows).RowKey);
    }

    [Fact]
    public async Task A_batch_applies_every_operation_together()
    {
        var etag = await Store.InsertAsync(Table, Entity("p", "keep", 1), Ct);
        await Store.InsertAsync(Table, Entity("p", "gone"), Ct);

        await Store.SubmitBatchAsync(Table,
        [
            StateOperation.Insert(Entity("p", "new")),
            StateOperation.Replace(Entity("p", "keep", 2), etag),
            StateOperation.Upsert(Entity("p", "up")),
            StateOperation.Delete(new StateEntity("p", "gone")),
        ], Ct);

        var rows = await Store.QueryPartitionAsync(Table, "p", cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(["keep", "new", "up"], rows.Select(r => r.RowKey));
        Assert.Equal(2, rows.Single(r => r.RowKey == "keep").GetInt64("Value"));
    }

    [Fact]
    public async Task A_failing_batch_changes_nothing_and_names_the_failing_operation()
    {
        var etag = await Store.InsertAsync(Table, Entity("p", "a", 1), Ct);
        await Store.UpsertAsync(Table, Entity("p", "a", 2), Ct);

        var ex = await Assert.ThrowsAsync<StatePreconditionFailedException>(() => Store.SubmitBatchAsync(Table,
        [
            StateOperation.Insert(Entity("p", "b")),
            StateOperation.Replace(Entity("p", "a", 3), etag),
        ], Ct));

        Assert.Equal(1, ex.FailedOperationIndex);
        Assert.Null(await Store.GetAsync(Table, "p", "b", Ct));
        Assert.Equal(2, (await Store.GetAsync(Table, "p", "a", Ct))!.GetInt64("Value"));
    }

    [Fact]
    public async Task A_batch_inserting_an_existing_row_conflicts_and_deleting_a_missing_row_is_not_found()
    {
        await Store.InsertAsync(Table, Entity("p", "a"), Ct);
        var conflict = await Assert.ThrowsAsync<StateConflictException>(() =>
            Store.SubmitBatchAsync(Table, [StateOperation.Insert(Entity("p", "z")), StateOperation.Insert(Entity("p", "a"))], Ct));
        Assert.Equal(1, conflict.FailedOperationIndex);
        await Assert.ThrowsAsync<StateNotFoundException>(() =>
            Store.SubmitBatchAsync(Table, [StateOperation.Delete(new StateEntity("p", "missing"))], Ct));
        Assert.Null(await Store.GetAsync(Table, "p", "z", Ct));
    }

    [Fact]
    public async Task Concurrent_optimistic_increments_never_lose_an_update()
    {
        await Store.InsertAsync(Table, Entity("p", "counter", 0), Ct);
        const int Writers = 8, IncrementsEach = 5;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < IncrementsEach; i++)
            {
                while (true)
                {
                    var current = (await Store.GetAsync(Table, "p", "counter", Ct))!;
                    try
                    {
                        await Store.ReplaceAsync(Table, Entity("p", "counter", current.GetInt64("Value")!.Value + 1), current.ETag!, Ct);
                        break;
                    }
                    catch (StatePreconditionFailedException)
                    {
                    }
                }
            }
        }, Ct)));

        Assert.Equal(Writers * IncrementsEach, (await Store.GetAsync(Table, "p", "counter", Ct))!.GetInt64("Value"));
    }

    [Fact]
    public async Task Ping_answers()
    {
        await Store.PingAsync(Ct);
    }
}
