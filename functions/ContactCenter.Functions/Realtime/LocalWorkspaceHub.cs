using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using ContactCenter.Core.Workspace;

namespace ContactCenter.Functions.Realtime;

/// <summary>Who a push connection belongs to.</summary>
public sealed record WorkspaceSubscriberIdentity(string AgentId, bool IsSupervisor);

/// <summary>One pushed message: its type (SSE event name, SignalR target) and its one JSON argument.</summary>
public sealed record PushedMessage(string Type, JsonElement Data);

/// <summary>
/// Local mode's stand-in for SignalR Service: keeps the open Server-Sent Events streams, one per connection, and delivers
/// SignalR-output-binding messages to users (agent ids) and to the supervisors group. Streams are tied to short-lived
/// single-use tickets that negotiate issues, so the EventSource URL carries no long-lived credential.
/// </summary>
public sealed class LocalWorkspaceHub(TimeProvider timeProvider)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, (WorkspaceSubscriberIdentity Identity, DateTimeOffset Expires)> _tickets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Subscriber> _subscribers = new();
    private long _nextId;

    public int ConnectionCount => _subscribers.Count;

    public string IssueTicket(WorkspaceSubscriberIdentity identity)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var stale in _tickets.Where(t => t.Value.Expires <= now))
        {
            _tickets.TryRemove(stale.Key, out _);
        }
        var ticket = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tickets[ticket] = (identity, now + TicketLifetime);
        return ticket;
    }

    /// <summary>A ticket opens one stream: a reconnecting EventSource asks negotiate again.</summary>
    public WorkspaceSubscriberIdentity? Redeem(string? ticket) =>
        ticket is not null && _tickets.TryRemove(ticket, out var entry) && entry.Expires > timeProvider.GetUtcNow() ? entry.Identity : null;

    public Subscription Subscribe(WorkspaceSubscriberIdentity identity)
    {
        var id = Interlocked.Increment(ref _nextId);
        // Bounded: a stalled browser tab loses its oldest pushes rather than growing memory; it re-reads state on reconnect.
        var channel = Channel.CreateBounded<PushedMessage>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[id] = new Subscriber(identity, channel);
        return new Subscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }

    public int SendToUser(string userId, PushedMessage message) =>
        Deliver(s => string.Equals(s.Identity.AgentId, userId, StringComparison.Ordinal), message);

    public int SendToGroup(string group, PushedMessage message) =>
        group == WorkspaceMessage.SupervisorsGroup ? Deliver(s => s.Identity.IsSupervisor, message) : 0;

    private int Deliver(Func<Subscriber, bool> to, PushedMessage message)
    {
        var count = 0;
        foreach (var subscriber in _subscribers.Values.Where(to))
        {
            count += subscriber.Channel.Writer.TryWrite(message) ? 1 : 0;
        }
        return count;
    }

    private sealed record Subscriber(WorkspaceSubscriberIdentity Identity, Channel<PushedMessage> Channel);

    public sealed class Subscription(ChannelReader<PushedMessage> reader, Action dispose) : IDisposable
    {
        public ChannelReader<PushedMessage> Reader => reader;

        public void Dispose() => dispose();
    }
}
