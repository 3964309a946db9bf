using ContactCenter.Benchmarks;

return args switch
{
    ["coldstart", .. var rest] => await ColdStartBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project tests/ContactCenter.Benchmarks -- coldstart [--runs N] [--no-record]

          coldstart   publish the function app framework-dependent (JIT) and Native AOT, start each N times
                      (default 15) and time process start -> first HTTP 200 from /api/health; prints the figures
                      and appends them to docs/benchmarks.md unless --no-record.
        """);
    return 2;
}
