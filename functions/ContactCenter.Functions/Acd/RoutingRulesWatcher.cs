using ContactCenter.Core.Routing;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// Hot reload: applies the rules file whenever it changes (file-system notification, with a periodic check as a
/// safety net). A refused file is logged with every error and line; the active rules stay.
/// </summary>
public sealed class RoutingRulesWatcher(RoutingRulesCatalog catalog, IOptions<RoutingRulesOptions> options, ILogger<RoutingRulesWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);
    private FileSystemWatcher? _watcher;
    /// <summary>The text last offered to the catalog: the same text is not offered twice.</summary>
    private string? _lastSeen;

    /// <summary>The outcome of the latest reload attempt, for health and tests.</summary>
    public RulesUpdate? LastUpdate { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.ResolvedPath;
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
            logger.LogWarning(ex, "Cannot watch {Path}; checking it every {Interval} instead.", path, options.Value.PollInterval);
        }
        // The file may have changed between the catalog loading it and now: check once straight away.
        await ReloadAsync(path, stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // File watching is wall-clock work, not domain time: the TimeProvider is not involved.
                await _changed.WaitAsync(options.Value.PollInterval, stoppingToken);
                // Editors write in several steps: let the file settle before reading it.
                await Task.Delay(TimeSpan.FromMilliseconds(150), stoppingToken);
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stoppingToken);
                }
                await ReloadAsync(path, stoppingToken);
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

    private async Task ReloadAsync(string path, CancellationToken cancellationToken)
    {
        var text = await ReadAsync(path, cancellationToken);
        if (text is null || text == _lastSeen)
        {
            return;
        }
        _lastSeen = text;
        var update = catalog.TryApply(text, path);
        LastUpdate = update;
        if (update.Applied)
        {
            logger.LogInformation("Routing rules {Outcome}.", update.Outcome);
        }
        else if (update.Errors.Count > 0)
        {
            logger.LogError("Routing rules in {Path} {Outcome}:{NewLine}{Errors}", path, update.Outcome, Environment.NewLine,
                string.Join(Environment.NewLine, update.Errors.Select(e => "  " + e)));
        }
        else if (update.ActiveVersion > 0 && update.Outcome.StartsWith("unchanged", StringComparison.Ordinal))
        {
            logger.LogDebug("Routing rules in {Path} {Outcome}.", path, update.Outcome);
        }
        else
        {
            logger.LogWarning("Routing rules in {Path} {Outcome}.", path, update.Outcome);
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
            logger.LogWarning("Cannot read the routing rules file {Path} ({Reason}); the active rules stay.", path, ex.Message);
            return null;
        }
    }
}
