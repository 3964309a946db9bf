using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using ContactCenter.Azure.Tables;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;

namespace ContactCenter.Benchmarks;

/// <summary>
/// The ACD at scale. Embedded store: agents all available, a deep queue, and one routing decision at a time (route
/// with one offer, accept, complete) so every decision pays what a routing message pays. Azurite: whole contacts
/// (enqueue, route, accept, complete) with every Table operation counted.
/// </summary>
internal static class RoutingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var agents = Option(args, "--agents", 10_000);
        var contacts = Option(args, "--contacts", 100_000);
        var decisions = Option(args, "--decisions", 2_000);
        var azuriteContacts = Option(args, "--azurite-contacts", 300);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"### ACD routing, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project tests/ContactCenter.Benchmarks -- routing --agents {agents} --contacts {contacts} --decisions {decisions} --azurite-contacts {azuriteContacts}` on {Environment.ProcessorCount} cores.");
        report.AppendLine();

        // Every agent ready is the ready index's worst case; a tenth ready is a busy contact center's usual day.
        await EmbeddedAsync(agents, contacts, decisions, readyPercent: 100, report);
        await EmbeddedAsync(agents, contacts, decisions, readyPercent: 10, report);
        await AzuriteAsync(azuriteContacts, report);

        Console.WriteLine(report);
        if (!args.Contains("--no-record"))
        {
            await File.AppendAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "benchmarks.md"), Environment.NewLine + report);
        }
        return 0;
    }

    private static async Task EmbeddedAsync(int agentCount, int contactCount, int decisions, int readyPercent, StringBuilder report)
    {
        var store = new InMemoryStateStore();
        var acd = new AcdService(store, new StaticQueueCatalog([new QueueDefinition("bench")]), TimeProvider.System);
        var setup = Stopwatch.StartNew();
        await AddAvailableAgentsAsync(acd, agentCount);
        var ready = agentCount * readyPercent / 100;
        for (var i = ready; i < agentCount; i++)
        {
            await acd.SetPresenceAsync($"a{i:D6}", Presence.Busy); // signed in, not taking ACD work
        }
        var agentsSeconds = setup.Elapsed.TotalSeconds;
        setup.Restart();
        for (var i = 0; i < contactCount; i++)
        {
            await acd.EnqueueAsync(new NewContact($"c{i:D7}", Channel.Voice, "bench"));
        }
        var enqueueSeconds = setup.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"embedded: {agentCount} agents in {agentsSeconds:F1} s, {contactCount} contacts enqueued in {enqueueSeconds:F1} s");

        var latencies = new List<double>(decisions);
        var total = Stopwatch.StartNew();
        var routing = TimeSpan.Zero;
        for (var i = 0; i < decisions; i++)
        {
            var clock = Stopwatch.StartNew();
            var offers = await acd.RouteQueueAsync("bench", maxOffers: 1);
            clock.Stop();
            routing += clock.Elapsed;
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            var offer = offers.Single();
            await acd.AcceptAsync(offer.AgentId, offer.ContactId);
            await acd.CompleteAsync(offer.AgentId, offer.ContactId);
        }
        total.Stop();
        latencies.Sort();
        var memory = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;

        AppendTable(report,
            $"Embedded store: {agentCount:N0} agents of whom {ready:N0} ready ({readyPercent} %), {contactCount:N0} waiting contacts (setup: agents {agentsSeconds:F1} s, enqueue {contactCount / enqueueSeconds:N0} contacts/s), {decisions:N0} single-offer routing calls, each followed by accept and complete; managed heap after: {memory:F0} MiB.",
            ("routing decisions per second (routing time only)", $"{decisions / routing.TotalSeconds:N0}"),
            ("decision latency p50", $"{Percentile(latencies, 50):F2} ms"),
            ("decision latency p99", $"{Percentile(latencies, 99):F2} ms"),
            ("whole contacts per second (route + accept + complete)", $"{decisions / total.Elapsed.TotalSeconds:N0}"));
    }

    private static async Task AzuriteAsync(int contactCount, StringBuilder report)
    {
        if (!await IsListeningAsync(10002))
        {
            report.AppendLine("Azurite: not measured (nothing listening on 127.0.0.1:10002; start it with `node_modules/.bin/azurite-table --inMemoryPersistence`).");
            return;
        }
        var counting = new CountingStore(new TableStateStore(new TableServiceClient("UseDevelopmentStorage=true")), "b" + Guid.NewGuid().ToString("N")[..10]);
        var acd = new AcdService(counting, new StaticQueueCatalog([new QueueDefinition("bench")]), TimeProvider.System);
        const int Agents = 20;
        await AddAvailableAgentsAsync(acd, Agents);
        counting.Reset();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < contactCount; i++)
        {
            var id = $"c{i:D6}";
            await acd.EnqueueAsync(new NewContact(id, Channel.Voice, "bench"));
            var offer = (await acd.RouteQueueAsync("bench", maxOffers: 1)).Single();
            await acd.AcceptAsync(offer.AgentId, offer.ContactId);
            await acd.CompleteAsync(offer.AgentId, offer.ContactId);
        }
        clock.Stop();
        AppendTable(report,
            $"Azurite (Table Storage emulator, loopback): {contactCount} contacts one after another through enqueue, route (one offer), accept and complete, {Agents} agents.",
            ("contacts per second end to end", $"{contactCount / clock.Elapsed.TotalSeconds:N1}"),
            ("Table operations per routed contact", $"{counting.Operations / (double)contactCount:F1} ({counting.Describe(contactCount)})"),
            ("entities read per routed contact (queries count each entity)", $"{counting.EntitiesRead / (double)contactCount:F1}"));
    }

    /// <summary>A caption and a two-column Markdown table of measures, as docs/benchmarks.md shows them.</summary>
    private static void AppendTable(StringBuilder report, FormattableString caption, params (string Measure, FormattableString Value)[] rows)
    {
        report.AppendLine(caption.ToString(CultureInfo.InvariantCulture));
        report.AppendLine();
        report.AppendLine("| measure | value |");
        report.AppendLine("|---|---:|");
        foreach (var (measure, value) in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value.ToString(CultureInfo.InvariantCulture)} |");
        }
        report.AppendLine();
    }

    /// <summary>Agents a000000, a000001...: one voice call each, all available.</summary>
    private static async Task AddAvailableAgentsAsync(AcdService acd, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = $"a{i:D6}";
            await acd.UpsertAgentAsync(new AgentProfile(id, null, new Dictionary<string, int>(), new Dictionary<Channel, int> { [Channel.Voice] = 1 }));
            await acd.SetPresenceAsync(id, Presence.Available);
        }
    }

    private static double Percentile(List<double> sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Is something accepting TCP connections on 127.0.0.1:port (Azurite, a fake namespace)?</summary>
    internal static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static string RepositoryRoot()
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

    /// <summary>Counts the store calls the ACD makes, by kind, on tables of this run only.</summary>
    private sealed class CountingStore(IStateStore inner, string prefix) : IStateStore
    {
        private readonly Dictionary<string, int> _byKind = new(StringComparer.Ordinal);

        public long Operations => _byKind.Values.Sum();
        public long EntitiesRead { get; private set; }
        public string Kind => inner.Kind;

        public void Reset()
        {
            _byKind.Clear();
            EntitiesRead = 0;
        }

        public string Describe(int contacts) => string.Join(", ", _byKind.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value / (double)contacts:F1}"));

        private void Count(string kind, int read = 0)
        {
            lock (_byKind)
            {
                _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
                EntitiesRead += read;
            }
        }

        public async Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
        {
            var entity = await inner.GetAsync(prefix + table, partitionKey, rowKey, cancellationToken);
            Count("get", entity is null ? 0 : 1);
            return entity;
        }

        public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            Count("insert");
            return inner.InsertAsync(prefix + table, entity, cancellationToken);
        }

        public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
        {
            Count("replace");
            return inner.ReplaceAsync(prefix + table, entity, ifMatchETag, cancellationToken);
        }

        public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
        {
            Count("upsert");
            return inner.UpsertAsync(prefix + table, entity, cancellationToken);
        }

        public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
        {
            Count("delete");
            return inner.DeleteAsync(prefix + table, partitionKey, rowKey, ifMatchETag, cancellationToken);
        }

        public async IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Count("query");
            await foreach (var entity in inner.QueryPartitionAsync(prefix + table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken))
            {
                lock (_byKind)
                {
                    EntitiesRead++;
                }
                yield return entity;
            }
        }

        public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
        {
            Count("batch");
            return inner.SubmitBatchAsync(prefix + table, operations, cancellationToken);
        }

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
