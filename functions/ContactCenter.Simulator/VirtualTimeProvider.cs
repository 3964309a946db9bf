namespace ContactCenter.Simulator;

/// <summary>A clock the simulation moves forward event by event; nothing in the ACD reads the wall clock.</summary>
public sealed class VirtualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void MoveTo(DateTimeOffset time)
    {
        if (time < _now)
        {
            throw new InvalidOperationException($"Virtual time cannot go back from {_now:O} to {time:O}.");
        }
        _now = time;
    }
}
