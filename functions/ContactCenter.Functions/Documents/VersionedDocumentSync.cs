using System.Diagnostics;
using ContactCenter.Core.Documents;

namespace ContactCenter.Functions.Documents;

/// <summary>
/// Keeps this instance's catalog on the document every instance shares (routing rules, IVR flows): changes are
/// published through the store, and the store's small "current" row is read every SyncInterval so a version published
/// anywhere is applied here too. Stored text that does not validate (it never should) is logged once and the active
/// version stays.
/// </summary>
public abstract class VersionedDocumentSync<TDocument>(VersionedDocumentStore<TDocument> store, IDocumentTarget catalog, DocumentFileSettings settings,
    TimeProvider timeProvider, ILogger logger) : BackgroundService where TDocument : class
{
    /// <summary>How long start-up waits for the store before serving the deployed file's version and catching up later.</summary>
    internal static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Wall clock, like any start-up timeout: a virtual clock in tests must not hold start-up forever.</summary>
    private readonly long _createdAt = Stopwatch.GetTimestamp();

    /// <summary>
    /// Whether the active version is the store's text for their version. Until then it is the deployed file's,
    /// which may differ from what the store holds at the same version, so that version is read once anyway.
    /// </summary>
    private volatile bool _matchesStore;

    /// <summary>A stored version this instance refused: not read (nor logged) again at every poll.</summary>
    private volatile int _refusedVersion;

    private volatile bool _failing;

    /// <summary>The outcome of the latest attempt to apply the store's version to this instance, for health and tests.</summary>
    public DocumentUpdate? LastUpdate { get; private set; }

    /// <summary>Publishes <paramref name="text"/> for every instance and applies it here at once.</summary>
    public async Task<DocumentPublishResult<TDocument>> PublishAsync(string text, string source, CancellationToken cancellationToken)
    {
        var result = await store.PublishAsync(text, source, cancellationToken);
        if (result.Succeeded && !(_matchesStore && catalog.ActiveVersion == result.Current!.Version))
        {
            Apply(text, result.Current!);
        }
        else if (result.Current is { } current && current.Version > catalog.ActiveVersion)
        {
            // The store is ahead of this instance: catch up now rather than at the next poll (which retries on failure).
            await TrySyncAsync(cancellationToken, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// What is left of the start-up budget, shared by publishing the deployed file and reading the newest version (this
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
        // Serve the newest shared version from the first request, but never let an unreachable store hold start-up:
        // the deployed file's version serves meanwhile and the poll catches up.
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
                await Task.Delay(settings.SyncInterval, timeProvider, stoppingToken);
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
        var active = catalog.ActiveVersion;
        if (current is null || current.Version < active || (current.Version == active && _matchesStore) || current.Version == _refusedVersion)
        {
            return;
        }
        StoredDocument stored;
        try
        {
            stored = await store.GetVersionAsync(current.Version, cancellationToken)
                ?? throw new InvalidDataException($"{store.Kind.Name} version {current.Version} is current but its row is missing.");
        }
        catch (InvalidDataException ex)
        {
            _refusedVersion = current.Version;
            LastUpdate = new DocumentUpdate(false, catalog.ActiveVersion, $"refused: {ex.Message}", []);
            logger.LogError("Cannot apply the shared {Kind}: {Reason} Version {Active} stays active.", store.Kind.Name, ex.Message, catalog.ActiveVersion);
            return;
        }
        Apply(stored.Text, stored.Info);
    }

    private void Apply(string text, DocumentVersionInfo info)
    {
        var update = catalog.TryApply(text, info.Source, replaceSameVersion: true);
        LastUpdate = update;
        if (update.Applied)
        {
            _matchesStore = true;
            logger.LogInformation("{Kind} {Outcome} (shared store, published {PublishedAt:O}).", store.Kind.Name, update.Outcome, info.PublishedAt);
        }
        else if (update.Errors.Count > 0)
        {
            _refusedVersion = info.Version;
            logger.LogError("Shared {Kind} version {Version} {Outcome}:{NewLine}{Errors}", store.Kind.Name, info.Version, update.Outcome, Environment.NewLine,
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
                logger.LogInformation("The shared {Kind} store answers again.", store.Kind.Name);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Once per outage, not at every poll; the active version serves meanwhile.
            if (!_failing)
            {
                logger.LogWarning(ex is OperationCanceledException ? null : ex, "Cannot read the shared {Kind} ({Reason}); version {Version} stays active and the check repeats every {Interval}.", store.Kind.Name,
                    ex is OperationCanceledException ? $"no answer within {StartupTimeout.TotalSeconds:0} s" : ex.Message, catalog.ActiveVersion, settings.SyncInterval);
            }
            _failing = true;
        }
    }
}
