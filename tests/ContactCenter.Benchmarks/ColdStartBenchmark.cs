using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Cold start of the custom handler: from process start to the first HTTP 200 of GET /api/health, the moment the
/// Functions host could route a request to it. Each variant is published once, then started repeatedly.
/// </summary>
internal static class ColdStartBenchmark
{
    private sealed record Variant(string Name, string PublishArguments, string Executable);

    private sealed record Result(string Variant, List<double> Milliseconds, long BinaryBytes, long RssKilobytes);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ArgumentValue(args, "--runs") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 15;
        var record = !args.Contains("--no-record");
        var root = RepositoryRoot();
        var project = Path.Combine(root, "functions", "ContactCenter.Functions");
        var variants = new[]
        {
            new Variant("JIT, framework-dependent", "-p:PublishAot=false --self-contained false", "ContactCenter.Functions"),
            new Variant("JIT, ReadyToRun", "-p:PublishAot=false -p:PublishReadyToRun=true --self-contained false", "ContactCenter.Functions"),
            new Variant("Native AOT", "-p:PublishAot=true", "ContactCenter.Functions"),
        };

        var results = new List<Result>();
        foreach (var variant in variants)
        {
            var output = Directory.CreateTempSubdirectory("coldstart-").FullName;
            Console.Error.WriteLine($"publishing {variant.Name}...");
            await RunAsync("dotnet", $"publish \"{project}\" -c Release -r linux-x64 -o \"{output}\" {variant.PublishArguments} -nologo -v q", root);
            var executable = Path.Combine(output, variant.Executable);
            var times = new List<double>();
            long rss = 0;
            await MeasureOnceAsync(executable); // warm the OS file cache; not counted
            for (var i = 0; i < runs; i++)
            {
                var (ms, kb) = await MeasureOnceAsync(executable);
                times.Add(ms);
                rss = Math.Max(rss, kb);
            }
            var bytes = variant.Name == "Native AOT"
                ? new FileInfo(executable).Length
                : Directory.GetFiles(output, "*.dll").Sum(f => new FileInfo(f).Length) + new FileInfo(executable).Length;
            results.Add(new Result(variant.Name, times, bytes, rss));
            Console.Error.WriteLine($"  {variant.Name}: median {Percentile(times, 50):F0} ms");
        }

        var report = Report(results, runs);
        Console.WriteLine(report);
        if (record)
        {
            var file = Path.Combine(root, "docs", "benchmarks.md");
            await File.AppendAllTextAsync(file, report + Environment.NewLine);
            Console.Error.WriteLine($"appended to {file}");
        }
        return 0;
    }

    private static async Task<(double Milliseconds, long RssKilobytes)> MeasureOnceAsync(string executable)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(executable, ["--urls", $"http://127.0.0.1:{port}"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    using var response = await client.GetAsync($"http://127.0.0.1:{port}/api/health");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var elapsed = clock.Elapsed.TotalMilliseconds;
                        return (elapsed, ResidentKilobytes(process.Id));
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(1);
            }
            throw new TimeoutException($"{executable} did not answer within 30 s.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static string Report(List<Result> results, int runs)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Cold start, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project tests/ContactCenter.Benchmarks -- coldstart --runs {runs}` on {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), .NET {Environment.Version}.");
        text.AppendLine("Process start to first HTTP 200 of GET /api/health (local mode, in-memory store); one unmeasured warm-up start per variant.");
        text.AppendLine();
        text.AppendLine("| variant | median ms | p90 ms | min ms | max ms | size on disk | RSS at first 200 |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {Percentile(r.Milliseconds, 50):F0} | {Percentile(r.Milliseconds, 90):F0} | {r.Milliseconds.Min():F0} | {r.Milliseconds.Max():F0} | {r.BinaryBytes / 1048576.0:F1} MiB | {r.RssKilobytes / 1024.0:F0} MiB |");
        }
        return text.ToString();
    }

    internal static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static long ResidentKilobytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? ArgumentValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run this from inside the repository.");
    }

    internal static async Task RunAsync(string file, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory, UseShellExecute = false })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}.");
        }
    }
}
