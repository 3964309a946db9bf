namespace ContactCenter.Core.Channels;

public enum SmsKeyword
{
    /// <summary>An ordinary message.</summary>
    None,

    /// <summary>The customer wants no more texts from this number.</summary>
    OptOut,

    /// <summary>The customer wants texts again.</summary>
    OptIn,

    /// <summary>The customer asks who we are and how to stop.</summary>
    Help,
}

/// <summary>
/// The standard SMS keywords (CTIA / carrier practice): a message that is exactly one of them, ignoring case and
/// surrounding whitespace, is the keyword; "Please stop calling me" is an ordinary message for an agent to read.
/// </summary>
public static class SmsKeywords
{
    public static IReadOnlySet<string> OptOutWords { get; } = Words("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    public static IReadOnlySet<string> OptInWords { get; } = Words("START", "UNSTOP", "YES");
    public static IReadOnlySet<string> HelpWords { get; } = Words("HELP", "INFO");

    public static SmsKeyword Classify(string? text)
    {
        var word = text?.Trim();
        if (string.IsNullOrEmpty(word))
        {
            return SmsKeyword.None;
        }
        return OptOutWords.Contains(word) ? SmsKeyword.OptOut
            : OptInWords.Contains(word) ? SmsKeyword.OptIn
            : HelpWords.Contains(word) ? SmsKeyword.Help
            : SmsKeyword.None;
    }

    private static HashSet<string> Words(params string[] words) => new(words, StringComparer.OrdinalIgnoreCase);
}
