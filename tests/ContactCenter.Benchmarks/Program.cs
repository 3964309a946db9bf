using ContactCenter.Benchmarks;

return args switch
{
    ["coldstart", .. var rest] => await ColdStartBenchmark.RunAsync(rest),
    ["routing", .. var rest] => await RoutingBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project tests/ContactCenter.Benchmarks -- coldstart [--runs N] [--no-record]

          coldstart   publish the function app framework-dependent (JIT) and Native AOT, start each N times
                      (default 15) and time process start -> first HTTP 200 from /api/health; prints the figures
                      and appends them to docs/benchmarks.md unless --no-record.
          routing     [--agents 10000] [--contacts 100000] [--decisions 2000] [--azurite-contacts 300] [--no-record]
                      routing decisions per second and p50/p99 latency on the embedded store with that many agents and
                      waiting contacts; then contacts/s and Table operations per routed contact on Azurite
                      (127.0.0.1:10002, skipped with a note when it is not running).
        """);
    return 2;
}
