namespace ContactCenter.Core.Voice;

/// <summary>
/// Reads and writes call targets as text, in the communication identifier "raw id" form ACS uses in its events:
/// "4:+14255550123" (phone), "8:acs:..." (ACS user), "8:orgid:&lt;object id&gt;" (Teams user) and the other kinds
/// below. A bare E.164 number is a phone too, so agents and settings can say "+14255550123".
/// </summary>
/// <remarks>
/// The prefixes and the rule that a non-phone raw id has exactly three ':'-separated segments follow
/// CommunicationIdentifier.FromRawId (Azure/azure-sdk-for-net sdk/communication/Azure.Communication.Common/src/CommunicationIdentifier.cs)
/// and its tests (tests/CommunicationIdentifierTest.cs: "8:gcch-acs:segment4:..." and "48:..." are unknown, "28:&lt;guid&gt;"
/// with two segments is unknown, "4:112345556789" and "4:+112345556789" are both phones, "4:&lt;number&gt;_&lt;asserted id&gt;"
/// is a phone with an asserted id).
/// </remarks>
public static class CallAddresses
{
    private const string Phone = "4:";

    /// <summary>A known kind of target (never <see cref="CallTarget.Unknown"/>): for input that must name a real party.</summary>
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
            if (value.StartsWith(Phone, StringComparison.OrdinalIgnoreCase))
            {
                return PhoneOf(value[Phone.Length..]) is { } phone && Assign(phone, out target);
            }
            if (value.StartsWith('+'))
            {
                target = new CallTarget.PhoneNumber(value);
                return true;
            }
            var segments = value.Split(':');
            if (segments.Length != 3 || segments[2].Length == 0)
            {
                return false;
            }
            CallTarget? parsed = $"{segments[0]}:{segments[1]}:" switch
            {
                "8:teamsvisitor:" => new CallTarget.TeamsUser(segments[2], CallTarget.PublicCloud, isAnonymous: true),
                "8:orgid:" => new CallTarget.TeamsUser(segments[2]),
                "8:dod:" => new CallTarget.TeamsUser(segments[2], "dod"),
                "8:gcch:" => new CallTarget.TeamsUser(segments[2], "gcch"),
                "8:acs:" or "8:spool:" or "8:dod-acs:" or "8:gcch-acs:" => new CallTarget.CommunicationUser(value),
                "28:orgid:" => new CallTarget.TeamsApp(segments[2]),
                "28:dod:" => new CallTarget.TeamsApp(segments[2], "dod"),
                "28:gcch:" => new CallTarget.TeamsApp(segments[2], "gcch"),
                _ => null,
            };
            return parsed is not null && Assign(parsed, out target);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The target a provider's raw id names; an id of a kind the app does not know (or a phone id that holds no
    /// number, such as "4:anonymous") is kept as <see cref="CallTarget.Unknown"/> instead of refused.
    /// </summary>
    public static CallTarget FromRawId(string rawId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rawId);
        return TryParse(rawId, out var target) ? target : new CallTarget.Unknown(rawId.Trim());
    }

    public static CallTarget Parse(string text) => TryParse(text, out var target)
        ? target
        : throw new FormatException($"'{text}' is not a call address: use an E.164 number (+14255550123), an ACS user (8:acs:...) or a Teams user (8:orgid:<object id>).");

    public static string ToRawId(CallTarget target) => target switch
    {
        CallTarget.PhoneNumber phone => $"{Phone}{phone.Value}",
        CallTarget.CommunicationUser user => user.Id,
        CallTarget.TeamsUser { IsAnonymous: true } visitor => $"8:teamsvisitor:{visitor.UserId}",
        CallTarget.TeamsUser teams => $"8:{CloudPrefix(teams.Cloud)}:{teams.UserId}",
        CallTarget.TeamsApp app => $"28:{CloudPrefix(app.Cloud)}:{app.AppId}",
        CallTarget.Unknown unknown => unknown.RawId,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>The same party however it was written ("+1...", "4:+1..." and "4:1..." match).</summary>
    public static bool SameParty(string? a, string? b) =>
        TryParse(a, out var x) && TryParse(b, out var y) ? ToRawId(x) == ToRawId(y) : string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>
    /// The number in a phone raw id: "+14255550123", "14255550123" (older services wrote the number without '+'), or
    /// either with "_&lt;asserted id&gt;" (one connection among several through the same number). Null when it holds none.
    /// </summary>
    private static CallTarget.PhoneNumber? PhoneOf(string value)
    {
        var number = value.Split('_', 2)[0];
        if (number.Length > 0 && number[0] != '+' && number.All(char.IsAsciiDigit))
        {
            number = "+" + number;
        }
        try
        {
            return new CallTarget.PhoneNumber(number);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string CloudPrefix(string cloud) => cloud switch
    {
        CallTarget.PublicCloud => "orgid",
        _ => cloud,
    };

    private static bool Assign(CallTarget value, out CallTarget target)
    {
        target = value;
        return true;
    }
}
