using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using ContactCenter.Integration.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// Real Table and Blob Storage for the tests: uses the Azurite services already listening on 127.0.0.1:10002 (tables)
/// and 127.0.0.1:10000 (blobs) — CI starts both —, or starts the repository's own (npm ci installs it from
/// package.json) and stops them by their PIDs afterwards.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";
    private const int TablePort = 10002;
    private const int BlobPort = 10000;
    private readonly List<Process> _started = [];

    public TableServiceClient ServiceClient { get; } = new(ConnectionString);

    public async ValueTask InitializeAsync()
    {
        // Each service independently: CI may have started only one of them.
        await EnsureAsync("azurite-table", $"--tableHost 127.0.0.1 --tablePort {TablePort}", TablePort);
        await EnsureAsync("azurite-blob", $"--blobHost 127.0.0.1 --blobPort {BlobPort}", BlobPort);
    }

    private async Task EnsureAsync(string tool, string hostArguments, int port)
    {
        if (await IsListeningAsync(port))
        {
            return;
        }
        var binary = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", tool);
        if (!File.Exists(binary))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", RepositoryPaths.Root);
        }
        var started = Process.Start(new ProcessStartInfo(binary,
            $"{hostArguments} --inMemoryPersistence --skipApiVersionCheck --loose --silent --disableTelemetry")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {tool}.");
        _started.Add(started);
        var deadline = DateTime.UtcNow + Patience.Startup;
        while (!await IsListeningAsync(port))
        {
            if (started.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{tool} did not start: {await started.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var started in _started)
        {
            if (!started.HasExited)
            {
                started.Kill(entireProcessTree: true);
                started.WaitForExit(5000);
            }
            started.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory, UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not run {file}.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}.");
        }
    }
}
