namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>Finds the repository from the test binaries, so tests can use host.json, the built app and node_modules.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whichever configuration these tests were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string FunctionsProject => Path.Combine(Root, "functions", "ContactCenter.Functions");

    /// <summary>The function app as `dotnet build` left it, beside the tests' own build.</summary>
    public static string BuiltFunctionApp => Path.Combine(FunctionsProject, "bin", Configuration, "net10.0", "ContactCenter.Functions.dll");

    public static string HostJson => Path.Combine(Root, "host.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ContactCenter.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
