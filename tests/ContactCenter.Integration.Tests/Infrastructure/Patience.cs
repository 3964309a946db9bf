namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// How long a test waits, in real time, for something that will happen (queued work, a callback over HTTP, a page
/// update). Generous on purpose: the suite runs on a loaded 2-core machine, and a wait on a condition costs nothing
/// when the condition comes true early. What a test asserts about time itself runs on virtual time (an injected
/// FakeTimeProvider, the page's Playwright clock), never on these budgets. See docs/testing.md.
/// </summary>
public static class Patience
{
    /// <summary>The budget for a condition that will come true: an event delivered, a version applied, a page updated.</summary>
    public static readonly TimeSpan Condition = TimeSpan.FromSeconds(60);

    /// <summary>The budget for a process (Azurite, the published app) to start listening.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(120);
}
