using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Operations;

/// <summary>
/// An event the app could not apply and will not retry (it would fail the same way forever): where it came from, its
/// type and id when those could be read, why it was refused, and the payload as received (cut to
/// <see cref="UnprocessableEvents.MaxPayloadChars"/>).
/// </summary>
public sealed record UnprocessableEvent(string Key, string Source, string? EventType, string? EventId, string Reason, string Payload,
    DateTimeOffset ParkedAt, long Times);

/// <summary>How many events are parked, and the latest ones (newest first).</summary>
public sealed record UnprocessableSummary(int Count, IReadOnlyList<UnprocessableEvent> Latest);

/// <summary>
/// The visible list of events that could not be processed. A parse error is parked here instead of failing the
/// invocation, so the message is not redelivered into a dead letter nobody reads: supervisors and /api/health see it.
/// Parking the same event again (a redelivery) keeps one entry and counts the times.
/// </summary>
public interface IUnprocessableEvents
{
    Task<UnprocessableEvent> ParkAsync(string source, string? eventType, string? eventId, string reason, string payload, CancellationToken cancellationToken = default);

    Task<UnprocessableSummary> SummaryAsync(int latest, CancellationToken cancellationToken = default);
}

/// <summary>
/// The list on the app's state store, so it runs on Table Storage in Azure (table <see cref="TableNames.UnprocessableEvents"/>)
/// and on the in-memory store in local mode and tests. One partition, a row per event keyed by a hash of source and
/// event id (or of the payload when there is no id): a redelivered event lands on its own row.
/// </summary>
public sealed class UnprocessableEvents(IStateStore store, TimeProvider timeProvider) : IUnprocessableEvents
{
    /// <summary>Table Storage keeps at most 64 KiB (32K UTF-16 characters) in one string property.</summary>
    public const int MaxPayloadChars = 30_000;

    private const string Partition = "unprocessable";

    public async Task<UnprocessableEvent> ParkAsync(string source, string? eventType, string? eventId, string reason, string payload,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        payload ??= string.Empty;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{eventId ?? payload}")))[..32];
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetAsync(TableNames.UnprocessableEvents, Partition, key, cancellationToken);
            var now = timeProvider.GetUtcNow();
            var parked = new UnprocessableEvent(key, source, eventType, eventId, reason,
                payload.Length > MaxPayloadChars ? payload[..MaxPayloadChars] : payload,
                current?.GetDateTimeOffset("ParkedAt") ?? now, (current?.GetInt64("Times") ?? 0) + 1);
            var entity = new StateEntity(Partition, key, new Dictionary<string, object?>
            {
                ["Source"] = parked.Source,
                ["EventType"] = parked.EventType,
                ["EventId"] = parked.EventId,
                ["Reason"] = parked.Reason,
                ["Payload"] = parked.Payload,
                ["ParkedAt"] = parked.ParkedAt,
                ["LastSeenAt"] = now,
                ["Times"] = parked.Times,
            });
            try
            {
                await store.WriteOverAsync(TableNames.UnprocessableEvents, entity, current, cancellationToken);
                return parked;
            }
            catch (StateStoreException) when (attempt < 20)
            {
                // A concurrent delivery of the same event parked it first: read again and count this one too.
            }
        }
    }

    public async Task<UnprocessableSummary> SummaryAsync(int latest, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latest);
        var all = new List<UnprocessableEvent>();
        await foreach (var entity in store.QueryPartitionAsync(TableNames.UnprocessableEvents, Partition, cancellationToken: cancellationToken))
        {
            all.Add(new UnprocessableEvent(entity.RowKey, entity.GetString("Source") ?? "", entity.GetString("EventType"), entity.GetString("EventId"),
                entity.GetString("Reason") ?? "", entity.GetString("Payload") ?? "", entity.GetDateTimeOffset("ParkedAt") ?? DateTimeOffset.MinValue,
                entity.GetInt64("Times") ?? 1));
        }
        return new UnprocessableSummary(all.Count, [.. all.OrderByDescending(e => e.ParkedAt).ThenBy(e => e.Key, StringComparer.Ordinal).Take(latest)]);
    }
}
