namespace ContactCenter.Core.Channels;

/// <summary>How a text travels: GSM-7 (7-bit, the GSM 03.38 alphabet) or UCS-2 (16-bit) once any other character is in it.</summary>
public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>
/// A text measured as carriers bill it. <see cref="Units"/> are septets for GSM-7 (extension-table characters take two)
/// or UTF-16 code units for UCS-2 (an emoji takes two); <see cref="Characters"/> is the string's length, which ACS limits.
/// </summary>
public sealed record SmsLength(SmsEncoding Encoding, int Units, int Segments, int Characters);

/// <summary>
/// Encoding and segment count of a text, and the limit the outbox enforces. One segment holds 160 GSM-7 septets or
/// 70 UCS-2 units; a longer text is concatenated from segments of 153 or 67 (the rest is the concatenation header),
/// and an escape sequence or a surrogate pair is never split between two segments, so the count is exact.
/// </summary>
public static class SmsText
{
    public const int SingleGsm7 = 160;
    public const int MultipartGsm7 = 153;
    public const int SingleUcs2 = 70;
    public const int MultipartUcs2 = 67;

    /// <summary>The default most segments a text may take: beyond it handsets and carriers reassemble unreliably, and each costs.</summary>
    public const int DefaultMaxSegments = 10;

    /// <summary>ACS's limit on a message's length (SendMessageRequest.message maxLength).</summary>
    public const int MaxCharacters = 2048;

    // GSM 03.38 default alphabet (one septet each), in table order; ESC (0x1B) is not a character of its own.
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // The extension table: ESC plus the character, so two septets each.
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    /// <summary>Septets the character takes in GSM-7 (1 or 2), or 0 when GSM-7 cannot carry it.</summary>
    public static int Gsm7Septets(char c) => BasicSet.Contains(c) ? 1 : ExtensionSet.Contains(c) ? 2 : 0;

    public static SmsLength Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var gsm7 = true;
        foreach (var c in text)
        {
            if (Gsm7Septets(c) == 0)
            {
                gsm7 = false;
                break;
            }
        }
        return gsm7 ? Count(text, SmsEncoding.Gsm7, SingleGsm7, MultipartGsm7) : Count(text, SmsEncoding.Ucs2, SingleUcs2, MultipartUcs2);
    }

    /// <summary>The text's length when it may be sent; throws <see cref="SmsTooLongException"/> saying by how much it is over.</summary>
    public static SmsLength EnsureSendable(string text, int maxSegments = DefaultMaxSegments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        var length = Measure(text);
        return length.Segments > maxSegments || length.Characters > MaxCharacters ? throw new SmsTooLongException(length, maxSegments) : length;
    }

    private static SmsLength Count(string text, SmsEncoding encoding, int single, int multipart)
    {
        var units = 0;
        for (var i = 0; i < text.Length; i++)
        {
            units += Units(text, i, encoding);
        }
        if (units <= single)
        {
            return new SmsLength(encoding, units, 1, text.Length);
        }
        // Fill segments greedily, never splitting one character's units between two of them.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var size = Units(text, i, encoding);
            if (encoding == SmsEncoding.Ucs2 && size == 2)
            {
                i++; // the low surrogate travels with its high surrogate
            }
            if (used + size > multipart)
            {
                segments++;
                used = 0;
            }
            used += size;
        }
        return new SmsLength(encoding, units, segments, text.Length);
    }

    // For UCS-2 a surrogate pair is counted once, at its high surrogate, as two units.
    private static int Units(string text, int i, SmsEncoding encoding) => encoding switch
    {
        SmsEncoding.Gsm7 => Gsm7Septets(text[i]),
        _ when char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => 2,
        _ when char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]) => 0,
        _ => 1,
    };
}

/// <summary>The text would take more segments (or characters) than allowed; nothing was sent.</summary>
public sealed class SmsTooLongException(SmsLength length, int maxSegments) : Exception(
    length.Characters > SmsText.MaxCharacters
        ? $"The text is {length.Characters} characters; at most {SmsText.MaxCharacters} can be sent."
        : $"The text needs {length.Segments} {length.Encoding} segments ({length.Units} units); at most {maxSegments} are allowed. " +
          (length.Encoding == SmsEncoding.Ucs2 ? "It contains characters outside GSM-7 (emoji, some accents), which makes each segment hold 67 instead of 153." : "Shorten it."))
{
    public SmsLength Length { get; } = length;
    public int MaxSegments { get; } = maxSegments;
}
