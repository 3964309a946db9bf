using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Cold start and first send of the published Native AOT handler as the Functions host runs it (functions-host mode,
/// Table Storage on Azurite, Service Bus configured). There is no Service Bus here, so the namespace is a loopback TCP
/// probe: it timestamps the first byte of the first connection (HTTP for the REST sender, the AMQP protocol header for
/// the SDK) and answers an HTTP send with 201, which is all the REST sender needs. An AMQP send cannot complete against
/// it; what is measured for both senders is "webhook request in → first byte of the send on the wire".
/// </summary>
internal static class ServiceBusSendBenchmark
{
    private const string Key = "YmVuY2htYXJrLWtleS1ub3QtYS1zZWNyZXQ=";

    private sealed record Run(double ColdStartMs, double FirstByteMs, string Protocol, double? CompletedMs, int? Status);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ArgumentValue(args, "--runs") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 10;
        var label = ArgumentValue(args, "--label") ?? "current sender";
        var rest = args.Contains("--rest");
        // --amqp: a fake namespace that speaks AMQP (the integration tests' FakeServiceBusNamespace), so an SDK send completes.
        var amqp = args.Contains("--amqp");
        var root = ColdStartBenchmark.RepositoryRoot();
        var output = ArgumentValue(args, "--published");
        if (output is null)
        {
            output = Directory.CreateTempSubdirectory("sendbench-").FullName;
            Console.Error.WriteLine("publishing Native AOT...");
            await ColdStartBenchmark.RunAsync("dotnet", $"publish \"{Path.Combine(root, "functions", "ContactCenter.Functions")}\" -c Release -r linux-x64 -o \"{output}\" -p:PublishAot=true -nologo -v q", root);
        }
        var executable = Path.Combine(output, "ContactCenter.Functions");
        using var azurite = await Azurite.EnsureAsync(root);
        await using var probe = WireProbe.Start();
        await using var fake = amqp ? await ContactCenter.Integration.Tests.Infrastructure.FakeServiceBusNamespace.StartAsync() : null;

        var results = new List<Run>();
        await MeasureOnceAsync(executable, probe, rest, fake); // warm the OS file cache; not counted
        for (var i = 0; i < runs; i++)
        {
            results.Add(await MeasureOnceAsync(executable, probe, rest, fake));
        }

        var json = new JsonObject
        {
            ["benchmark"] = "servicebus-first-send",
            ["label"] = label,
            ["utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["runs"] = runs,
            ["binaryBytes"] = new FileInfo(executable).Length,
            ["protocol"] = results[0].Protocol,
            ["coldStartMs"] = Summary(results.Select(r => r.ColdStartMs)),
            ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
            ["firstByteMs"] = results.Any(r => double.IsNaN(r.FirstByteMs)) ? null : Summary(results.Select(r => r.FirstByteMs)),
            ["sendCompletedMs"] = results.All(r => r.CompletedMs is not null) ? Summary(results.Select(r => r.CompletedMs!.Value)) : null,
        };
        Console.WriteLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        if (!args.Contains("--no-record"))
        {
            var file = Path.Combine(root, "docs", "benchmarks.md");
            await File.AppendAllTextAsync(file, Environment.NewLine + Report(json, results));
            Console.Error.WriteLine($"appended to {file}");
        }
        return 0;
    }

    private static async Task<Run> MeasureOnceAsync(string executable, WireProbe probe, bool rest,
        ContactCenter.Integration.Tests.Infrastructure.FakeServiceBusNamespace? fake)
    {
        probe.Reset();
        var port = ColdStartBenchmark.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            // The hand-written REST sender took an http:// endpoint as is (loopback tests); the SDK connects without
            // TLS to the endpoint's port when the connection string says UseDevelopmentEmulator.
            ["ServiceBusConnection"] = fake?.ConnectionString ?? (rest
                ? $"Endpoint=http://127.0.0.1:{probe.Port}/;SharedAccessKeyName=bench;SharedAccessKey={Key}"
                : $"Endpoint=sb://127.0.0.1:{probe.Port}/;SharedAccessKeyName=bench;SharedAccessKey={Key};UseDevelopmentEmulator=true"),
            ["Voice__CallbackSecret"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            ["Acs__Endpoint"] = "https://contoso-acs.communication.azure.com",
            ["Email__SenderAddress"] = "DoNotReply@contoso.com",
            ["Auth__TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Auth__ClientId"] = "99999999-8888-7777-6666-555555555555",
            ["Logging__LogLevel__Default"] = "Warning",
        })
        {
            start.Environment[name] = value;
        }
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var coldStart = await FirstOkAsync(client, $"http://127.0.0.1:{port}/api/health", clock, process, stderr);
            var id = "bench-" + Guid.NewGuid().ToString("N");
            using var content = new StringContent(SmsEvent(id), Encoding.UTF8, "application/json");
            var sent = Stopwatch.GetTimestamp();
            var response = client.PostAsync($"http://127.0.0.1:{port}/api/events/acs", content);
            if (fake is not null)
            {
                using var done = await response.WaitAsync(TimeSpan.FromSeconds(30));
                var doneMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                Console.Error.WriteLine($"  cold start {coldStart:F0} ms, webhook {(int)done.StatusCode} after {doneMs:F1} ms (AMQP send to the fake namespace)");
                return new Run(coldStart, double.NaN, "amqp (fake namespace)", done.IsSuccessStatusCode ? doneMs : null, (int)done.StatusCode);
            }
            var first = await probe.FirstByte.WaitAsync(TimeSpan.FromSeconds(20));
            var firstByteMs = Stopwatch.GetElapsedTime(sent, first.Timestamp).TotalMilliseconds;
            double? completed = null;
            int? status = null;
            // Only an HTTP send can complete against the probe; an AMQP client keeps retrying its connection.
            if (await Task.WhenAny(response, Task.Delay(first.Protocol == "http" ? 20_000 : 2_000)) == response && response.IsCompletedSuccessfully)
            {
                using var answered = response.Result;
                status = (int)answered.StatusCode;
                completed = answered.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(sent).TotalMilliseconds : null;
            }
            Console.Error.WriteLine($"  cold start {coldStart:F0} ms, first {first.Protocol} byte {firstByteMs:F1} ms, webhook {(status?.ToString(CultureInfo.InvariantCulture) ?? "no answer")}");
            return new Run(coldStart, firstByteMs, first.Protocol, completed, status);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<double> FirstOkAsync(HttpClient client, string url, Stopwatch clock, Process process, StringBuilder stderr)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(1);
        }
        throw new InvalidOperationException($"The handler did not answer 200 on /api/health: {stderr}");
    }

    /// <summary>An Event Grid schema SMSReceived delivery (the shape tests/…/FunctionApp/HostPayloads.cs uses).</summary>
    private static string SmsEvent(string id) => $$"""
        [{"id":"{{id}}","topic":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs","subject":"/phonenumber/15555555555",
          "data":{"MessageId":"Incoming_bench","From":"+15555555555","To":"+15555555556","Message":"Where is my order?","ReceivedTimestamp":"2026-11-23T09:00:00.0000000Z"},
          "eventType":"Microsoft.Communication.SMSReceived","dataVersion":"1.0","metadataVersion":"1","eventTime":"2026-11-23T09:00:00.1234567Z"}]
        """;

    private static JsonObject Summary(IEnumerable<double> values)
    {
        var list = values.ToList();
        return new JsonObject
        {
            ["median"] = Math.Round(ColdStartBenchmark.Percentile(list, 50), 1),
            ["p90"] = Math.Round(ColdStartBenchmark.Percentile(list, 90), 1),
            ["min"] = Math.Round(list.Min(), 1),
            ["max"] = Math.Round(list.Max(), 1),
        };
    }

    private static string Report(JsonObject json, List<Run> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Service Bus first send ({json["label"]}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project tests/ContactCenter.Benchmarks -- servicebus --runs {json["runs"]}{(json["protocol"]!.GetValue<string>() == "http" ? " --rest" : json["protocol"]!.GetValue<string>().StartsWith("amqp (", StringComparison.Ordinal) ? " --amqp" : "")} --label \"{json["label"]}\"` on {Environment.ProcessorCount} cores, .NET {Environment.Version}: Native AOT binary, functions-host mode on Azurite, {results.Count} starts after one unmeasured warm-up.");
        text.AppendLine(CultureInfo.InvariantCulture, $"First send: POST /api/events/acs (one SMSReceived event) to the loopback namespace ({json["protocol"]}); 1-minute load average at the end: {json["loadAverage"]}.");
        text.AppendLine();
        text.AppendLine("| measure | median ms | p90 ms | min ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        Row("cold start (process start → first 200 of /api/health)", json["coldStartMs"]);
        if (json["firstByteMs"] is { } firstByte)
        {
            Row("first send: webhook request → first byte on the wire", firstByte);
        }
        if (json["sendCompletedMs"] is { } completed)
        {
            Row("first send completed (webhook answered 200)", completed);
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Binary: {(long)json["binaryBytes"]! / 1048576.0:F1} MiB.{(json["sendCompletedMs"] is null ? " A completed send is not measured in this mode: the probe only timestamps the AMQP protocol header (use --amqp for a completed send against the fake namespace)." : "")}");
        text.AppendLine();
        text.AppendLine("```json");
        text.AppendLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        text.AppendLine("```");
        return text.ToString();

        void Row(string name, JsonNode? summary) => text.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {summary!["median"]} | {summary["p90"]} | {summary["min"]} | {summary["max"]} |");
    }

    private static string? ArgumentValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>A loopback "namespace": timestamps the first byte of each send attempt and answers HTTP sends 201.</summary>
    private sealed class WireProbe : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private TaskCompletionSource<(long Timestamp, string Protocol)> _first = NewSource();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public Task<(long Timestamp, string Protocol)> FirstByte => _first.Task;

        public static WireProbe Start()
        {
            var probe = new WireProbe();
            probe._listener.Start();
            _ = probe.AcceptAsync();
            return probe;
        }

        public void Reset() => _first = NewSource();

        private static TaskCompletionSource<(long, string)> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection;
                try
                {
                    connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                _ = ServeAsync(connection);
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            using (connection)
            {
                var stream = connection.GetStream();
                var buffer = new byte[64 * 1024];
                var received = new MemoryStream();
                try
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }
                        var now = Stopwatch.GetTimestamp();
                        received.Write(buffer, 0, read);
                        var bytes = received.ToArray();
                        var protocol = bytes.AsSpan().StartsWith("AMQP"u8) ? "amqp" : "http";
                        _first.TrySetResult((now, protocol));
                        if (protocol == "amqp")
                        {
                            return; // nothing here speaks AMQP; closing makes the client retry
                        }
                        if (CompleteHttpRequest(bytes) is { } length)
                        {
                            received.SetLength(0);
                            received.Write(bytes, length, bytes.Length - length);
                            await stream.WriteAsync("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                }
            }
        }

        /// <summary>The length of the first whole request in the buffer (headers plus Content-Length body), or null.</summary>
        private static int? CompleteHttpRequest(byte[] bytes)
        {
            var text = Encoding.Latin1.GetString(bytes);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }
            var header = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = header is null ? 0 : int.Parse(header.Split(':', 2)[1].Trim(), CultureInfo.InvariantCulture);
            return bytes.Length >= end + 4 + length ? end + 4 + length : null;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            _stop.Dispose();
        }
    }

    /// <summary>Azurite's table and blob services: reused when listening, else started from node_modules and stopped after.</summary>
    private sealed class Azurite : IDisposable
    {
        private readonly List<Process> _started = [];

        public static async Task<Azurite> EnsureAsync(string root)
        {
            var azurite = new Azurite();
            foreach (var (tool, arguments, port) in new[] { ("azurite-table", "--tableHost 127.0.0.1 --tablePort 10002", 10002), ("azurite-blob", "--blobHost 127.0.0.1 --blobPort 10000", 10000) })
            {
                if (await RoutingBenchmark.IsListeningAsync(port))
                {
                    continue;
                }
                var started = Process.Start(new ProcessStartInfo(Path.Combine(root, "node_modules", ".bin", tool),
                    $"{arguments} --inMemoryPersistence --skipApiVersionCheck --loose --silent --disableTelemetry") { UseShellExecute = false })!;
                azurite._started.Add(started);
                for (var i = 0; i < 300 && !await RoutingBenchmark.IsListeningAsync(port); i++)
                {
                    await Task.Delay(100);
                }
            }
            return azurite;
        }

        public void Dispose()
        {
            foreach (var process in _started)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
                process.Dispose();
            }
        }
    }
}
