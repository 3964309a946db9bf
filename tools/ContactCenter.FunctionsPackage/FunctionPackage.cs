using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace ContactCenter.FunctionsPackage;

/// <summary>
/// The deployable zip of a custom-handler function app, with Unix file modes in each entry. Zip deploy to Linux
/// (Flex Consumption) extracts modes from the entries; a zip without them leaves the handler non-executable and the
/// host cannot start it (microsoft/vscode-azurefunctions#4497; Azure/azure-functions-core-tools#2510, which is why
/// Core Tools' ZipHelper sets them). On Flex the package is mounted read-only, so the app cannot chmod it later
/// (devlooped/jq#73).
/// </summary>
public static class FunctionPackage
{
    /// <summary>rwxr-xr-x: the handler named in host.json.</summary>
    public const int HandlerMode = 0b111_101_101;

    /// <summary>rw-r--r--: the least every other file gets (Windows file systems have no modes to copy).</summary>
    public const int FileMode = 0b110_100_100;

    private const int RegularFile = 0x8000; // S_IFREG, the file-type bits of st_mode
    private const byte UnixHost = 3; // "version made by" host system 3 = UNIX (PKWARE APPNOTE.TXT 4.4.2)

    public sealed record Result(string Path, string Handler, IReadOnlyList<string> Functions, IReadOnlyList<string> Entries);

    /// <summary>Zips <paramref name="publishDirectory"/> into <paramref name="zipPath"/> after checking it is a complete package.</summary>
    /// <exception cref="InvalidOperationException">host.json, its handler or every function.json is missing.</exception>
    public static Result Create(string publishDirectory, string zipPath)
    {
        var root = Path.GetFullPath(publishDirectory);
        var output = Path.GetFullPath(zipPath);
        var handler = Handler(root);
        var functions = Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d) + "/function.json")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (functions.Count == 0)
        {
            throw new InvalidOperationException($"{root} has no <function>/function.json: publish the app first (its publish target writes them).");
        }

        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !string.Equals(Path.GetFullPath(f), output, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "local.settings.json") // never deployed (azd leaves it out too)
            .Order(StringComparer.Ordinal)
            .ToList();

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using (var stream = File.Create(output))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var name in files)
            {
                var source = Path.Combine(root, name);
                var entry = zip.CreateEntryFromFile(source, name, CompressionLevel.Optimal);
                var mode = name == handler ? HandlerMode : ModeOf(source);
                entry.ExternalAttributes = (RegularFile | mode) << 16;
            }
        }
        MarkMadeOnUnix(output);
        return new Result(output, handler, functions, files);
    }

    /// <summary>customHandler.description.defaultExecutablePath of host.json, which must exist in the folder.</summary>
    private static string Handler(string root)
    {
        var hostJson = Path.Combine(root, "host.json");
        if (!File.Exists(hostJson))
        {
            throw new InvalidOperationException($"{root} has no host.json: not a published function app.");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
        var handler = document.RootElement.TryGetProperty("customHandler", out var custom)
            && custom.TryGetProperty("description", out var description)
            && description.TryGetProperty("defaultExecutablePath", out var path) ? path.GetString() : null;
        if (string.IsNullOrWhiteSpace(handler))
        {
            throw new InvalidOperationException($"{hostJson} names no customHandler.description.defaultExecutablePath.");
        }
        handler = handler.Replace('\\', '/');
        if (!File.Exists(Path.Combine(root, handler)))
        {
            throw new InvalidOperationException($"The handler {handler} named by host.json is not in {root}.");
        }
        return handler;
    }

    private static int ModeOf(string path) =>
        OperatingSystem.IsWindows() ? FileMode : FileMode | ((int)File.GetUnixFileMode(path) & 0b111_111_111);

    /// <summary>
    /// Sets each central-directory record's "version made by" host to UNIX: unzip tools apply the mode in the
    /// external attributes only for entries made on UNIX, and ZipArchive records the OS it runs on (Windows there).
    /// </summary>
    private static void MarkMadeOnUnix(string zipPath)
    {
        var bytes = File.ReadAllBytes(zipPath);
        var end = bytes.Length - 22; // end of central directory record, no archive comment
        if (end < 0 || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end)) != 0x06054b50)
        {
            throw new InvalidOperationException($"{zipPath}: no end of central directory record where expected.");
        }
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        for (var i = 0; i < count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) != 0x02014b50)
            {
                throw new InvalidOperationException($"{zipPath}: central directory record {i} is malformed.");
            }
            bytes[offset + 5] = UnixHost;
            offset += 46
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28))
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30))
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
        }
        File.WriteAllBytes(zipPath, bytes);
    }
}
