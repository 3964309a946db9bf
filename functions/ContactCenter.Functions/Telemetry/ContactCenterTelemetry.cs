using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactCenter.Functions.Telemetry;

/// <summary>The app's own spans and metrics; OpenTelemetry exports them (to Azure Monitor when configured).</summary>
public static class ContactCenterTelemetry
{
    public const string Name = "ContactCenter";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Invocations = Meter.CreateCounter<long>(
        "contactcenter.function.invocations", description: "Function invocations by function and outcome.");

    private static readonly Histogram<double> InvocationDuration = Meter.CreateHistogram<double>(
        "contactcenter.function.duration", unit: "ms", description: "Function invocation duration.");

    private static readonly Counter<long> InboundEvents = Meter.CreateCounter<long>(
        "contactcenter.inbound_events", description: "Inbound channel events by type and outcome.");

    public static void RecordInvocation(string function, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "function", function }, { "outcome", outcome } };
        Invocations.Add(1, tags);
        InvocationDuration.Record(duration.TotalMilliseconds, tags);
    }

    public static void RecordInboundEvent(string type, string outcome) =>
        InboundEvents.Add(1, new TagList { { "type", type }, { "outcome", outcome } });
}
