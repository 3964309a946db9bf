using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ContactCenter.TeamsPackage;

/// <summary>What fills the manifest template's placeholders.</summary>
/// <param name="Host">Where the function app is reached, a bare host name (contoso-cc.azurewebsites.net).</param>
/// <param name="ClientId">The Entra app registration's client id: Teams SSO's webApplicationInfo.id.</param>
/// <param name="AppId">The Teams app id (a GUID); null derives a stable one from the host and client id.</param>
public sealed record TeamsPackageSettings(string Host, string ClientId, string? AppId = null, string Version = "1.0.0");

/// <summary>
/// Fills teams/manifest.template.json and writes the app package: manifest.json, color.png and outline.png at the
/// zip's root, as Teams sideloading and the admin center expect.
/// </summary>
public static partial class TeamsAppPackage
{
    public const string TemplateFile = "manifest.template.json";
    public const string PackageFile = "contact-center.zip";

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    private static partial Regex Semver();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The manifest with every placeholder filled; throws <see cref="ArgumentException"/> on bad settings or an unknown placeholder.</summary>
    public static string Manifest(string template, TeamsPackageSettings settings)
    {
        var host = settings.Host.Trim().ToLowerInvariant();
        if (!HostName().IsMatch(host))
        {
            throw new ArgumentException($"Host '{settings.Host}' is not a bare host name: give e.g. contoso-cc.azurewebsites.net (no https://, no path).");
        }
        if (!Guid.TryParseExact(settings.ClientId.Trim(), "D", out var clientId))
        {
            throw new ArgumentException($"Client id '{settings.ClientId}' is not a GUID: give the Entra app registration's Application (client) ID.");
        }
        var appId = settings.AppId is null ? StableAppId(host, clientId) : Guid.TryParseExact(settings.AppId.Trim(), "D", out var given) ? given
            : throw new ArgumentException($"App id '{settings.AppId}' is not a GUID.");
        if (!Semver().IsMatch(settings.Version))
        {
            throw new ArgumentException($"Version '{settings.Version}' is not major.minor.patch.");
        }
        var values = new Dictionary<string, string>
        {
            ["host"] = host,
            ["clientId"] = clientId.ToString("D"),
            ["appId"] = appId.ToString("D"),
            ["version"] = settings.Version,
        };
        return Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value) ? value
            : throw new ArgumentException($"The template names an unknown placeholder {match.Value}."));
    }

    /// <summary>The same host and client id always give the same app id, so a rebuilt package updates the installed app.</summary>
    public static Guid StableAppId(string host, Guid clientId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"contact-center-teams-app\n{host}\n{clientId:D}"));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5-style (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Writes manifest.json, the icons and the zip into <paramref name="outputDirectory"/>; returns the zip's path.</summary>
    public static string Build(string teamsDirectory, string outputDirectory, TeamsPackageSettings settings)
    {
        var manifest = Manifest(File.ReadAllText(Path.Combine(teamsDirectory, TemplateFile)), settings);
        Directory.CreateDirectory(outputDirectory);
        var files = new (string Name, byte[] Content)[]
        {
            ("manifest.json", new UTF8Encoding(false).GetBytes(manifest)),
            ("color.png", PngIcons.Color()),
            ("outline.png", PngIcons.Outline()),
        };
        var zipPath = Path.Combine(outputDirectory, PackageFile);
        File.Delete(zipPath);
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in files)
            {
                File.WriteAllBytes(Path.Combine(outputDirectory, name), content);
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero); // reproducible zips
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return zipPath;
    }
}
