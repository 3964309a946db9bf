namespace ContactCenter.Core.Events;

/// <summary>
/// Applies one kind of channel event to the domain. Delivery is at least once, so a handler must be
/// idempotent: applying the same event twice leaves the same state as applying it once.
/// </summary>
public interface IInboundEventHandler
{
    bool Handles(string eventType);

    Task HandleAsync(InboundEvent inboundEvent, CancellationToken cancellationToken);
}
