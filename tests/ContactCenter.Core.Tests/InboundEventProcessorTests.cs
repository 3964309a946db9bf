using System.Text.Json;
using ContactCenter.Core.Events;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Tests;

public sealed class InboundEventProcessorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static InboundEvent Sms(string id = "evt-1") => new(id, "Microsoft.Communication.SMSReceived", "/acs", "/phonenumber/1",
        Now, JsonDocument.Parse("""{"From":"+14255550100","Message":"hi"}""").RootElement);

    [Fact]
    public async Task An_event_is_applied_once_and_a_redelivery_is_a_duplicate()
    {
        var store = new InMemoryStateStore();
        var handler = new CountingHandler();
        var processor = new InboundEventProcessor(store, [handler], TimeProvider.System);

        Assert.Equal(InboundEventOutcome.Applied, await processor.ProcessAsync(Sms()));
        Assert.Equal(InboundEventOutcome.Duplicate, await processor.ProcessAsync(Sms()));

        Assert.Equal(1, handler.Calls);
        var ledger = await store.GetAsync(TableNames.InboundEvents, "evt-1", "processed");
        Assert.NotNull(ledger);
        Assert.Equal("Microsoft.Communication.SMSReceived", ledger.GetString("Type"));
        Assert.True(ledger.GetBoolean("Handled"));
    }

    [Fact]
    public async Task A_handler_failure_leaves_no_ledger_entry_so_the_retry_applies_the_event()
    {
        var store = new InMemoryStateStore();
        var handler = new CountingHandler { FailuresLeft = 1 };
        var processor = new InboundEventProcessor(store, [handler], TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(Sms()));
        Assert.Null(await store.GetAsync(TableNames.InboundEvents, "evt-1", "processed"));

        Assert.Equal(InboundEventOutcome.Applied, await processor.ProcessAsync(Sms()));
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Events_no_handler_knows_are_recorded_as_unhandled_and_not_retried()
    {
        var store = new InMemoryStateStore();
        var processor = new InboundEventProcessor(store, [new CountingHandler { Type = "Other" }], TimeProvider.System);

        Assert.Equal(InboundEventOutcome.Unhandled, await processor.ProcessAsync(Sms()));
        Assert.Equal(InboundEventOutcome.Duplicate, await processor.ProcessAsync(Sms()));
        Assert.False((await store.GetAsync(TableNames.InboundEvents, "evt-1", "processed"))!.GetBoolean("Handled"));
    }

    [Fact]
    public async Task Ids_that_are_not_valid_keys_still_deduplicate()
    {
        var store = new InMemoryStateStore();
        var processor = new InboundEventProcessor(store, [], TimeProvider.System);
        Assert.Equal(InboundEventOutcome.Unhandled, await processor.ProcessAsync(Sms("a/b#c")));
        Assert.Equal(InboundEventOutcome.Duplicate, await processor.ProcessAsync(Sms("a/b#c")));
        Assert.Equal(InboundEventOutcome.Unhandled, await processor.ProcessAsync(Sms("a/b#d")));
    }

    [Fact]
    public void The_envelope_round_trips_through_json_and_rejects_what_is_not_one()
    {
        var original = Sms();
        var copy = InboundEvent.FromJson(original.ToJson());
        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(original.Time, copy.Time);
        Assert.Equal("hi", copy.Data.GetProperty("Message").GetString());

        Assert.Throws<InvalidInboundEventException>(() => InboundEvent.FromJson("not json"));
        Assert.Throws<InvalidInboundEventException>(() => InboundEvent.FromJson("null"));
        Assert.Throws<InvalidInboundEventException>(() => InboundEvent.FromJson("""{"id":"","type":"t"}"""));
        Assert.Throws<InvalidInboundEventException>(() => InboundEvent.FromJson("""{"id":"x"}"""));
    }

    private sealed class CountingHandler : IInboundEventHandler
    {
        public string Type { get; init; } = "Microsoft.Communication.SMSReceived";
        public int Calls { get; private set; }
        public int FailuresLeft { get; set; }

        public bool Handles(string eventType) => eventType == Type;

        public Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
        {
            Calls++;
            if (FailuresLeft-- > 0)
            {
                throw new InvalidOperationException("transient failure");
            }
            return Task.CompletedTask;
        }
    }
}
