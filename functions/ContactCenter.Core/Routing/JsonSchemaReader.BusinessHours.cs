using System.Globalization;
using System.Text.Json;

namespace ContactCenter.Core.Routing;

// Opening hours are written the same way wherever they appear (a queue's businessHours, an IVR businessHours node):
// { "timeZone": "Europe/London", "weekly": { "mon": ["08:00-18:00"] }, "holidays": ["2026-12-25"] }.
internal abstract partial class JsonSchemaReader<TResult>
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Opening hours at <paramref name="at"/>; <paramref name="missingWeekly"/> is the error when 'weekly' is absent.</summary>
    protected BusinessHours? WeeklyHours(JsonElement hours, string at, string missingWeekly)
    {
        if (!Object(hours, at, ["timeZone", "weekly", "holidays"]))
        {
            return null;
        }
        TimeZoneInfo? zone = null;
        if (String(hours, at, "timeZone", required: true) is { } zoneId)
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Error($"{at}/timeZone", $"Unknown time zone '{zoneId}'; use an IANA id such as Europe/London.");
            }
        }
        var weekly = new Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly, TimeOnly)>>();
        if (!hours.TryGetProperty("weekly", out var days))
        {
            Error(at, missingWeekly);
        }
        else if (Object(days, $"{at}/weekly", Days))
        {
            // Object has reported any other name; only real days are read.
            foreach (var day in days.EnumerateObject().Where(d => Days.Contains(d.Name)))
            {
                var dayAt = $"{at}/weekly/{day.Name}";
                if (OpeningRanges(day.Value, dayAt) is { } ranges)
                {
                    weekly[(DayOfWeek)System.Array.IndexOf(Days, day.Name)] = ranges;
                }
            }
        }
        var holidays = new HashSet<DateOnly>();
        if (Array(hours, at, "holidays") is { } list)
        {
            var i = 0;
            foreach (var day in list.EnumerateArray())
            {
                if (day.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(day.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    holidays.Add(date);
                }
                else
                {
                    Error($"{at}/holidays/{i}", $"'{day}' is not a date such as \"2026-12-25\".");
                }
                i++;
            }
        }
        return zone is null ? null : new BusinessHours(zone, weekly) { Holidays = holidays };
    }

    private List<(TimeOnly, TimeOnly)>? OpeningRanges(JsonElement day, string at)
    {
        if (day.ValueKind != JsonValueKind.Array)
        {
            Error(at, "A day is a list of \"HH:mm-HH:mm\" ranges (empty for closed).");
            return null;
        }
        var ranges = new List<(TimeOnly, TimeOnly)>();
        var i = 0;
        foreach (var range in day.EnumerateArray())
        {
            var parts = range.ValueKind == JsonValueKind.String ? range.GetString()!.Split('-') : [];
            if (parts.Length == 2 && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close) && open < close)
            {
                ranges.Add((open, close));
            }
            else
            {
                Error($"{at}/{i}", $"'{range}' is not an opening range such as \"08:00-18:00\" (open before close).");
            }
            i++;
        }
        return ranges;
    }
}
