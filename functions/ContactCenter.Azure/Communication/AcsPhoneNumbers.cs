using PhoneNumbers;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Phone numbers as ACS writes them, to E.164 with libphonenumber: "+14255550100", "14255550100" (the Event Grid SMS
/// samples write "From": "15555555555" — learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events),
/// "4:14255550100" or "4:+14255550100_&lt;asserted id&gt;" raw ids (Azure/azure-sdk-for-net
/// sdk/communication/Azure.Communication.Common/tests/CommunicationIdentifierTest.cs), or formatted ("+1 (425) 555-0100").
/// </summary>
/// <remarks>
/// Here in the adapter, not in the core: a number without '+' is ambiguous in general (national or international), and
/// reading it as international is a fact about what ACS sends. The core keeps its own strict E.164 type
/// (<see cref="Core.Voice.CallTarget.PhoneNumber"/>) and receives numbers already normalized, or the raw text when
/// there is no number to be had (then it files the sender by that raw identity).
/// </remarks>
public static class AcsPhoneNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164, or null when <paramref name="text"/> holds no possible phone number.</summary>
    public static string? ToE164(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var value = text.Trim();
        if (value.StartsWith("4:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }
        value = value.Split('_', 2)[0];
        // ACS numbers are international: digits without '+' carry their country code.
        if (value.Length > 0 && value[0] != '+' && char.IsAsciiDigit(value[0]))
        {
            value = "+" + value;
        }
        if (!value.StartsWith('+'))
        {
            return null;
        }
        try
        {
            var number = Util.Parse(value, "ZZ");
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The E.164 number, or the text as sent (trimmed) when it is none, so nothing is refused for its format.</summary>
    public static string OrRaw(string text) => ToE164(text) ?? text.Trim();
}
