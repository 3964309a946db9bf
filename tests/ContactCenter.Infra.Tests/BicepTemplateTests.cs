using ContactCenter.Infra.Tests.Infrastructure;

namespace ContactCenter.Infra.Tests;

/// <summary>Every template compiles with zero warnings, with the real CLI.</summary>
public sealed class BicepTemplateTests
{
    public static TheoryData<string> Templates() =>
        new(Directory.GetFiles(BicepCli.InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(BicepCli.InfraDirectory, path))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_builds_without_warnings(string template)
    {
        var result = BicepCli.Build(Path.Combine(BicepCli.InfraDirectory, template));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
        Assert.StartsWith("{", result.StandardOutput.TrimStart());
    }

    [Fact]
    public void Infra_has_main_and_every_module_it_uses()
    {
        Assert.True(File.Exists(Path.Combine(BicepCli.InfraDirectory, "main.bicep")));
        Assert.True(File.Exists(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")));
        var main = File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.bicep"));
        Assert.Contains("targetScope = 'subscription'", main);
        Assert.DoesNotContain("br/public:", main); // registry modules cannot be restored offline
    }

    [Fact]
    public void The_gate_sees_a_warning_the_cli_exits_zero_on()
    {
        // A template with an unused variable under a copy of infra/bicepconfig.json: the linter reports it; the
        // helper must see it whatever the exit code.
        var result = BicepCli.Probe("var unused = 'x'\noutput ok string = 'ok'\n", BicepCli.Lint);

        Assert.Contains(result.Diagnostics, d => d.Contains("no-unused-vars", StringComparison.Ordinal));
    }
}

/// <summary>Every template lints with zero warnings under infra/bicepconfig.json (a class of its own: runs beside the builds).</summary>
public sealed class BicepLintTests
{
    [Theory]
    [MemberData(nameof(BicepTemplateTests.Templates), MemberType = typeof(BicepTemplateTests))]
    public void Template_lints_without_warnings(string template)
    {
        var result = BicepCli.Lint(Path.Combine(BicepCli.InfraDirectory, template));

        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0, string.Join('\n', result.Diagnostics) + result.StandardError);
    }
}
