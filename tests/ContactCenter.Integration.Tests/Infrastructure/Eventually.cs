using Microsoft.Extensions.Time.Testing;

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
        for (var deadline = DateTime.UtcNow + (timeout ?? Patience.Condition); DateTime.UtcNow < deadline; await Task.Delay(25, cancellationToken))
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

    /// <summary>
    /// For a chain of virtual-time timers that each start when the one before fires (a prompt, then a timeout, then a
    /// goodbye, each a request over HTTP): moves <paramref name="clock"/> on by <paramref name="step"/> between probes
    /// until the probe answers. However slowly the machine arms each timer, the chain gets the steps it needs (a fixed
    /// number of steps is not enough when a timer is armed only after the clock has already moved past it).
    /// </summary>
    public static async Task<T> AdvancingAsync<T>(FakeTimeProvider clock, TimeSpan step, Func<Task<T?>> probe, string what)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        for (var deadline = DateTime.UtcNow + Patience.Condition; DateTime.UtcNow < deadline; await Task.Delay(25, cancellationToken))
        {
            if (await probe() is { } value)
            {
                return value;
            }
            clock.Advance(step);
        }
        throw new TimeoutException($"Still waiting for {what}.");
    }
}
