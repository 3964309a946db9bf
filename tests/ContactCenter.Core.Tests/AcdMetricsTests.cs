using System.Diagnostics.Metrics;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Core.Tests;

[CollectionDefinition(nameof(AcdMetricsCollection), DisableParallelization = true)]
public sealed class AcdMetricsCollection;

/// <summary>
/// The ACD's custom metrics as an exporter sees them (a MeterListener on <see cref="AcdMetrics.MeterName"/>), driven by
/// a real dispatcher on the in-memory store and virtual time. Not parallel: the meter is process-wide.
/// </summary>
[Collection(nameof(AcdMetricsCollection))]
public sealed class AcdMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly StaticQueueCatalog _queues = new([new QueueDefinition("metrics") { OfferTimeout = TimeSpan.FromSeconds(20) }]);
    private readonly AcdDispatcher _dispatcher;
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, string?> Tags)> _measurements = [];

    public AcdMetricsTests()
    {
        _dispatcher = new AcdDispatcher(new AcdService(new InMemoryStateStore(_clock), _queues, _clock), _queues, new NullSender(), _clock);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AcdMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }
        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, map));
        }
    }

    private double Sum(string name, string tag, string value) =>
        _measurements.Where(m => m.Name == name && m.Tags.GetValueOrDefault(tag) == value).Sum(m => m.Value);

    private sealed class NullSender : IMessageSender
    {
        public Task SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private async Task AvailableAsync(string agentId)
    {
        await _dispatcher.Acd.UpsertAgentAsync(new AgentProfile(agentId, agentId, new Dictionary<string, int>()));
        await _dispatcher.SetPresenceAsync(agentId, Presence.Available);
    }

    [Fact]
    public async Task Offers_answers_waits_and_abandons_are_counted_once_each()
    {
        var offersMade = 0;
        await AvailableAsync("ann");
        await _dispatcher.EnqueueAsync(new NewContact("c1", Channel.Voice, "metrics"));
        offersMade += (await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "metrics"))).Offers.Count;
        _clock.Advance(TimeSpan.FromSeconds(5));
        await _dispatcher.AcceptAsync("ann", "c1");
        await _dispatcher.AcceptAsync("ann", "c1"); // repeated: no second answer

        await AvailableAsync("bob");
        await _dispatcher.EnqueueAsync(new NewContact("c2", Channel.Voice, "metrics"));
        offersMade += (await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "metrics"))).Offers.Count;
        await _dispatcher.DeclineAsync("bob", "c2");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await _dispatcher.AbandonAsync("c2");
        await _dispatcher.AbandonAsync("c2"); // repeated: no second abandon

        await _dispatcher.EnqueueAsync(new NewContact("c3", Channel.Voice, "metrics"));
        var offer = Assert.Single((await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "metrics"))).Offers);
        offersMade++;
        _clock.Advance(TimeSpan.FromSeconds(21));
        offersMade += (await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.ExpireOffer, "metrics", "c3", offer.AgentId, offer.ExpiresAt))).Offers.Count;

        Assert.Equal(offersMade, Sum("contactcenter.acd.offers", "outcome", "made"));
        Assert.Equal(1, Sum("contactcenter.acd.offers", "outcome", "accepted"));
        Assert.Equal(1, Sum("contactcenter.acd.offers", "outcome", "declined"));
        Assert.Equal(1, Sum("contactcenter.acd.offers", "outcome", "expired"));
        var answered = Assert.Single(_measurements, m => m.Name == "contactcenter.acd.contacts.answered");
        Assert.Equal(("metrics", "voice", "true"), (answered.Tags["queue"], answered.Tags["channel"], answered.Tags["within_service_level"]));
        var wait = Assert.Single(_measurements, m => m.Name == "contactcenter.acd.answer_wait");
        Assert.Equal(5, wait.Value);
        var abandoned = Assert.Single(_measurements, m => m.Name == "contactcenter.acd.contacts.abandoned");
        Assert.Equal("metrics", abandoned.Tags["queue"]);
    }

    [Fact]
    public async Task An_answer_after_the_service_level_threshold_counts_outside_it()
    {
        await AvailableAsync("ann");
        await _dispatcher.EnqueueAsync(new NewContact("late", Channel.Sms, "metrics"));
        _clock.Advance(AcdMetrics.ServiceLevelThreshold + TimeSpan.FromSeconds(1));
        await _dispatcher.HandleAsync(new AcdWork(AcdWorkKind.Route, "metrics"));
        await _dispatcher.AcceptAsync("ann", "late");

        var answered = Assert.Single(_measurements, m => m.Name == "contactcenter.acd.contacts.answered");
        Assert.Equal(("sms", "false"), (answered.Tags["channel"], answered.Tags["within_service_level"]));
        Assert.Equal(AcdMetrics.ServiceLevelThreshold.TotalSeconds + 1, Assert.Single(_measurements, m => m.Name == "contactcenter.acd.answer_wait").Value);
    }

    [Fact]
    public async Task Gauges_report_queue_length_longest_wait_and_agents_by_state_from_the_store()
    {
        await AvailableAsync("ann");
        await _dispatcher.Acd.UpsertAgentAsync(new AgentProfile("bob", "bob", new Dictionary<string, int>()));
        await _dispatcher.SetPresenceAsync("bob", Presence.Away);
        await _dispatcher.EnqueueAsync(new NewContact("first", Channel.Email, "metrics"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        await _dispatcher.EnqueueAsync(new NewContact("second", Channel.Email, "metrics"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        await AcdMetrics.ObserveAsync(_dispatcher.Acd, _queues, _clock);
        _listener.RecordObservableInstruments();

        Assert.Equal(2, Sum("contactcenter.acd.queue.length", "queue", "metrics"));
        Assert.Equal(40, Sum("contactcenter.acd.queue.longest_wait", "queue", "metrics"));
        Assert.Equal(1, Sum("contactcenter.acd.agents", "state", "available"));
        Assert.Equal(1, Sum("contactcenter.acd.agents", "state", "away"));
        Assert.Equal(0, Sum("contactcenter.acd.agents", "state", "working"));
    }
}
