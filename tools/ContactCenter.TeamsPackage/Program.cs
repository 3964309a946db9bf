using ContactCenter.TeamsPackage;

// dotnet run --project tools/ContactCenter.TeamsPackage -- --host <host> --client-id <guid> [--app-id <guid>] [--version 1.0.0]
//   [--teams-dir teams] [--out teams/build] ; --icons writes teams/color.png and teams/outline.png (the committed copies).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--help" or "-h")
    {
        Console.WriteLine("""
            Builds the Teams app package (manifest.json + color.png + outline.png in a zip).
              --host       the function app's host name, e.g. contoso-cc.azurewebsites.net   (or TEAMS_HOST)
              --client-id  the Entra app registration's client id used for Teams SSO      (or TEAMS_CLIENT_ID)
              --app-id     the Teams app id (GUID); default: derived from host and client id (or TEAMS_APP_ID)
              --version    the app version, major.minor.patch; default 1.0.0
              --teams-dir  the folder with manifest.template.json; default ./teams
              --out        where to write; default <teams-dir>/build
              --icons      only redraw <teams-dir>/color.png and outline.png
            """);
        return 0;
    }
    if (args[i] == "--icons")
    {
        options["icons"] = "true";
        continue;
    }
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'; see --help.");
        return 2;
    }
    options[args[i][2..]] = args[++i];
}
var teamsDir = Path.GetFullPath(options.GetValueOrDefault("teams-dir") ?? "teams");
if (!File.Exists(Path.Combine(teamsDir, TeamsAppPackage.TemplateFile)))
{
    Console.Error.WriteLine($"No {TeamsAppPackage.TemplateFile} in {teamsDir}: run from the repository root or pass --teams-dir.");
    return 2;
}
if (options.ContainsKey("icons"))
{
    File.WriteAllBytes(Path.Combine(teamsDir, "color.png"), PngIcons.Color());
    File.WriteAllBytes(Path.Combine(teamsDir, "outline.png"), PngIcons.Outline());
    Console.WriteLine($"Wrote {teamsDir}/color.png and outline.png");
    return 0;
}
var host = options.GetValueOrDefault("host") ?? Environment.GetEnvironmentVariable("TEAMS_HOST");
var clientId = options.GetValueOrDefault("client-id") ?? Environment.GetEnvironmentVariable("TEAMS_CLIENT_ID");
if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(clientId))
{
    Console.Error.WriteLine("Give --host and --client-id (see --help).");
    return 2;
}
try
{
    var settings = new TeamsPackageSettings(host, clientId, options.GetValueOrDefault("app-id") ?? Environment.GetEnvironmentVariable("TEAMS_APP_ID"),
        options.GetValueOrDefault("version") ?? "1.0.0");
    var zip = TeamsAppPackage.Build(teamsDir, Path.GetFullPath(options.GetValueOrDefault("out") ?? Path.Combine(teamsDir, "build")), settings);
    Console.WriteLine($"Wrote {zip}");
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
