using System.Diagnostics;
using System.Reflection;
using ContactCenter.Core.Operations;
using ContactCenter.Core.State;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local;
using Cronos;

namespace ContactCenter.Functions.Functions;

/// <summary>
/// GET /api/health: can the app reach its state, and are scheduled jobs running? 200 when the store answers
/// (status "degraded" when the heartbeat is stale), 503 when it does not.
/// </summary>
public sealed class HealthFunction(IStateStore store, Heartbeats heartbeats, HostingEnvironment hosting, TimeProvider timeProvider,
    IServiceProvider services, ILogger<HealthFunction> logger) : IHttpFunction
{
    private static readonly string Version =
        typeof(HealthFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        StoreHealth storeHealth;
        HeartbeatHealth? heartbeatHealth = null;
        try
        {
            await store.PingAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            storeHealth = new StoreHealth(store.Kind, true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
            heartbeatHealth = await HeartbeatAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Health check could not reach the {StoreKind} store.", store.Kind);
            storeHealth = new StoreHealth(store.Kind, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name + ": " + ex.Message);
        }

        var status = !storeHealth.Reachable ? "unhealthy" : heartbeatHealth?.Stale == true ? "degraded" : "healthy";
        var local = services.GetService<LocalFunctionsHost>()?.Snapshot();
        var rules = services.GetService<ContactCenter.Core.Routing.RoutingRulesCatalog>();
        var report = new HealthReport(status, hosting.Mode == HostingMode.Local ? "local" : "functions-host", Version,
            timeProvider.GetUtcNow(), storeHealth, heartbeatHealth, local,
            rules is null ? null : new RoutingHealth(rules.Current.Version, rules.Source, rules.Current.Queues.Count),
            storeHealth.Reachable ? await UnprocessableAsync(cancellationToken) : null);
        return TypedResults.Json(report, ApiJsonContext.Default.HealthReport,
            statusCode: storeHealth.Reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>How many events are parked as unprocessable, and the latest (without its payload: that is on the supervisor route).</summary>
    private async Task<UnprocessableHealth?> UnprocessableAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IUnprocessableEvents>() is not { } unprocessable)
        {
            return null;
        }
        var summary = await unprocessable.SummaryAsync(1, cancellationToken);
        return new UnprocessableHealth(summary.Count, summary.Latest.FirstOrDefault() is { } latest
            ? new UnprocessableHealthEntry(latest.ParkedAt, latest.Source, latest.EventType, latest.EventId, latest.Reason)
            : null);
    }

    private async Task<HeartbeatHealth> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var last = await heartbeats.GetAsync(HeartbeatFunction.JobName, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var interval = ScheduleInterval(FunctionCatalog.HeartbeatSchedule, now);
        // Three missed runs in a row mean the timer (or the host firing it) is not running.
        var stale = last is not null && now - last.LastRunAt > 3 * interval;
        return new HeartbeatHealth(last?.LastRunAt, last?.Runs ?? 0, interval.TotalSeconds, stale);
    }

    internal static TimeSpan ScheduleInterval(string schedule, DateTimeOffset now)
    {
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        var next = cron.GetNextOccurrence(now, TimeZoneInfo.Utc) ?? now;
        var after = cron.GetNextOccurrence(next, TimeZoneInfo.Utc) ?? next;
        return after - next;
    }
}

public sealed record HealthReport(string Status, string Mode, string Version, DateTimeOffset CheckedAt,
    StoreHealth Store, HeartbeatHealth? Heartbeat, LocalHostSnapshot? Local, RoutingHealth? Routing, UnprocessableHealth? Unprocessable = null);

/// <summary>Events parked because they could not be processed (GET /api/supervisor/unprocessable lists them).</summary>
public sealed record UnprocessableHealth(int Count, UnprocessableHealthEntry? Latest);

public sealed record UnprocessableHealthEntry(DateTimeOffset ParkedAt, string Source, string? EventType, string? EventId, string Reason);

public sealed record RoutingHealth(int RulesVersion, string Source, int Queues);

public sealed record StoreHealth(string Kind, bool Reachable, double LatencyMs, string? Error);

public sealed record HeartbeatHealth(DateTimeOffset? LastRunAt, long Runs, double IntervalSeconds, bool Stale);
