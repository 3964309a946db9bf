namespace ContactCenter.Core.Tests.Ivr;

/// <summary>Finds the repository's files, and places in a JSON text, for the IVR tests.</summary>
internal static class IvrTestFiles
{
    public static string FunctionsApp { get; } = Path.Combine(RepositoryRoot(), "functions", "ContactCenter.Functions");

    public static string FlowsPath => Path.Combine(FunctionsApp, "ivr-flows.json");

    public static string JourneysPath => Path.Combine(FunctionsApp, "ivr-journeys");

    public static string RoutingRulesPath => Path.Combine(FunctionsApp, "routing-rules.json");

    /// <summary>The 1-based line and column where <paramref name="marker"/> first appears in <paramref name="text"/>.</summary>
    public static (int Line, int Column) At(string text, string marker)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"marker {marker} is not in the text");
        var line = text[..index].Count(c => c == '\n') + 1;
        var column = index - (text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return (line, column);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ContactCenter.Functions.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ContactCenter.Functions.sln) is not above the test binaries.");
    }
}
