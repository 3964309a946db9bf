using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core.Teams;
using ContactCenter.Integration.Tests.Infrastructure;
using ContactCenter.TeamsPackage;

namespace ContactCenter.Integration.Tests.Teams;

/// <summary>
/// The Teams app package: placeholders filled, the zip's layout, the icons Teams asks for, and the manifest valid
/// against Microsoft's JSON schema for its version (from the @microsoft/app-manifest npm package, checked with ajv).
/// </summary>
public sealed class TeamsPackageTests
{
    private const string Host = "contoso-cc.azurewebsites.net";
    private const string ClientId = "11111111-2222-4333-8444-555555555555";
    private static readonly string TeamsDir = Path.Combine(RepositoryPaths.Root, "teams");
    private static readonly SemaphoreSlim NpmGate = new(1, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (string Zip, string Dir) Build(TeamsPackageSettings? settings = null)
    {
        var output = Directory.CreateTempSubdirectory("teams-package-").FullName;
        return (TeamsAppPackage.Build(TeamsDir, output, settings ?? new TeamsPackageSettings(Host, ClientId)), output);
    }

    [Fact]
    public void The_package_holds_the_filled_manifest_and_both_icons_at_its_root()
    {
        var (zipPath, _) = Build(new TeamsPackageSettings(Host.ToUpperInvariant(), ClientId, "0b9c3f1e-2d4a-4c6b-8e7f-1a2b3c4d5e6f", "1.2.3"));

        using var zip = ZipFile.OpenRead(zipPath);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        string text;
        using (var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open()))
        {
            text = reader.ReadToEnd();
        }
        Assert.DoesNotContain("{{", text);
        var manifest = JsonNode.Parse(text)!;
        Assert.Equal("0b9c3f1e-2d4a-4c6b-8e7f-1a2b3c4d5e6f", manifest["id"]!.GetValue<string>());
        Assert.Equal("1.2.3", manifest["version"]!.GetValue<string>());
        var tab = manifest["staticTabs"]![0]!;
        Assert.Equal(TeamsAppOptions.WorkspaceTabEntityId, tab["entityId"]!.GetValue<string>());
        Assert.Equal($"https://{Host}/api/agent/?host=teams", tab["contentUrl"]!.GetValue<string>());
        Assert.Equal("""["personal"]""", tab["scopes"]!.ToJsonString());
        Assert.Equal($$"""["{{Host}}"]""", manifest["validDomains"]!.ToJsonString());
        Assert.Equal(ClientId, manifest["webApplicationInfo"]!["id"]!.GetValue<string>());
        Assert.Equal($"api://{Host}/{ClientId}", manifest["webApplicationInfo"]!["resource"]!.GetValue<string>());
        Assert.Equal(("color.png", "outline.png"), (manifest["icons"]!["color"]!.GetValue<string>(), manifest["icons"]!["outline"]!.GetValue<string>()));
    }

    [Fact]
    public void The_declared_activity_type_is_the_one_offers_are_sent_with_and_its_template_uses_exactly_their_parameters()
    {
        var (_, dir) = Build();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;
        var activity = Assert.Single(manifest["activities"]!["activityTypes"]!.AsArray())!;
        Assert.Equal(TeamsActivityTypes.OfferReceived, activity["type"]!.GetValue<string>());

        var notifier = new TeamsOfferNotifier(null!, null!, new TeamsAppOptions("app"), TimeProvider.System);
        var sent = notifier.OfferNotification("user", new("c1", ContactCenter.Core.Routing.Channel.Voice, "sales", null, null, DateTimeOffset.UtcNow));
        var placeholders = Regex.Matches(activity["templateText"]!.GetValue<string>(), @"\{(\w+)\}").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(sent.TemplateParameters.Select(p => p.Key).Order(StringComparer.Ordinal), placeholders);
    }

    [Fact]
    public void The_icons_are_192_color_and_32_white_on_transparent_outline_and_the_committed_copies_are_what_the_tool_draws()
    {
        var color = PngIcons.Color();
        var outline = PngIcons.Outline();
        Assert.Equal((192, 192, true), PngIcons.ReadHeader(color));
        Assert.Equal((32, 32, true), PngIcons.ReadHeader(outline));

        var colorPixels = PngIcons.ReadPixels(color);
        Assert.All(colorPixels.Where((_, i) => i % 4 == 3), alpha => Assert.Equal(255, alpha)); // full-bleed, opaque
        var outlinePixels = PngIcons.ReadPixels(outline).Chunk(4).ToList();
        Assert.All(outlinePixels, p => Assert.True(p[3] == 0 || p is [255, 255, 255, 255], $"pixel {string.Join(",", p)} is neither transparent nor white"));
        Assert.Contains(outlinePixels, p => p[3] == 255);
        Assert.Contains(outlinePixels, p => p[3] == 0);

        Assert.Equal(color, File.ReadAllBytes(Path.Combine(TeamsDir, "color.png")));
        Assert.Equal(outline, File.ReadAllBytes(Path.Combine(TeamsDir, "outline.png")));
    }

    [Fact]
    public void The_same_host_and_client_id_give_the_same_app_id()
    {
        var first = JsonNode.Parse(TeamsAppPackage.Manifest(File.ReadAllText(Path.Combine(TeamsDir, TeamsAppPackage.TemplateFile)), new(Host, ClientId)))!["id"]!.GetValue<string>();
        Assert.Equal(TeamsAppPackage.StableAppId(Host, Guid.Parse(ClientId)).ToString("D"), first);
        Assert.NotEqual(first, TeamsAppPackage.StableAppId("other.example.com", Guid.Parse(ClientId)).ToString("D"));
    }

    [Theory]
    [InlineData("https://contoso-cc.azurewebsites.net", ClientId, null, "1.0.0", "bare host name")]
    [InlineData("contoso-cc.azurewebsites.net/api", ClientId, null, "1.0.0", "bare host name")]
    [InlineData(Host, "my-app", null, "1.0.0", "not a GUID")]
    [InlineData(Host, ClientId, "teams-app", "1.0.0", "not a GUID")]
    [InlineData(Host, ClientId, null, "1.0", "major.minor.patch")]
    public void Bad_settings_are_refused_with_a_clear_message(string host, string clientId, string? appId, string version, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => TeamsAppPackage.Manifest("{}", new TeamsPackageSettings(host, clientId, appId, version)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task The_manifest_is_valid_against_the_Teams_schema_for_its_version_and_a_broken_one_is_not()
    {
        var (_, dir) = Build();
        var valid = await ValidateAsync(Path.Combine(dir, "manifest.json"));
        Assert.True(valid.ExitCode == 0, valid.Output);
        Assert.Contains("v1.22/MicrosoftTeams.schema.json", valid.Output);

        // The same manifest with what the schema forbids: the check is real.
        var broken = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;
        broken["id"] = "not-a-guid";
        broken["name"]!["short"] = new string('x', 31);
        broken["activities"]!["activityTypes"]![0]!["templateText"] = new string('y', 129);
        var brokenPath = Path.Combine(dir, "broken.json");
        File.WriteAllText(brokenPath, broken.ToJsonString());
        var invalid = await ValidateAsync(brokenPath);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("/id must match pattern", invalid.Output);
        Assert.Contains("/name/short must NOT have more than 30 characters", invalid.Output);
        Assert.Contains("/activities/activityTypes/0/templateText", invalid.Output);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string manifestPath)
    {
        await NpmGate.WaitAsync(Ct);
        try
        {
            if (!File.Exists(Path.Combine(TeamsDir, "node_modules", "@microsoft", "app-manifest", "package.json")))
            {
                var install = await RunAsync("npm", "ci --no-audit --no-fund");
                Assert.True(install.ExitCode == 0, "npm ci in teams/ failed: " + install.Output);
            }
        }
        finally
        {
            NpmGate.Release();
        }
        return await RunAsync("node", $"validate-manifest.mjs \"{manifestPath}\"");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = TeamsDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not run {file}.");
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + await error);
    }
}
