namespace ContactCenter.Core.Voice;

/// <summary>
/// Reads and writes call targets as text, in the communication identifier "raw id" form ACS uses in its events:
/// "4:+14255550123" (phone), "8:acs:..." (ACS user), "8:orgid:&lt;object id&gt;" (Teams user). A bare E.164 number is
/// a phone too, so agents and settings can say "+14255550123".
/// </summary>
public static class CallAddresses
{
    public static bool TryParse(string? text, out CallTarget target)
    {
        target = null!;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        try
        {
            if (value.StartsWith("4:", StringComparison.Ordinal))
            {
                target = new CallTarget.PhoneNumber(value[2..]);
            }
            else if (value.StartsWith('+'))
            {
                target = new CallTarget.PhoneNumber(value);
            }
            else if (value.StartsWith("8:orgid:", StringComparison.Ordinal) && value.Length > 8)
            {
                target = new CallTarget.TeamsUser(value[8..]);
            }
            else if (value.StartsWith("8:acs:", StringComparison.Ordinal) || value.StartsWith("8:spool:", StringComparison.Ordinal))
            {
                target = new CallTarget.CommunicationUser(value);
            }
            else
            {
                return false;
            }
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static CallTarget Parse(string text) => TryParse(text, out var target)
        ? target
        : throw new FormatException($"'{text}' is not a call address: use an E.164 number (+14255550123), an ACS user (8:acs:...) or a Teams user (8:orgid:<object id>).");

    public static string ToRawId(CallTarget target) => target switch
    {
        CallTarget.PhoneNumber phone => $"4:{phone.Value}",
        CallTarget.CommunicationUser user => user.Id,
        CallTarget.TeamsUser teams => $"8:orgid:{teams.UserId}",
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>The same party however it was written ("+1..." and "4:+1..." match).</summary>
    public static bool SameParty(string? a, string? b) =>
        TryParse(a, out var x) && TryParse(b, out var y) ? ToRawId(x) == ToRawId(y) : string.Equals(a, b, StringComparison.Ordinal);
}
