using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactCenter.Core.Routing;

/// <summary>
/// The ACD's wallboard metrics (meter <see cref="MeterName"/>; OpenTelemetry exports them to Azure Monitor, where the
/// infra workbook and alerts read them). Counters and histograms are exact and add up across instances, so rates
/// (ASA, abandonment, service level) are computed from them over any window; gauges (queue length, longest wait,
/// agents by state) are the last snapshot <see cref="ObserveAsync"/> read from the store.
/// </summary>
public static class AcdMetrics
{
    public const string MeterName = "ContactCenter.Acd";

    /// <summary>The "20" of an 80/20 service level: answers within this wait count as within service level.</summary>
    public static TimeSpan ServiceLevelThreshold { get; set; } = TimeSpan.FromSeconds(20);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Offers = Meter.CreateCounter<long>(
        "contactcenter.acd.offers", description: "Offers to agents by outcome: made, accepted, declined, expired.");

    private static readonly Counter<long> Answered = Meter.CreateCounter<long>(
        "contactcenter.acd.contacts.answered", description: "Contacts an agent accepted, by queue, channel and within_service_level.");

    private static readonly Counter<long> Abandoned = Meter.CreateCounter<long>(
        "contactcenter.acd.contacts.abandoned", description: "Contacts that left before an agent accepted them, by queue and channel.");

    private static readonly Histogram<double> AnswerWait = Meter.CreateHistogram<double>(
        "contactcenter.acd.answer_wait", unit: "s", description: "Wait from queueing to an agent's accept (its mean is the ASA).");

    private static readonly Histogram<double> RoutingDuration = Meter.CreateHistogram<double>(
        "contactcenter.acd.routing.duration", unit: "ms", description: "Time to handle one piece of ACD work, by kind.");

    private static readonly ConcurrentDictionary<string, (int Length, double LongestWaitSeconds)> QueueSnapshot = new();
    private static readonly ConcurrentDictionary<string, int> AgentSnapshot = new();

    static AcdMetrics()
    {
        Meter.CreateObservableGauge("contactcenter.acd.queue.length",
            () => QueueSnapshot.Select(q => new Measurement<int>(q.Value.Length, new KeyValuePair<string, object?>("queue", q.Key))),
            description: "Contacts waiting, per queue (last snapshot).");
        Meter.CreateObservableGauge("contactcenter.acd.queue.longest_wait",
            () => QueueSnapshot.Select(q => new Measurement<double>(q.Value.LongestWaitSeconds, new KeyValuePair<string, object?>("queue", q.Key))),
            unit: "s", description: "Wait of the longest-waiting contact, per queue (last snapshot).");
        Meter.CreateObservableGauge("contactcenter.acd.agents",
            () => AgentSnapshot.Select(a => new Measurement<int>(a.Value, new KeyValuePair<string, object?>("state", a.Key))),
            description: "Agents by state: offline, available, away, busy, wrap_up, offered, working (last snapshot).");
    }

    public static void OfferMade(int count = 1) => Offers.Add(count, new KeyValuePair<string, object?>("outcome", "made"));

    public static void OfferDeclined() => Offers.Add(1, new KeyValuePair<string, object?>("outcome", "declined"));

    public static void OfferExpired() => Offers.Add(1, new KeyValuePair<string, object?>("outcome", "expired"));

    /// <summary>An agent accepted: the offer outcome, the answer and its wait. Call once per accept, not per repeat.</summary>
    public static void ContactAnswered(ContactState contact)
    {
        Offers.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));
        var wait = (contact.AnsweredAt ?? contact.EnqueuedAt) - contact.EnqueuedAt;
        var tags = new TagList { { "queue", contact.QueueId }, { "channel", contact.Channel.ToString().ToLowerInvariant() } };
        AnswerWait.Record(wait.TotalSeconds, tags);
        tags.Add("within_service_level", wait <= ServiceLevelThreshold ? "true" : "false");
        Answered.Add(1, tags);
    }

    public static void ContactAbandoned(ContactState contact) =>
        Abandoned.Add(1, new TagList { { "queue", contact.QueueId }, { "channel", contact.Channel.ToString().ToLowerInvariant() } });

    public static void RoutingHandled(AcdWorkKind kind, TimeSpan elapsed) =>
        RoutingDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    /// <summary>Reads queue lengths, longest waits and agents by state from the store for the gauges (a timer calls it).</summary>
    public static async Task ObserveAsync(AcdService acd, IQueueCatalog queues, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var queueId in queues.QueueIds)
        {
            var waiting = await acd.WaitingAsync(queueId, cancellationToken);
            var longest = waiting.Count == 0 ? TimeSpan.Zero : now - (await acd.GetContactAsync(waiting[0], cancellationToken)).EnqueuedAt;
            QueueSnapshot[queueId] = (waiting.Count, Math.Max(0, longest.TotalSeconds));
        }
        foreach (var queueId in QueueSnapshot.Keys.Except(queues.QueueIds))
        {
            QueueSnapshot.TryRemove(queueId, out _);
        }
        var agents = await acd.ListAgentsAsync(cancellationToken);
        var byState = agents.GroupBy(a => StateOf(a, now)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in new[] { "offline", "available", "away", "busy", "wrap_up", "offered", "working" })
        {
            AgentSnapshot[state] = byState.GetValueOrDefault(state);
        }
    }

    private static string StateOf(AgentState agent, DateTimeOffset now) => agent.Presence switch
    {
        Presence.Available when agent.Offer is not null => "offered",
        Presence.Available when agent.IsInWrapUp(now) => "wrap_up",
        Presence.Available when agent.Assignments.Count > 0 => "working",
        _ => agent.Presence.ToString().ToLowerInvariant(),
    };
}
