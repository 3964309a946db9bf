namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// Waits for what the app does asynchronously (queued work, timers, pushed notifications): probes until it answers a
/// value. An HTTP error counts as "not yet" (a resource answers 404 until the work that creates it has run); the
/// timeout names what was awaited and the last error seen.
/// </summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        HttpRequestException? lastError = null;
        for (var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20)); DateTime.UtcNow < deadline; await Task.Delay(25, cancellationToken))
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException error)
            {
                lastError = error;
            }
        }
        throw new TimeoutException($"Still waiting for {what}." + (lastError is null ? "" : $" Last error: {lastError.Message}"));
    }
}
