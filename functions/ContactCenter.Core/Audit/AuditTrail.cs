using System.Globalization;
using System.Runtime.CompilerServices;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Audit;

/// <summary>One change someone made (or tried to make) through the workspace API.</summary>
/// <param name="ActorId">Who: the signed-in agent's id.</param>
/// <param name="Role">"Agent" or "Supervisor".</param>
/// <param name="Action">What: the function's name ("AgentPresence", "ConversationReplies", ...).</param>
/// <param name="Target">On what: the request's method and path ("PUT /api/agents/ann/presence").</param>
/// <param name="SubjectAgentId">The agent the change concerns, when the route names one (supervisors acting for others).</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="Outcome">"succeeded", "rejected" (4xx other than 403), "denied" (403) or "failed" (5xx).</param>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string ActorId,
    string Role,
    string Action,
    string Target,
    string? SubjectAgentId,
    int Status,
    string Outcome)
{
    public static string OutcomeOf(int status) => status switch
    {
        < 400 => "succeeded",
        403 => "denied",
        < 500 => "rejected",
        _ => "failed",
    };
}

/// <summary>Where workspace changes are recorded, and read back by supervisors.</summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries at or after <paramref name="from"/> and before <paramref name="to"/>, oldest first, at most <paramref name="limit"/>.</summary>
    /// <param name="agentId">Only entries by this agent or about this agent.</param>
    IAsyncEnumerable<AuditEntry> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? agentId = null, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>
/// The audit trail in the state store: table <see cref="TableNames.Audit"/>, a partition per UTC day ("20261124"),
/// row keys that sort by time (UTC ticks, then the entry's id so two entries in one tick never collide). Entries are
/// only ever inserted, never changed.
/// </summary>
public sealed class StateStoreAuditTrail(IStateStore store) : IAuditTrail
{
    /// <summary>The longest span one read may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = entry.At.ToUniversalTime();
        await store.InsertAsync(TableNames.Audit, new StateEntity(Partition(at), $"{RowPrefix(at)}-{StateKeys.ToSafeKey(entry.Id)}", new Dictionary<string, object?>
        {
            ["Id"] = entry.Id,
            ["At"] = at,
            ["ActorId"] = entry.ActorId,
            ["Role"] = entry.Role,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["SubjectAgentId"] = entry.SubjectAgentId,
            ["Status"] = entry.Status,
            ["Outcome"] = entry.Outcome,
        }), cancellationToken);
    }

    public async IAsyncEnumerable<AuditEntry> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? agentId = null, int limit = 1000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentException("'to' must not be before 'from'.", nameof(to));
        }
        if (to - from > MaxRange)
        {
            throw new ArgumentException($"Read at most {MaxRange.TotalDays} days at a time.", nameof(to));
        }
        var (start, end) = (from.ToUniversalTime(), to.ToUniversalTime());
        var count = 0;
        for (var day = start.UtcDateTime.Date; day <= end.UtcDateTime.Date && count < limit; day = day.AddDays(1))
        {
            await foreach (var row in store.QueryPartitionAsync(TableNames.Audit, Partition(day), RowPrefix(start), RowPrefix(end), cancellationToken))
            {
                var entry = Read(row);
                if (agentId is null || entry.ActorId == agentId || entry.SubjectAgentId == agentId)
                {
                    yield return entry;
                    if (++count >= limit)
                    {
                        yield break;
                    }
                }
            }
        }
    }

    private static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string RowPrefix(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static AuditEntry Read(StateEntity row) => new(
        row.GetString("Id") ?? row.RowKey,
        row.GetDateTimeOffset("At") ?? default,
        row.GetString("ActorId") ?? "",
        row.GetString("Role") ?? "",
        row.GetString("Action") ?? "",
        row.GetString("Target") ?? "",
        row.GetString("SubjectAgentId"),
        (int)(row.GetInt64("Status") ?? 0),
        row.GetString("Outcome") ?? "");
}
