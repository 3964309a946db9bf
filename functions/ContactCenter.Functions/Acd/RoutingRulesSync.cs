using System.Diagnostics;
using ContactCenter.Core.Routing;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// Keeps this instance's catalog on the rules every instance shares: changes are published through the store, and
/// the store's small "current" row is read every Routing:SyncInterval so a version published anywhere is applied
/// here too. Stored text that does not validate (it never should) is logged once and the active rules stay.
/// </summary>
public sealed class RoutingRulesSync(RoutingRulesStore store, RoutingRulesCatalog catalog, IOptions<RoutingRulesOptions> options,
    TimeProvider timeProvider, ILogger<RoutingRulesSync> logger) : BackgroundService
{
    /// <summary>How long start-up waits for the store before serving the deployed file's rules and catching up later.</summary>
    internal static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Wall clock, like any start-up timeout: a virtual clock in tests must not hold start-up forever.</summary>
    private readonly long _createdAt = Stopwatch.GetTimestamp();

    /// <summary>
    /// Whether the active rules are the store's text for their version. Until then they are the deployed file's,
    /// which may differ from what the store holds at the same version, so that version is read once anyway.
    /// </summary>
    private volatile bool _matchesStore;

    /// <summary>A stored version this instance refused: not read (nor logged) again at every poll.</summary>
    private volatile int _refusedVersion;

    private volatile bool _failing;

    /// <summary>The outcome of the latest attempt to apply the store's rules to this instance, for health and tests.</summary>
    public RulesUpdate? LastUpdate { get; private set; }

    /// <summary>Publishes <paramref name="text"/> for every instance and applies it here at once.</summary>
    public async Task<RulesPublishResult> PublishAsync(string text, string source, CancellationToken cancellationToken)
    {
        var result = await store.PublishAsync(text, source, cancellationToken);
        if (result.Succeeded && !(_matchesStore && catalog.Current.Version == result.Current!.Version))
        {
            Apply(text, result.Current!);
        }
        else if (result.Current is { } current && current.Version > catalog.Current.Version)
        {
            // The store is ahead of this instance: catch up now rather than at the next poll (which retries on failure).
            await TrySyncAsync(cancellationToken, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// What is left of the start-up budget, shared by publishing the deployed file and reading the newest rules (this
    /// service is created when the watcher starts), so an unreachable store delays start-up once, not per step.
    /// </summary>
    internal TimeSpan StartupTimeLeft
    {
        get
        {
            var left = StartupTimeout - Stopwatch.GetElapsedTime(_createdAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Serve the newest shared rules from the first request, but never let an unreachable store hold start-up:
        // the deployed file's rules serve meanwhile and the poll catches up.
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(StartupTimeLeft);
        await TrySyncAsync(startup.Token, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.SyncInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await TrySyncAsync(stoppingToken, stoppingToken);
        }
    }

    /// <summary>One poll: applies the store's current version unless this instance already runs it.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var current = await store.GetCurrentAsync(cancellationToken);
        var active = catalog.Current.Version;
        if (current is null || current.Version < active || (current.Version == active && _matchesStore) || current.Version == _refusedVersion)
        {
            return;
        }
        StoredRules stored;
        try
        {
            stored = await store.GetVersionAsync(current.Version, cancellationToken)
                ?? throw new InvalidDataException($"Routing rules version {current.Version} is current but its row is missing.");
        }
        catch (InvalidDataException ex)
        {
            _refusedVersion = current.Version;
            LastUpdate = new RulesUpdate(false, catalog.Current.Version, $"refused: {ex.Message}", []);
            logger.LogError("Cannot apply the shared routing rules: {Reason} Version {Active} stays active.", ex.Message, catalog.Current.Version);
            return;
        }
        Apply(stored.Text, stored.Info);
    }

    private void Apply(string text, RulesVersionInfo info)
    {
        var update = catalog.TryApply(text, info.Source, replaceSameVersion: true);
        LastUpdate = update;
        if (update.Applied)
        {
            _matchesStore = true;
            logger.LogInformation("Routing rules {Outcome} (shared store, published {PublishedAt:O}).", update.Outcome, info.PublishedAt);
        }
        else if (update.Errors.Count > 0)
        {
            _refusedVersion = info.Version;
            logger.LogError("Shared routing rules version {Version} {Outcome}:{NewLine}{Errors}", info.Version, update.Outcome, Environment.NewLine,
                string.Join(Environment.NewLine, update.Errors.Select(e => "  " + e)));
        }
        // Otherwise a newer version was applied meanwhile: nothing to do.
    }

    private async Task TrySyncAsync(CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        try
        {
            await SyncOnceAsync(cancellationToken);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("The shared routing rules store answers again.");
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Once per outage, not at every poll; version {Version} keeps routing meanwhile.
            if (!_failing)
            {
                logger.LogWarning(ex is OperationCanceledException ? null : ex, "Cannot read the shared routing rules ({Reason}); version {Version} stays active and the check repeats every {Interval}.",
                    ex is OperationCanceledException ? $"no answer within {StartupTimeout.TotalSeconds:0} s" : ex.Message, catalog.Current.Version, options.Value.SyncInterval);
            }
            _failing = true;
        }
    }
}
