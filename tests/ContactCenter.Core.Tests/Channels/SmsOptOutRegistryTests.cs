using ContactCenter.Core.Channels;
using ContactCenter.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests.Channels;

public sealed class SmsOptOutRegistryTests
{
    private const string Customer = "+14255550100";
    private const string Support = "+18005550199";
    private const string Sales = "+18005550123";

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryStateStore _store;
    private readonly SmsOptOutRegistry _registry;

    public SmsOptOutRegistryTests()
    {
        _store = new InMemoryStateStore(_time);
        _registry = new SmsOptOutRegistry(_store, _time);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_opt_out_from_one_number_blocks_only_that_number()
    {
        Assert.False(await _registry.IsOptedOutAsync(Support, Customer, Cancel));

        var state = await _registry.OptOutAsync(Customer, Support, T0, "keyword STOP", Cancel);

        Assert.Equal(new SmsOptOutState(Customer, Support, true, T0, "keyword STOP", null), state);
        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
        Assert.False(await _registry.IsOptedOutAsync(Sales, Customer, Cancel));
    }

    [Fact]
    public async Task Numbers_are_compared_in_e164_whatever_their_formatting()
    {
        await _registry.OptOutAsync("+1 (425) 555-0100", "+1 800 555 0199", T0, cancellationToken: Cancel);

        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => _registry.IsOptedOutAsync("   ", Customer, Cancel));
    }

    [Fact]
    public async Task A_global_opt_out_blocks_every_number_until_a_global_opt_in_lifts_it_and_older_per_number_ones()
    {
        await _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel);
        await _registry.OptOutAsync(Customer, null, T0.AddMinutes(1), "asked by phone", Cancel);
        Assert.True(await _registry.IsOptedOutAsync(Sales, Customer, Cancel));

        // A START to one number lifts that number only; the global opt-out still stands.
        await _registry.OptInAsync(Customer, Sales, T0.AddMinutes(2), cancellationToken: Cancel);
        Assert.True(await _registry.IsOptedOutAsync(Sales, Customer, Cancel));

        var lifted = await _registry.OptInAsync(Customer, null, T0.AddMinutes(3), "operator", Cancel);

        Assert.False(lifted.OptedOut);
        Assert.False(await _registry.IsOptedOutAsync(Sales, Customer, Cancel));
        Assert.False(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
        var states = await _registry.ListAsync(Customer, Cancel).ToListAsync(Cancel);
        Assert.Equal(3, states.Count);
        Assert.All(states, s => Assert.False(s.OptedOut));
    }

    [Fact]
    public async Task A_global_opt_in_keeps_per_number_opt_outs_made_after_it()
    {
        await _registry.OptOutAsync(Customer, Support, T0.AddMinutes(5), cancellationToken: Cancel);

        await _registry.OptInAsync(Customer, null, T0, cancellationToken: Cancel);

        Assert.True(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
    }

    [Fact]
    public async Task Repeating_an_opt_out_keeps_the_first_time_so_it_is_one_change()
    {
        await _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel);

        var again = await _registry.OptOutAsync(Customer, Support, T0.AddHours(1), cancellationToken: Cancel);

        Assert.True(again.OptedOut);
        Assert.Equal(T0, again.ChangedAt);
    }

    [Fact]
    public async Task A_late_stop_does_not_undo_a_newer_start()
    {
        // STOP at 9:00 and START at 9:05 delivered in the opposite order.
        await _registry.OptInAsync(Customer, Support, T0.AddMinutes(5), cancellationToken: Cancel);
        var late = await _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel);

        Assert.False(late.OptedOut);
        Assert.Equal(T0.AddMinutes(5), late.ChangedAt);
        Assert.False(await _registry.IsOptedOutAsync(Support, Customer, Cancel));
    }

    [Fact]
    public async Task Concurrent_duplicates_of_one_stop_store_one_change()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel), Cancel)));

        Assert.All(results, r => Assert.Equal((true, T0), (r.OptedOut, r.ChangedAt)));
        Assert.Single(await _registry.ListAsync(Customer, Cancel).ToListAsync(Cancel));
    }

    [Fact]
    public async Task A_confirmation_is_recorded_for_the_change_it_confirms_only()
    {
        await _registry.OptOutAsync(Customer, Support, T0, cancellationToken: Cancel);
        _time.Advance(TimeSpan.FromSeconds(3));

        await _registry.MarkConfirmedAsync(Customer, Support, T0.AddMinutes(-1), Cancel); // an older change: ignored
        Assert.Null((await _registry.GetAsync(Customer, Support, Cancel))!.ConfirmedAt);

        await _registry.MarkConfirmedAsync(Customer, Support, T0, Cancel);
        Assert.Equal(T0.AddSeconds(3), (await _registry.GetAsync(Customer, Support, Cancel))!.ConfirmedAt);

        var startAgain = await _registry.OptInAsync(Customer, Support, T0.AddMinutes(1), cancellationToken: Cancel);
        Assert.Null(startAgain.ConfirmedAt); // a new change awaits its own confirmation
    }

    [Fact]
    public void The_table_is_one_of_the_apps_tables() => Assert.Contains(TableNames.SmsOptOuts, TableNames.All);
}
