using System.Text.Json;

namespace ContactCenter.Functions.Hosting;

/// <summary>
/// Writes the part of the deployable package that comes from code: one folder per function with its
/// function.json (run by the Publish target as `ContactCenter.Functions --write-function-metadata DIR`).
/// </summary>
public static class FunctionAppLayout
{
    /// <summary>Must equal host.json's extensions.http.routePrefix (a test checks it).</summary>
    public const string HttpRoutePrefix = "api";

    public const string WriteMetadataArgument = "--write-function-metadata";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<string> Write(string outputDirectory, IEnumerable<FunctionDefinition> functions)
    {
        var written = new List<string>();
        foreach (var function in functions)
        {
            var folder = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "function.json");
            File.WriteAllText(path, function.ToFunctionJson().ToJsonString(Indented) + Environment.NewLine);
            written.Add(path);
        }
        return written;
    }
}
