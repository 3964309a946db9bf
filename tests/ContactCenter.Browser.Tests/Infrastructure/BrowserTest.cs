using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ContactCenter.Browser.Tests.Infrastructure;

/// <summary>
/// A browser test's fixture: the app in local mode (started by <see cref="StartAppAsync"/>, each class with its own
/// settings and services) and Debian's Chromium, both disposed after the test. Every Expect waits up to
/// <see cref="Patience.Condition"/> (Playwright's default, 5 s, is too short for a loaded 2-core machine): a page that
/// is going to show something gets the time it needs; what depends on time itself runs on a <see cref="SharedClock"/>.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private RunningApp? _app;
    private Chromium? _chromium;

    protected RunningApp App => _app!;
    protected Chromium Chromium => _chromium!;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    static BrowserTest() => Assertions.SetDefaultExpectTimeout((float)Patience.Condition.TotalMilliseconds);

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
