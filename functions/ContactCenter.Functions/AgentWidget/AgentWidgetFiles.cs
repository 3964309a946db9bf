using System.Collections.Frozen;
using System.Reflection;

namespace ContactCenter.Functions.AgentWidget;

/// <summary>
/// The console's files, embedded in the app assembly (AgentWidget.targets) so the same binary serves them under the
/// Functions host, in local mode and after a Native AOT publish, with nothing to copy beside it.
/// Resource names are "agent/" + the path under site/ (or lib/ for the npm browser bundles).
/// </summary>
public static class AgentWidgetFiles
{
    private const string Prefix = "agent/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".json"] = "application/json",
        [".map"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Assembly Assembly = typeof(AgentWidgetFiles).Assembly;

    private static readonly FrozenSet<string> Names = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every embedded path, e.g. "index.html", "lib/signalr.min.js".</summary>
    public static IReadOnlyCollection<string> Paths => Names;

    /// <summary>The file at a request path under the console ("" is index.html), or null when there is none.</summary>
    public static (Stream Content, string ContentType)? Open(string? path)
    {
        var relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        // Only exact embedded names match, so "..", absolute paths or odd encodings can never reach anything else.
        if (!Names.Contains(relative) || !ContentTypes.TryGetValue(Path.GetExtension(relative), out var contentType))
        {
            return null;
        }
        return (Assembly.GetManifestResourceStream(Prefix + relative)!, contentType);
    }
}
