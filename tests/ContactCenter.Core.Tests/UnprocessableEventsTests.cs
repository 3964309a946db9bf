using System.Text.Json;
using ContactCenter.Core.Events;
using ContactCenter.Core.Operations;
using ContactCenter.Core.State;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests;

/// <summary>The unprocessable list, and the inbound-event processor parking parse errors on it instead of throwing.</summary>
public sealed class UnprocessableEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static InboundEvent Sms(string id) => new(id, "Microsoft.Communication.SMSReceived", "/acs", "/phonenumber/1",
        T0, JsonDocument.Parse("""{"MessageId":"m","Message":"hi"}""").RootElement);

    [Fact]
    public async Task A_parse_error_in_a_handler_is_parked_recorded_and_not_thrown()
    {
        var clock = new VirtualTimeProvider(T0);
        var store = new InMemoryStateStore(clock);
        var list = new UnprocessableEvents(store, clock);
        var processor = new InboundEventProcessor(store, [new FailingHandler(new InvalidInboundEventException("SMSReceived evt-1: 'data.from' is required."))], clock, list);

        Assert.Equal(InboundEventOutcome.Parked, await processor.ProcessAsync(Sms("evt-1")));
        Assert.Equal(InboundEventOutcome.Duplicate, await processor.ProcessAsync(Sms("evt-1")));

        var summary = await list.SummaryAsync(10);
        var parked = Assert.Single(summary.Latest);
        Assert.Equal(("InboundEvents", "Microsoft.Communication.SMSReceived", "evt-1"), (parked.Source, parked.EventType, parked.EventId));
        Assert.Equal("SMSReceived evt-1: 'data.from' is required.", parked.Reason);
        Assert.Equal("evt-1", InboundEvent.FromJson(parked.Payload).Id);
        Assert.Equal("SMSReceived evt-1: 'data.from' is required.", (await store.GetAsync(TableNames.InboundEvents, "evt-1", "processed"))!.GetString("Parked"));
    }

    [Fact]
    public async Task Other_failures_still_throw_so_the_host_retries()
    {
        var store = new InMemoryStateStore();
        var list = new UnprocessableEvents(store, TimeProvider.System);
        var processor = new InboundEventProcessor(store, [new FailingHandler(new TimeoutException("storage did not answer"))], TimeProvider.System, list);

        await Assert.ThrowsAsync<TimeoutException>(() => processor.ProcessAsync(Sms("evt-2")));

        Assert.Equal(0, (await list.SummaryAsync(10)).Count);
        Assert.Null(await store.GetAsync(TableNames.InboundEvents, "evt-2", "processed"));
    }

    [Fact]
    public async Task Parking_the_same_event_again_keeps_one_entry_and_counts_the_times_newest_first()
    {
        var clock = new VirtualTimeProvider(T0);
        var list = new UnprocessableEvents(new InMemoryStateStore(clock), clock);

        await list.ParkAsync("CallEvents", null, "evt-a", "bad a", "{}");
        clock.MoveTo(clock.GetUtcNow().AddMinutes(1));
        await list.ParkAsync("CallEvents", null, "evt-b", "bad b", "{}");
        clock.MoveTo(clock.GetUtcNow().AddMinutes(1));
        var again = await list.ParkAsync("CallEvents", null, "evt-a", "bad a", "{}");

        var summary = await list.SummaryAsync(10);
        Assert.Equal(2, summary.Count);
        Assert.Equal(["evt-b", "evt-a"], summary.Latest.Select(e => e.EventId));
        Assert.Equal((2L, T0), (again.Times, again.ParkedAt));
        Assert.Single((await list.SummaryAsync(1)).Latest);
    }

    [Fact]
    public async Task A_payload_is_cut_to_what_one_table_property_holds()
    {
        var list = new UnprocessableEvents(new InMemoryStateStore(), TimeProvider.System);

        var parked = await list.ParkAsync("AcsEventGridWebhook", null, null, "too big", new string('x', UnprocessableEvents.MaxPayloadChars + 10));

        Assert.Equal(UnprocessableEvents.MaxPayloadChars, parked.Payload.Length);
    }

    private sealed class FailingHandler(Exception failure) : IInboundEventHandler
    {
        public bool Handles(string eventType) => true;

        public Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken) => Task.FromException(failure);
    }
}
