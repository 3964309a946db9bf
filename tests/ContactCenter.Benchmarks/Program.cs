using ContactCenter.Benchmarks;

return args switch
{
    ["coldstart", .. var rest] => await ColdStartBenchmark.RunAsync(rest),
    ["routing", .. var rest] => await RoutingBenchmark.RunAsync(rest),
    ["servicebus", .. var rest] => await ServiceBusSendBenchmark.RunAsync(rest),
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
          servicebus  [--published DIR] [--runs 10] [--label TEXT] [--rest | --amqp] [--no-record]
                      the Native AOT handler in functions-host mode (Azurite, Service Bus pointed at a loopback probe):
                      cold start to the first 200 of /api/health, then webhook request -> first byte of the Service Bus
                      send on the wire (and the completed send where the probe can answer it); prints JSON and appends
                      a table to docs/benchmarks.md unless --no-record. Publishes Native AOT unless --published is given.
                      --rest: an http:// endpoint, for the hand-written REST sender (the "before" figures).
                      --amqp: the integration tests' fake AMQP namespace, so an SDK send completes (no first-byte probe).
        """);
    return 2;
}
