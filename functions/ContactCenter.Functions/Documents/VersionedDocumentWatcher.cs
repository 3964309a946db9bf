using ContactCenter.Core.Documents;

namespace ContactCenter.Functions.Documents;

/// <summary>
/// Publishes a document's file (routing rules, IVR flows) through the shared store: at start-up (so deploying a file with a higher version rolls it
/// out to every instance) and whenever it changes (file-system notification, with a periodic check as a safety net;
/// local mode's hot reload). A refused file is logged with every error and line; the active version stays.
/// </summary>
public abstract class VersionedDocumentWatcher<TDocument>(VersionedDocumentSync<TDocument> sync, IDocumentTarget catalog, DocumentKind<TDocument> kind,
    DocumentFileSettings settings, ILogger logger) : BackgroundService where TDocument : class
{
    private readonly SemaphoreSlim _changed = new(0);
    private FileSystemWatcher? _watcher;

    /// <summary>The text last settled with the store: the same text is not offered twice, but one the store could not take is retried.</summary>
    private string? _lastSeen;

    /// <summary>The outcome of the latest attempt to publish the file, for health and tests.</summary>
    public DocumentUpdate? LastUpdate { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = settings.ResolvedPath;
        // Watch before anything else, so no change made after start-up can slip by unnoticed.
        try
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
                EnableRaisingEvents = true,
            };
            _watcher.Changed += (_, _) => _changed.Release();
            _watcher.Created += (_, _) => _changed.Release();
            _watcher.Renamed += (_, _) => _changed.Release();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            logger.LogWarning(ex, "Cannot watch {Path}; checking it every {Interval} instead.", path, settings.PollInterval);
        }
        // Publish the deployed file before serving, within the start-up budget it shares with the store sync: if the
        // store does not answer, the periodic check retries.
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(sync.StartupTimeLeft);
        await ReloadAsync(path, atStartup: true, startup.Token, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = settings.ResolvedPath;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // File watching is wall-clock work, not domain time: the TimeProvider is not involved.
                await _changed.WaitAsync(settings.PollInterval, stoppingToken);
                // Editors write in several steps: let the file settle before reading it.
                await Task.Delay(TimeSpan.FromMilliseconds(150), stoppingToken);
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stoppingToken);
                }
                await ReloadAsync(path, atStartup: false, stoppingToken, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
        base.Dispose();
    }

    private async Task ReloadAsync(string path, bool atStartup, CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        var text = await ReadAsync(path, cancellationToken);
        if (text is null || text == _lastSeen)
        {
            return;
        }
        DocumentPublishResult<TDocument> result;
        try
        {
            result = await sync.PublishAsync(text, path, cancellationToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Cannot publish the {Kind} in {Path} to the shared store ({Reason}); retrying within {Interval}.",
                kind.Name, path, ex is OperationCanceledException ? "no answer" : ex.Message, settings.PollInterval);
            return;
        }
        _lastSeen = text;
        LastUpdate = new DocumentUpdate(result.Outcome == DocumentPublishOutcome.Published, catalog.ActiveVersion, result.Message, result.Errors);
        switch (result.Outcome)
        {
            case DocumentPublishOutcome.Published:
                logger.LogInformation("{Kind} in {Path} {Outcome}.", kind.Name, path, result.Message);
                break;
            case DocumentPublishOutcome.Unchanged:
                logger.LogDebug("{Kind} in {Path} {Outcome}.", kind.Name, path, result.Message);
                break;
            case DocumentPublishOutcome.Invalid:
                logger.LogError("{Kind} in {Path} {Outcome}:{NewLine}{Errors}", kind.Name, path, result.Message, Environment.NewLine,
                    string.Join(Environment.NewLine, result.Errors.Select(e => "  " + e)));
                break;
            // A deployed file older than what was published since (through the API) is expected: the store's stays.
            case DocumentPublishOutcome.NotNewer when atStartup && result.ProposedVersion < result.Current!.Version:
                logger.LogInformation("{Kind} in {Path} are version {FileVersion}; the shared version {Version} stays active.",
                    kind.Name, path, result.ProposedVersion, result.Current.Version);
                break;
            default:
                logger.LogWarning("{Kind} in {Path} {Outcome}.", kind.Name, path, result.Message);
                break;
        }
    }

    private async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot read the {Kind} file {Path} ({Reason}); the active version stays.", kind.Name, path, ex.Message);
            return null;
        }
    }
}
