using System.Globalization;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Outbound;

/// <summary>Where a campaign is in its life. Only a Running campaign is dialed.</summary>
public enum CampaignStatus
{
    Draft,
    Running,
    Paused,
    /// <summary>Every entry reached an end state (answered, exhausted, do-not-call, cancelled).</summary>
    Completed,
    /// <summary>Stopped for good: pending entries were cancelled; calls in progress finish.</summary>
    Cancelled,
}

/// <summary>
/// An outbound calling campaign: a list of numbers called within local calling hours, retried per outcome, answered
/// calls connected to an agent of <see cref="QueueId"/> through the ACD like any inbound call.
/// </summary>
public sealed record Campaign(
    string Id,
    string Name,
    string QueueId,
    string CallerId,
    string? Greeting,
    string TimeZone,
    CallingWindow CallingHours,
    RetryPolicy Retry,
    int MaxConcurrentCalls,
    CampaignStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>How often and how soon a number is tried again after each kind of unanswered attempt.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included (1-10).</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan NoAnswerDelay, TimeSpan VoicemailDelay, TimeSpan FailedDelay)
{
    public const int MaxAttemptsLimit = 10;

    public static RetryPolicy Default { get; } = new(3, TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromMinutes(15));

    public TimeSpan DelayAfter(OutboundOutcome outcome) => outcome switch
    {
        OutboundOutcome.NoAnswer => NoAnswerDelay,
        OutboundOutcome.Voicemail => VoicemailDelay,
        OutboundOutcome.Failed => FailedDelay,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An answered call is not retried."),
    };
}

/// <summary>
/// The hours a campaign may call, per local day of the callee ("mon": ["09:00-20:00"]), plus dates never called.
/// Kept as text so it stores and serializes as written; <see cref="In"/> gives the ACD's <see cref="BusinessHours"/>
/// in the callee's time zone, so the same opening logic serves queues and campaigns.
/// </summary>
public sealed record CallingWindow
{
    public static readonly IReadOnlyList<string> DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly Open, TimeOnly Close)>> _weekly;
    private readonly HashSet<DateOnly> _holidays;

    /// <exception cref="ArgumentException">A day name, range or date is not valid; the message names it.</exception>
    public CallingWindow(IReadOnlyDictionary<string, IReadOnlyList<string>> weekly, IReadOnlyList<string>? holidays = null)
    {
        ArgumentNullException.ThrowIfNull(weekly);
        _weekly = [];
        var normalized = new SortedDictionary<string, IReadOnlyList<string>>(Comparer<string>.Create((a, b) => Day(a).CompareTo(Day(b))));
        foreach (var (name, ranges) in weekly)
        {
            var day = Day(name);
            var parsed = new List<(TimeOnly, TimeOnly)>();
            foreach (var range in ranges ?? [])
            {
                var parts = range?.Split('-') ?? [];
                if (parts.Length != 2 || !TimeOnly.TryParseExact(parts[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                    || !TimeOnly.TryParseExact(parts[1].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close) || open >= close)
                {
                    throw new ArgumentException($"'{range}' on {name} is not a calling range such as \"09:00-20:00\" (start before end).");
                }
                parsed.Add((open, close));
            }
            _weekly[day] = parsed.OrderBy(r => r.Item1).ToList();
            normalized[DayNames[(int)day]] = _weekly[day].Select(r => $"{r.Item1:HH\\:mm}-{r.Item2:HH\\:mm}").ToList();
        }
        _holidays = [];
        foreach (var date in holidays ?? [])
        {
            _holidays.Add(DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                ? parsed
                : throw new ArgumentException($"'{date}' is not a date such as \"2026-12-25\"."));
        }
        Weekly = new Dictionary<string, IReadOnlyList<string>>(normalized);
        Holidays = _holidays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Monday to Friday, 09:00-20:00 local time.</summary>
    public static CallingWindow Default { get; } = new(new Dictionary<string, IReadOnlyList<string>>
    {
        ["mon"] = ["09:00-20:00"], ["tue"] = ["09:00-20:00"], ["wed"] = ["09:00-20:00"], ["thu"] = ["09:00-20:00"], ["fri"] = ["09:00-20:00"],
    });

    /// <summary>Day ("mon") to its "HH:mm-HH:mm" ranges, normalized; a missing day is closed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Weekly { get; }

    /// <summary>Dates ("yyyy-MM-dd", local to the callee) on which nobody is called.</summary>
    public IReadOnlyList<string> Holidays { get; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasAnyHours => _weekly.Values.Any(r => r.Count > 0);

    /// <summary>These hours as the ACD's business hours in the given zone.</summary>
    public BusinessHours In(TimeZoneInfo zone) =>
        new(zone, _weekly) { Holidays = _holidays };

    /// <summary>
    /// The first instant at or after <paramref name="from"/> inside the window in <paramref name="zone"/>, looking at most
    /// two weeks ahead; null when the window never opens in that span (no hours, or only holidays).
    /// </summary>
    public DateTimeOffset? NextOpening(TimeZoneInfo zone, DateTimeOffset from)
    {
        var hours = In(zone);
        if (hours.IsOpen(from))
        {
            return from;
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        for (var d = 0; d <= 14; d++)
        {
            var date = today.AddDays(d);
            if (_holidays.Contains(date) || !_weekly.TryGetValue(date.DayOfWeek, out var ranges))
            {
                continue;
            }
            foreach (var (open, close) in ranges)
            {
                var opening = ToInstant(zone, date.ToDateTime(open), date.ToDateTime(close));
                if (opening is { } at && at > from && hours.IsOpen(at))
                {
                    return at;
                }
            }
        }
        return null;
    }

    /// <summary>Local wall time to an instant; a start that falls into a spring-forward gap moves to the end of the gap.</summary>
    private static DateTimeOffset? ToInstant(TimeZoneInfo zone, DateTime localStart, DateTime localEnd)
    {
        var local = DateTime.SpecifyKind(localStart, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
            if (local >= localEnd)
            {
                return null;
            }
        }
        // Ambiguous (fall-back) times take the earlier instant: the range opens as soon as the wall clock shows it.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static DayOfWeek Day(string name)
    {
        var index = DayNames.ToList().IndexOf(name?.Trim().ToLowerInvariant() ?? "");
        return index >= 0 ? (DayOfWeek)index : throw new ArgumentException($"'{name}' is not a day; use sun, mon, tue, wed, thu, fri or sat.");
    }

    public bool Equals(CallingWindow? other) =>
        other is not null && Weekly.Count == other.Weekly.Count
        && Weekly.All(d => other.Weekly.TryGetValue(d.Key, out var r) && r.SequenceEqual(d.Value)) && Holidays.SequenceEqual(other.Holidays);

    public override int GetHashCode() => Weekly.Count;
}
