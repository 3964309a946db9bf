using ContactCenter.Core.Routing;
using ContactCenter.Core.State;

namespace ContactCenter.Simulator;

/// <summary>
/// A discrete-event simulation of one queue that calls the production <see cref="AcdService"/> (on the embedded store,
/// on virtual time) for every arrival, offer, answer, completion and abandonment. Agents accept every offer at once.
/// </summary>
public sealed class ErlangSimulation
{
    private const string QueueId = "main";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly ErlangScenario _scenario;
    private readonly Random _random;
    private readonly VirtualTimeProvider _clock = new(Start);
    private readonly AcdService _acd;
    private readonly InMemoryStateStore _store;
    private readonly PriorityQueue<Func<Task>, (DateTimeOffset At, long Sequence)> _events = new();
    private readonly Dictionary<string, DateTimeOffset> _arrivals = new(StringComparer.Ordinal);
    private long _sequence;
    private int _nextContact;
    private double _busySeconds;
    private int _maxAgentLoad;

    public ErlangSimulation(ErlangScenario scenario)
    {
        var errors = scenario.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(scenario));
        }
        _scenario = scenario;
        _random = new Random(scenario.Seed);
        _store = new InMemoryStateStore(_clock);
        // Offers never expire here: simulated agents answer instantly.
        _acd = new AcdService(_store, new StaticQueueCatalog([new QueueDefinition(QueueId) { OfferTimeout = TimeSpan.FromDays(365) }]), _clock);
    }

    public async Task<SimulationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _scenario.Agents; i++)
        {
            var id = $"agent-{i:D5}";
            await _acd.UpsertAgentAsync(new AgentProfile(id, null, new Dictionary<string, int>(), new Dictionary<Channel, int> { [Channel.Voice] = 1 }), cancellationToken);
            await _acd.SetPresenceAsync(id, Presence.Available, cancellationToken);
        }
        var horizon = Start.AddHours(_scenario.Hours);
        Schedule(Start + Exponential(3600 / _scenario.ArrivalsPerHour), () => ArriveAsync(horizon, cancellationToken));

        while (_events.TryDequeue(out var next, out var key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _clock.MoveTo(key.At);
            await next();
        }
        return await SummariseAsync(horizon, cancellationToken);
    }

    /// <summary>Events at the same instant run in the order they were scheduled.</summary>
    private void Schedule(DateTimeOffset at, Func<Task> action) => _events.Enqueue(action, (at, _sequence++));

    private async Task ArriveAsync(DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        var id = $"c{_nextContact++:D7}";
        _arrivals[id] = _clock.GetUtcNow();
        await _acd.EnqueueAsync(new NewContact(id, Channel.Voice, QueueId), cancellationToken);
        if (_scenario.PatienceSeconds is { } patience)
        {
            Schedule(_clock.GetUtcNow() + Exponential(patience), () => GiveUpAsync(id, cancellationToken));
        }
        var next = _clock.GetUtcNow() + Exponential(3600 / _scenario.ArrivalsPerHour);
        if (next < horizon)
        {
            Schedule(next, () => ArriveAsync(horizon, cancellationToken));
        }
        await RouteAsync(cancellationToken);
    }

    private async Task RouteAsync(CancellationToken cancellationToken)
    {
        foreach (var offer in await _acd.RouteQueueAsync(QueueId, cancellationToken: cancellationToken))
        {
            await _acd.AcceptAsync(offer.AgentId, offer.ContactId, cancellationToken);
            var load = (await _acd.GetAgentAsync(offer.AgentId, cancellationToken)).ActiveOn(Channel.Voice);
            _maxAgentLoad = Math.Max(_maxAgentLoad, load);
            var handle = Exponential(_scenario.AhtSeconds);
            _busySeconds += handle.TotalSeconds;
            Schedule(_clock.GetUtcNow() + handle, () => FinishAsync(offer.AgentId, offer.ContactId, cancellationToken));
        }
    }

    private async Task FinishAsync(string agentId, string contactId, CancellationToken cancellationToken)
    {
        await _acd.CompleteAsync(agentId, contactId, cancellationToken);
        await RouteAsync(cancellationToken);
    }

    private async Task GiveUpAsync(string contactId, CancellationToken cancellationToken)
    {
        var contact = await _acd.GetContactAsync(contactId, cancellationToken);
        if (contact.Status is ContactStatus.Queued or ContactStatus.Offered)
        {
            await _acd.AbandonAsync(contactId, cancellationToken);
        }
    }

    private async Task<SimulationResult> SummariseAsync(DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        var measuredFrom = Start.AddHours(_scenario.WarmupHours);
        int contacts = 0, answered = 0, waited = 0, withinTarget = 0, abandoned = 0, lost = 0;
        double totalWait = 0;
        foreach (var (id, arrivedAt) in _arrivals)
        {
            var contact = await _acd.GetContactAsync(id, cancellationToken);
            // Every contact must end answered and completed, or abandoned: anything else was lost by the ACD.
            if (contact.Status is not (ContactStatus.Completed or ContactStatus.Abandoned))
            {
                lost++;
            }
            if (arrivedAt < measuredFrom)
            {
                continue;
            }
            contacts++;
            if (contact.Status == ContactStatus.Abandoned)
            {
                abandoned++;
                continue;
            }
            if (contact.AnsweredAt is not { } answeredAt)
            {
                continue;
            }
            answered++;
            var wait = (answeredAt - arrivedAt).TotalSeconds;
            totalWait += wait;
            waited += wait > 0 ? 1 : 0;
            withinTarget += wait <= _scenario.TargetSeconds ? 1 : 0;
        }
        var offered = Math.Max(1, answered + abandoned);
        var erlang = _scenario.PatienceSeconds is null
            ? ErlangC.Predict(_scenario.ArrivalsPerHour, _scenario.AhtSeconds, _scenario.Agents, _scenario.TargetSeconds)
            : null;
        var lastEvent = _clock.GetUtcNow() > horizon ? _clock.GetUtcNow() : horizon;
        return new SimulationResult(
            Round(waited / (double)Math.Max(1, answered)),
            Round(totalWait / Math.Max(1, answered)),
            Round(withinTarget / (double)offered),
            Round(_busySeconds / (_scenario.Agents * (lastEvent - Start).TotalSeconds)),
            contacts, answered, abandoned, lost, _maxAgentLoad, erlang, _scenario);
    }

    private TimeSpan Exponential(double meanSeconds) => TimeSpan.FromSeconds(-Math.Log(1 - _random.NextDouble()) * meanSeconds);

    private static double Round(double value) => Math.Round(value, 6);
}
