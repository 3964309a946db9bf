using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ContactCenter.Infra.Tests.Infrastructure;

/// <summary>The real Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package, and where the repository is.</summary>
public static class BicepCli
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string InfraDirectory { get; } = Path.Combine(RepositoryRoot, "infra");

    private static readonly Lazy<ArmTemplate> CompiledMain = new(() => Compile(Path.Combine(InfraDirectory, "main.bicep")));

    /// <summary>infra/main.bicep compiled once for all tests.</summary>
    public static ArmTemplate Main => CompiledMain.Value;

    private static string ExecutablePath { get; } = Metadata("BicepPath");

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Diagnostics look like "path(line,col) : Warning rule-name: message"; any Warning or Error fails the gate.</summary>
        public IReadOnlyList<string> Diagnostics =>
            (StandardOutput + "\n" + StandardError).Split('\n')
                .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal) || line.Contains(" : Error ", StringComparison.Ordinal))
                .Select(line => line.Trim())
                .ToList();
    }

    public static Result Build(string bicepFile) => Run("build", bicepFile, "--stdout");

    public static Result Lint(string bicepFile) => Run("lint", bicepFile);

    /// <summary>
    /// Runs <paramref name="command"/> (<see cref="Build"/> or <see cref="Lint"/>) on a probe template written beside a
    /// copy of infra/bicepconfig.json, so a test can prove what the gate catches under the project's own rules.
    /// </summary>
    public static Result Probe(string template, Func<string, Result> command)
    {
        var directory = Directory.CreateTempSubdirectory("bicep-probe-");
        try
        {
            File.Copy(Path.Combine(InfraDirectory, "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var probe = Path.Combine(directory.FullName, "probe.bicep");
            File.WriteAllText(probe, template);
            return command(probe);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Compiles a template to ARM JSON, failing with the CLI's diagnostics if it does not compile cleanly.</summary>
    public static ArmTemplate Compile(string bicepFile)
    {
        var result = Build(bicepFile);
        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0,
            $"bicep build {bicepFile} exited {result.ExitCode}:\n{string.Join('\n', result.Diagnostics)}\n{result.StandardError}");
        return new ArmTemplate(JsonNode.Parse(result.StandardOutput)!.AsObject());
    }

    private static Result Run(params string[] arguments)
    {
        Assert.True(File.Exists(ExecutablePath), $"The Bicep CLI is not at {ExecutablePath}: restore Azure.Bicep.CommandLine.linux-x64.");
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = InfraDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No telemetry, no update checks: the machine is offline.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bicep {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
