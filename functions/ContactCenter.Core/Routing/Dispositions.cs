namespace ContactCenter.Core.Routing;

/// <summary>
/// How a contact ended, as the agent records it at wrap-up ("resolved", "callback-promised"). The codes are data in the
/// routing rules: a global list every queue offers, plus each queue's own.
/// </summary>
public sealed record DispositionCode(string Code, string Label)
{
    /// <summary>What the agent may write with a disposition (or alone) when completing a contact.</summary>
    public const int MaxNotesLength = 4_000;
}

/// <summary>An agent's wrap-up: a disposition code (required when the queue defines any) and free-text notes.</summary>
public sealed record WrapUpDetails(string? Disposition, string? Notes);

/// <summary>The disposition is not one of the queue's codes, or is missing where the queue requires one: HTTP 400.</summary>
public sealed class InvalidDispositionException(string message, IReadOnlyList<DispositionCode> valid) : ArgumentException(message)
{
    public IReadOnlyList<DispositionCode> Valid { get; } = valid;
}

public static class Dispositions
{
    /// <summary>
    /// Checks a wrap-up against the queue's codes and returns it normalised (code trimmed and lower case, notes trimmed).
    /// Throws <see cref="InvalidDispositionException"/> listing the valid codes.
    /// </summary>
    public static WrapUpDetails Validate(WrapUpDetails wrapUp, QueueDefinition? queue)
    {
        ArgumentNullException.ThrowIfNull(wrapUp);
        var valid = queue?.Dispositions ?? [];
        var notes = string.IsNullOrWhiteSpace(wrapUp.Notes) ? null : wrapUp.Notes.Trim();
        if (notes is { Length: > DispositionCode.MaxNotesLength })
        {
            throw new ArgumentException($"Wrap-up notes are {notes.Length} characters; at most {DispositionCode.MaxNotesLength} are kept.");
        }
        var code = string.IsNullOrWhiteSpace(wrapUp.Disposition) ? null : wrapUp.Disposition.Trim().ToLowerInvariant();
        if (code is null)
        {
            return valid.Count > 0
                ? throw new InvalidDispositionException($"Queue '{queue!.Id}' requires a disposition: use one of {List(valid)}.", valid)
                : new WrapUpDetails(null, notes);
        }
        if (!valid.Any(d => d.Code == code))
        {
            throw new InvalidDispositionException(valid.Count == 0
                ? $"Queue '{queue?.Id}' defines no disposition codes; complete without one."
                : $"'{code}' is not a disposition of queue '{queue!.Id}': use one of {List(valid)}.", valid);
        }
        return new WrapUpDetails(code, notes);
    }

    private static string List(IReadOnlyList<DispositionCode> codes) => string.Join(", ", codes.Select(c => c.Code));
}
