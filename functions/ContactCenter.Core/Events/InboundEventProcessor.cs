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

    /// <summary>
    /// A handler could not read the event (a parse error, which no retry cures): it is on the unprocessable list with
    /// its reason, and recorded, so it is neither retried nor dead-lettered.
    /// </summary>
    Parked,
}

/// <summary>
/// The use case behind the InboundEvents function: skip events already processed, run every handler for the
/// type, then write the event to the ledger. The ledger entry is written last so a failure part-way leaves the
/// event unrecorded and the retry runs the (idempotent) handlers again: nothing is lost.
/// </summary>
/// <remarks>
/// A handler's <see cref="FormatException"/> or <see cref="InvalidInboundEventException"/> means the event cannot be
/// read; with an <see cref="Operations.IUnprocessableEvents"/> list it is parked there instead of thrown. Anything else
/// (storage down, a provider's 5xx) still throws, so the host retries.
/// </remarks>
public sealed class InboundEventProcessor(IStateStore store, IEnumerable<IInboundEventHandler> handlers, TimeProvider timeProvider,
    Operations.IUnprocessableEvents? unprocessable = null)
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
        string? parkedBecause = null;
        foreach (var handler in handlers.Where(h => h.Handles(inboundEvent.Type)))
        {
            try
            {
                await handler.HandleAsync(inboundEvent, cancellationToken);
                applied++;
            }
            catch (Exception ex) when (ex is FormatException or InvalidInboundEventException && unprocessable is not null)
            {
                parkedBecause = ex.Message;
                await unprocessable!.ParkAsync("InboundEvents", inboundEvent.Type, inboundEvent.Id, ex.Message, inboundEvent.ToJson(), cancellationToken);
            }
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
            ["Parked"] = parkedBecause,
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
        return parkedBecause is not null ? InboundEventOutcome.Parked
            : applied > 0 ? InboundEventOutcome.Applied : InboundEventOutcome.Unhandled;
    }
}
