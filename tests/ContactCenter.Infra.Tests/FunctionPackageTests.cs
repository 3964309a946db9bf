using System.Buffers.Binary;
using System.IO.Compression;
using ContactCenter.FunctionsPackage;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Infra.Tests.Infrastructure;

namespace ContactCenter.Infra.Tests;

/// <summary>
/// The deployable zip on a published-like folder: the real host.json, the function.json files the publish target
/// writes (FunctionAppLayout over the catalog), and a handler file without an execute bit, as a Windows publish or a
/// zip without modes leaves it.
/// </summary>
public sealed class FunctionPackageTests : IDisposable
{
    private const string Handler = "ContactCenter.Functions";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("function-package-");

    private string Published => Path.Combine(_work.FullName, "publish");

    private string ZipPath => Path.Combine(_work.FullName, "functions.zip");

    public FunctionPackageTests()
    {
        Directory.CreateDirectory(Published);
        File.Copy(Path.Combine(BicepCli.RepositoryRoot, "host.json"), Path.Combine(Published, "host.json"));
        FunctionAppLayout.Write(Published, FunctionCatalog.All);
        File.WriteAllText(Path.Combine(Published, Handler), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(Published, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(Published, "local.settings.json"), "{}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(Published, Handler), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    [Fact]
    public void The_handler_entry_has_unix_mode_0755_and_host_json_and_every_function_json_are_in_the_zip()
    {
        var result = FunctionPackage.Create(Published, ZipPath);

        Assert.Equal(Handler, result.Handler);
        using var zip = ZipFile.OpenRead(ZipPath);
        var entries = zip.Entries.ToDictionary(e => e.FullName);
        Assert.Equal(Convert.ToInt32("100755", 8), entries[Handler].ExternalAttributes >>> 16); // regular file, rwxr-xr-x
        Assert.Equal(Convert.ToInt32("100644", 8), entries["appsettings.json"].ExternalAttributes >>> 16);
        Assert.Contains("host.json", entries.Keys);
        Assert.All(FunctionCatalog.All, f => Assert.Contains($"{f.Name}/function.json", entries.Keys));
        Assert.Equal(FunctionCatalog.All.Count, result.Functions.Count);
        Assert.DoesNotContain("local.settings.json", entries.Keys);
        // Every central-directory record says "made on UNIX" (APPNOTE 4.4.2), or extractors ignore the mode.
        Assert.All(MadeByHosts(ZipPath), host => Assert.Equal(3, host));
    }

    [Fact]
    public void A_unix_extractor_restores_the_handler_as_executable()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes are restored on Unix only.");
            return;
        }
        FunctionPackage.Create(Published, ZipPath);
        var extracted = Path.Combine(_work.FullName, "extracted");

        ZipFile.ExtractToDirectory(ZipPath, extracted);

        var mode = File.GetUnixFileMode(Path.Combine(extracted, Handler));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, mode);
    }

    [Fact]
    public void A_folder_without_the_handler_host_json_names_is_refused()
    {
        File.Delete(Path.Combine(Published, Handler));

        var error = Assert.Throws<InvalidOperationException>(() => FunctionPackage.Create(Published, ZipPath));

        Assert.Contains(Handler, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ZipPath));
    }

    [Fact]
    public void A_folder_without_host_json_or_function_json_is_refused()
    {
        foreach (var function in FunctionCatalog.All)
        {
            Directory.Delete(Path.Combine(Published, function.Name), recursive: true);
        }
        Assert.Contains("function.json", Assert.Throws<InvalidOperationException>(() => FunctionPackage.Create(Published, ZipPath)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(Published, "host.json"));
        Assert.Contains("host.json", Assert.Throws<InvalidOperationException>(() => FunctionPackage.Create(Published, ZipPath)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>The host byte of "version made by" of each central-directory record, read without ZipArchive.</summary>
    private static List<int> MadeByHosts(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var end = bytes.Length - 22;
        Assert.Equal(0x06054b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end)));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var hosts = new List<int>();
        for (var i = 0; i < BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10)); i++)
        {
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            hosts.Add(bytes[offset + 5]);
            offset += 46 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28))
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30))
                + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
        }
        return hosts;
    }
}
