using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Browser.Tests.Infrastructure;

/// <summary>
/// A browser test's fixture: the app in local mode (started by <see cref="StartAppAsync"/>, each class with its own
/// settings and services) and Debian's Chromium, both disposed after the test.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private RunningApp? _app;
    private Chromium? _chromium;

    protected RunningApp App => _app!;
    protected Chromium Chromium => _chromium!;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<RunningApp> StartAppAsync();

    public async ValueTask InitializeAsync()
    {
        _app = await StartAppAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
