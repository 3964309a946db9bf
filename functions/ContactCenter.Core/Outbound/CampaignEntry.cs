using System.Text.RegularExpressions;

namespace ContactCenter.Core.Outbound;

public enum EntryState
{
    /// <summary>Waiting for its next attempt (<see cref="CampaignEntry.NextAttemptAt"/>).</summary>
    Pending,
    /// <summary>An attempt is under way; its outcome has not arrived.</summary>
    Dialing,
    /// <summary>A person answered and was connected to the campaign's queue: done.</summary>
    Answered,
    /// <summary>Every attempt the retry policy allows was made without an answer.</summary>
    Exhausted,
    /// <summary>The number is on the do-not-call list; never called.</summary>
    DoNotCall,
    /// <summary>The campaign was cancelled before the entry was answered.</summary>
    Cancelled,
}

/// <summary>One number of a campaign with its attempts. Its id is the number, so a campaign holds each number once.</summary>
public sealed record CampaignEntry(
    string CampaignId,
    string PhoneNumber,
    string? TimeZone,
    string? Name,
    string? Reference,
    EntryState State,
    IReadOnlyList<CallAttempt> Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset AddedAt,
    DateTimeOffset UpdatedAt)
{
    public string Id => PhoneNumber;

    /// <summary>The pacing slot the current attempt holds while Dialing.</summary>
    public int? Slot { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public CallAttempt? CurrentAttempt => State == EntryState.Dialing ? Attempts.LastOrDefault() : null;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsFinished => State is EntryState.Answered or EntryState.Exhausted or EntryState.DoNotCall or EntryState.Cancelled;
}

/// <summary>One call to an entry's number.</summary>
/// <param name="CallId">The provider's call connection id; null until placing returned it.</param>
/// <param name="Note">Why it ended when the provider did not say (placing failed, no outcome arrived in time).</param>
public sealed record CallAttempt(int Number, DateTimeOffset StartedAt, string? CallId, OutboundOutcome? Outcome, DateTimeOffset? EndedAt, string? Note);

/// <summary>A number to add to a campaign, with optional callee details.</summary>
public sealed record NewEntry(string? PhoneNumber, string? TimeZone = null, string? Name = null, string? Reference = null);

public enum EntryAddStatus
{
    Added,
    /// <summary>Already in the campaign (or twice in the request): left as it was.</summary>
    Duplicate,
    /// <summary>Added, but on the do-not-call list, so it will never be called.</summary>
    DoNotCall,
    Invalid,
}

/// <param name="Index">Position in the request, so a caller can match errors to its rows.</param>
public sealed record EntryAddResult(int Index, string? PhoneNumber, EntryAddStatus Status, string? Error = null);

/// <summary>E.164 numbers: '+', a country code that does not start with 0, at most 15 digits in all.</summary>
public static partial class PhoneNumbers
{
    /// <summary>The number in E.164 with spaces, dashes, dots and parentheses removed; null when it is not one.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var compact = string.Concat(input.Where(c => c is not (' ' or '-' or '.' or '(' or ')')));
        return E164().IsMatch(compact) ? compact : null;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();
}
