using ContactCenter.Core.State;

namespace ContactCenter.Core.Events;

public enum InboundEventOutcome
{
    /// <summary>At least one handler applied the event.</summary>
    Applied,

    /// <summary>No handler knows this type yet; it is recorded so the event is not retried forever.</summary>
    Unhandled,

    /// <summary>The ledger shows the event was processed before; nothing was done again.</summary>
    Duplicate,
}

/// <summary>
/// The use case behind the InboundEvents function: skip events already processed, run every handler for the
/// type, then write the event to the ledger. The ledger entry is written last so a failure part-way leaves the
/// event unrecorded and the retry runs the (idempotent) handlers again: nothing is lost.
/// </summary>
public sealed class InboundEventProcessor(IStateStore store, IEnumerable<IInboundEventHandler> handlers, TimeProvider timeProvider)
{
    private const string LedgerRowKey = "processed";

    public async Task<InboundEventOutcome> ProcessAsync(InboundEvent inboundEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboundEvent);
        var partitionKey = StateKeys.ToSafeKey(inboundEvent.Id);
        if (await store.GetAsync(TableNames.InboundEvents, partitionKey, LedgerRowKey, cancellationToken) is not null)
        {
            return InboundEventOutcome.Duplicate;
        }

        var applied = 0;
        foreach (var handler in handlers.Where(h => h.Handles(inboundEvent.Type)))
        {
            await handler.HandleAsync(inboundEvent, cancellationToken);
            applied++;
        }

        var record = new StateEntity(partitionKey, LedgerRowKey, new Dictionary<string, object?>
        {
            ["EventId"] = inboundEvent.Id,
            ["Type"] = inboundEvent.Type,
            ["Source"] = inboundEvent.Source,
            ["Subject"] = inboundEvent.Subject,
            ["EventTime"] = inboundEvent.Time,
            ["ProcessedAt"] = timeProvider.GetUtcNow(),
            ["Handled"] = applied > 0,
        });
        try
        {
            await store.InsertAsync(TableNames.InboundEvents, record, cancellationToken);
        }
        catch (StateConflictException)
        {
            // A concurrent delivery of the same event finished first; the handlers are idempotent, so both agree.
            return InboundEventOutcome.Duplicate;
        }
        return applied > 0 ? InboundEventOutcome.Applied : InboundEventOutcome.Unhandled;
    }
}
