namespace ContactCenter.Core.State;

/// <summary>Base of the store's expected failures; callers decide (retry, report 409/412) instead of crashing.</summary>
public abstract class StateStoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Index of the failing operation when the failure came from a batch.</summary>
    public int? FailedOperationIndex { get; init; }

    /// <summary>The same failure, naming the batch operation that caused it.</summary>
    public StateStoreException AtOperation(int? index) => this switch
    {
        StateConflictException => new StateConflictException(Message, InnerException) { FailedOperationIndex = index },
        StatePreconditionFailedException => new StatePreconditionFailedException(Message, InnerException) { FailedOperationIndex = index },
        _ => new StateNotFoundException(Message, InnerException) { FailedOperationIndex = index },
    };
}

/// <summary>The entity already exists (HTTP 409 on Table Storage).</summary>
public sealed class StateConflictException(string message, Exception? inner = null) : StateStoreException(message, inner);

/// <summary>The ETag no longer matches: someone else wrote first (HTTP 412 on Table Storage).</summary>
public sealed class StatePreconditionFailedException(string message, Exception? inner = null) : StateStoreException(message, inner);

/// <summary>The entity to replace or delete with a precondition is not there (HTTP 404 on Table Storage).</summary>
public sealed class StateNotFoundException(string message, Exception? inner = null) : StateStoreException(message, inner);
