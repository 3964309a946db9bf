using ContactCenter.Core.State;

namespace ContactCenter.Core.Voice;

/// <summary>A call record and its ETag, for a conditional replace.</summary>
public sealed record StoredCall(CallRecord Call, string ETag);

/// <summary>
/// Calls in Table Storage: partition = call id, row "call"; plus one row per customer with a callback booked
/// (partition "callbacks", row = customer) so a second request from the same customer finds the first.
/// </summary>
public sealed class CallRepository(IStateStore store)
{
    private const string CallRow = "call";
    private const string CallbackPartition = "callbacks";

    public async Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(TableNames.Calls, StateKeys.ToSafeKey(callId), CallRow, cancellationToken);
        return entity is null ? null : new StoredCall(CallRecord.FromJson(entity.GetString("Json")!), entity.ETag!);
    }

    /// <summary>Throws <see cref="StateConflictException"/> when the call exists already.</summary>
    public async Task<StoredCall> InsertAsync(CallRecord call, CancellationToken cancellationToken = default) =>
        new(call, await store.InsertAsync(TableNames.Calls, ToEntity(call), cancellationToken));

    /// <summary>Throws <see cref="StatePreconditionFailedException"/> when someone else changed it since <paramref name="etag"/>.</summary>
    public async Task<StoredCall> ReplaceAsync(CallRecord call, string etag, CancellationToken cancellationToken = default) =>
        new(call, await store.ReplaceAsync(TableNames.Calls, ToEntity(call), etag, cancellationToken));

    /// <summary>Books the customer's open callback, or returns the call id of the one already booked.</summary>
    public async Task<string?> TryBookCallbackAsync(string customer, string callId, CancellationToken cancellationToken = default)
    {
        var row = new StateEntity(CallbackPartition, StateKeys.ToSafeKey(customer), new Dictionary<string, object?> { ["CallId"] = callId });
        try
        {
            await store.InsertAsync(TableNames.Calls, row, cancellationToken);
            return null;
        }
        catch (StateConflictException)
        {
            var existing = await store.GetAsync(TableNames.Calls, CallbackPartition, StateKeys.ToSafeKey(customer), cancellationToken);
            return existing?.GetString("CallId") is { } other && other != callId ? other : null;
        }
    }

    public async Task ReleaseCallbackAsync(string customer, string callId, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetAsync(TableNames.Calls, CallbackPartition, StateKeys.ToSafeKey(customer), cancellationToken);
        if (existing?.GetString("CallId") == callId)
        {
            await store.DeleteAsync(TableNames.Calls, CallbackPartition, StateKeys.ToSafeKey(customer), existing.ETag, cancellationToken);
        }
    }

    private static StateEntity ToEntity(CallRecord call) => new(StateKeys.ToSafeKey(call.Id), CallRow, new Dictionary<string, object?>
    {
        ["Json"] = call.ToJson(),
        ["Stage"] = call.Stage.ToString(),
        ["Customer"] = call.Customer,
    });
}
