namespace ContactCenter.Functions.Hosting;

/// <summary>
/// Runs a hosted service that is resolved only when the host starts it. The host resolves every hosted service
/// before it validates options, so a service whose dependencies read settings (the state store) would otherwise
/// report only the first invalid setting it meets instead of letting start-up validation list them all.
/// </summary>
internal sealed class ResolvedOnStart<TService>(IServiceProvider services) : IHostedService where TService : IHostedService
{
    private TService? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service = services.GetRequiredService<TService>();
        return _service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
