using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace ContactCenter.Browser.Tests.Infrastructure;

/// <summary>
/// One virtual clock for the app and its pages. The app runs on <see cref="Time"/>; every pinned page's <c>Date</c>
/// reads the same instant (Playwright's <c>Clock.SetFixedTimeAsync</c>: <c>Date.now()</c> is fixed, the page's timers
/// keep running, so its polling and event stream work). What a page computes from the server's timestamps (an offer's
/// countdown: <c>expiresAt - Date.now()</c>) then does not depend on how fast the machine runs the test, and
/// <see cref="AdvanceAsync"/> moves the app and every page together.
/// </summary>
public sealed class SharedClock(DateTimeOffset start)
{
    private readonly List<IPage> _pages = [];

    public FakeTimeProvider Time { get; } = new(start);

    /// <summary>Pins the page's clock to the app's (before navigating: Playwright installs it for every document).</summary>
    public async Task PinAsync(IPage page)
    {
        _pages.Add(page);
        await page.Clock.SetFixedTimeAsync(Time.GetUtcNow().UtcDateTime);
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        foreach (var page in _pages.Where(p => !p.IsClosed))
        {
            await page.Clock.SetFixedTimeAsync(Time.GetUtcNow().UtcDateTime);
        }
    }
}
