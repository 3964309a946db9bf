using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Outbound;

/// <summary>
/// Where campaigns live in any <see cref="IStateStore"/>. Campaigns share one small partition (the dialer lists the
/// running ones each tick). Each campaign's entries have a partition of their own holding three kinds of rows, so that
/// the rows that must change together can do so in one atomic batch:
/// <list type="bullet">
/// <item><c>entry|{number}</c> — the entry (its id is the number: a campaign holds each number once);</item>
/// <item><c>due|{ticks}|{number}</c> — one per Pending entry, sorted by next attempt time: the due entries are the first rows;</item>
/// <item><c>slot|{n}</c> — one per call in progress, n below the pacing limit: inserting it claims a line, so two dialers
/// cannot both use the last free one.</item>
/// </list>
/// The do-not-call list is a partition per number (point reads at dial time); placed calls are indexed by call id.
/// </summary>
internal sealed class CampaignRepository(IStateStore store)
{
    private const string CampaignPartition = "campaign";
    private const string DataProperty = "Data";
    internal const string EntryPrefix = "entry|";
    internal const string DuePrefix = "due|";
    internal const string SlotPrefix = "slot|";
    private const string DncRow = "dnc";
    private const string CallRow = "call";

    public IStateStore Store => store;

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    internal static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    internal static string EntryRowKey(string entryId) => EntryPrefix + entryId;

    internal static string DueRowKey(DateTimeOffset due, string entryId) =>
        DuePrefix + due.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + entryId;

    internal static string SlotRowKey(int slot) => SlotPrefix + slot.ToString("D4", CultureInfo.InvariantCulture);

    // Campaigns

    public async Task<Versioned<Campaign>?> GetCampaignAsync(string id, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Campaigns, CampaignPartition, id, cancellationToken);
        return entity is null ? null : Read(entity, OutboundJsonContext.Default.Campaign);
    }

    public async IAsyncEnumerable<Versioned<Campaign>> CampaignsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in store.QueryPartitionAsync(TableNames.Campaigns, CampaignPartition, cancellationToken: cancellationToken))
        {
            yield return Read(entity, OutboundJsonContext.Default.Campaign);
        }
    }

    public Task<string> InsertCampaignAsync(Campaign campaign, CancellationToken cancellationToken) =>
        store.InsertAsync(TableNames.Campaigns, CampaignEntity(campaign), cancellationToken);

    public Task<string> ReplaceCampaignAsync(Campaign campaign, string etag, CancellationToken cancellationToken) =>
        store.ReplaceAsync(TableNames.Campaigns, CampaignEntity(campaign), etag, cancellationToken);

    private static StateEntity CampaignEntity(Campaign campaign) => new(CampaignPartition, campaign.Id, new Dictionary<string, object?>
    {
        [DataProperty] = JsonSerializer.Serialize(campaign, OutboundJsonContext.Default.Campaign),
        ["Status"] = campaign.Status.ToString(),
    });

    // Entries

    public async Task<Versioned<CampaignEntry>?> GetEntryAsync(string campaignId, string entryId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.CampaignEntries, campaignId, EntryRowKey(entryId), cancellationToken);
        return entity is null ? null : Read(entity, OutboundJsonContext.Default.CampaignEntry);
    }

    public async IAsyncEnumerable<Versioned<CampaignEntry>> EntriesAsync(string campaignId, string? afterEntryId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A space sorts before every digit, so this starts right after the given number and before any longer one sharing its digits.
        var from = afterEntryId is null ? EntryPrefix : EntryRowKey(afterEntryId) + " ";
        await foreach (var entity in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, from, PrefixEnd(EntryPrefix), cancellationToken))
        {
            yield return Read(entity, OutboundJsonContext.Default.CampaignEntry);
        }
    }

    /// <summary>Entries per state, read from one small property of each row (the attempts are not parsed).</summary>
    public async Task<Dictionary<EntryState, int>> CountAsync(string campaignId, CancellationToken cancellationToken)
    {
        var counts = Enum.GetValues<EntryState>().ToDictionary(s => s, _ => 0);
        await foreach (var entity in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, EntryPrefix, PrefixEnd(EntryPrefix), cancellationToken))
        {
            if (Enum.TryParse<EntryState>(entity.GetString("State"), out var state))
            {
                counts[state]++;
            }
        }
        return counts;
    }

    /// <summary>Due rows (entry id, due time) up to <paramref name="until"/>, earliest first.</summary>
    public async IAsyncEnumerable<DueRow> DueAsync(string campaignId, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = DuePrefix + (until.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        await foreach (var entity in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, DuePrefix, end, cancellationToken))
        {
            yield return new DueRow(entity.GetString("EntryId") ?? entity.RowKey[(entity.RowKey.LastIndexOf('|') + 1)..],
                new DateTimeOffset(long.Parse(entity.RowKey.AsSpan(DuePrefix.Length, 19), CultureInfo.InvariantCulture), TimeSpan.Zero), entity);
        }
    }

    public async Task<List<SlotRow>> SlotsAsync(string campaignId, CancellationToken cancellationToken)
    {
        var slots = new List<SlotRow>();
        await foreach (var entity in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, SlotPrefix, PrefixEnd(SlotPrefix), cancellationToken))
        {
            slots.Add(new SlotRow(int.Parse(entity.RowKey.AsSpan(SlotPrefix.Length), CultureInfo.InvariantCulture),
                entity.GetString("EntryId") ?? "", (int)(entity.GetInt64("Attempt") ?? 0), entity.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue, entity));
        }
        return slots;
    }

    public async Task<bool> HasOpenWorkAsync(string campaignId, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, DuePrefix, PrefixEnd(DuePrefix), cancellationToken))
        {
            return true;
        }
        await foreach (var _ in store.QueryPartitionAsync(TableNames.CampaignEntries, campaignId, SlotPrefix, PrefixEnd(SlotPrefix), cancellationToken))
        {
            return true;
        }
        return false;
    }

    public static StateEntity EntryEntity(CampaignEntry entry) => new(entry.CampaignId, EntryRowKey(entry.Id), new Dictionary<string, object?>
    {
        [DataProperty] = JsonSerializer.Serialize(entry, OutboundJsonContext.Default.CampaignEntry),
        ["State"] = entry.State.ToString(),
    });

    public static StateEntity DueEntity(CampaignEntry entry) =>
        new(entry.CampaignId, DueRowKey(entry.NextAttemptAt!.Value, entry.Id), new Dictionary<string, object?> { ["EntryId"] = entry.Id });

    public static StateEntity SlotEntity(string campaignId, int slot, string entryId, int attempt, DateTimeOffset claimedAt) =>
        new(campaignId, SlotRowKey(slot), new Dictionary<string, object?> { ["EntryId"] = entryId, ["Attempt"] = attempt, ["ClaimedAt"] = claimedAt });

    public Task SubmitAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken) =>
        store.SubmitBatchAsync(TableNames.CampaignEntries, operations, cancellationToken);

    // Do-not-call list and calls

    public async Task<DateTimeOffset?> DoNotCallSinceAsync(string phoneNumber, CancellationToken cancellationToken) =>
        (await store.GetAsync(TableNames.DoNotCall, phoneNumber, DncRow, cancellationToken))?.GetDateTimeOffset("AddedAt");

    public Task AddDoNotCallAsync(string phoneNumber, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.UpsertAsync(TableNames.DoNotCall, new StateEntity(phoneNumber, DncRow, new Dictionary<string, object?> { ["AddedAt"] = at }), cancellationToken);

    public Task<bool> RemoveDoNotCallAsync(string phoneNumber, CancellationToken cancellationToken) =>
        store.DeleteAsync(TableNames.DoNotCall, phoneNumber, DncRow, cancellationToken: cancellationToken);

    public Task RecordCallAsync(string callId, string campaignId, string entryId, int attempt, OutboundOutcome? outcome, CancellationToken cancellationToken) =>
        store.UpsertAsync(TableNames.OutboundCalls, new StateEntity(StateKeys.ToSafeKey(callId), CallRow, new Dictionary<string, object?>
        {
            ["CallId"] = callId,
            ["CampaignId"] = campaignId,
            ["EntryId"] = entryId,
            ["Attempt"] = attempt,
            ["Outcome"] = outcome?.ToString(),
        }), cancellationToken);

    public async Task<OutboundCallRecord?> FindCallAsync(string callId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.OutboundCalls, StateKeys.ToSafeKey(callId), CallRow, cancellationToken);
        return entity is null ? null : new OutboundCallRecord(callId, entity.GetString("CampaignId")!, entity.GetString("EntryId")!,
            (int)(entity.GetInt64("Attempt") ?? 0), Enum.TryParse<OutboundOutcome>(entity.GetString("Outcome"), out var o) ? o : null);
    }

    private static Versioned<T> Read<T>(StateEntity entity, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        new(JsonSerializer.Deserialize(entity.GetString(DataProperty) ?? throw Corrupt(entity), type) ?? throw Corrupt(entity), entity.ETag!);

    private static InvalidOperationException Corrupt(StateEntity entity) =>
        new($"Stored entity {entity.PartitionKey}/{entity.RowKey} has no readable {DataProperty}.");
}

internal sealed record DueRow(string EntryId, DateTimeOffset Due, StateEntity Entity);

internal sealed record SlotRow(int Slot, string EntryId, int Attempt, DateTimeOffset ClaimedAt, StateEntity Entity);

/// <summary>A placed call found by its id: which campaign entry and attempt it was, and its outcome once known.</summary>
public sealed record OutboundCallRecord(string CallId, string CampaignId, string EntryId, int Attempt, OutboundOutcome? Outcome);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CampaignEntry))]
internal sealed partial class OutboundJsonContext : JsonSerializerContext;
