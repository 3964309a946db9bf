using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using ContactCenter.Integration.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// Real Table Storage for the tests: uses the Azurite already listening on 127.0.0.1:10002 (CI starts one), or
/// starts the repository's own (npm ci installs it from package.json) and stops it by its PID afterwards.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";
    private const int TablePort = 10002;
    private Process? _started;

    public TableServiceClient ServiceClient { get; } = new(ConnectionString);

    public async ValueTask InitializeAsync()
    {
        if (await IsListeningAsync())
        {
            return;
        }
        var binary = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(binary))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", RepositoryPaths.Root);
        }
        _started = Process.Start(new ProcessStartInfo(binary,
            $"--tableHost 127.0.0.1 --tablePort {TablePort} --inMemoryPersistence --skipApiVersionCheck --loose --silent --disableTelemetry")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start Azurite.");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync())
        {
            if (_started.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start: {await _started.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_started is { HasExited: false })
        {
            _started.Kill(entireProcessTree: true);
            _started.WaitForExit(5000);
        }
        _started?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> IsListeningAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", TablePort).WaitAsync(TimeSpan.FromSeconds(1));
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
