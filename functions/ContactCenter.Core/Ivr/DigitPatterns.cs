using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ContactCenter.Core.Ivr;

/// <summary>
/// The patterns collectDigits nodes check entries against, compiled once per pattern. Non-backtracking, so matching
/// takes time linear in the input whatever the pattern: no timeout is needed, and none can fire on a busy machine
/// (a time-limited match of a correct entry used to fail under load). Constructs the engine cannot run in linear time
/// (backreferences, lookarounds) are refused when the flows are validated.
/// </summary>
internal static class DigitPatterns
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for a pattern that cannot be used.</summary>
    public static Regex Get(string pattern) =>
        Compiled.GetOrAdd(pattern, p => new Regex($"^(?:{p})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
}
