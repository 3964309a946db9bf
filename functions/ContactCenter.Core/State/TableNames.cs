namespace ContactCenter.Core.State;

/// <summary>Every table the app uses, in one place: infrastructure tests cross-check these against Bicep.</summary>
public static class TableNames
{
    /// <summary>Processed inbound events, keyed by event id: the idempotency ledger of event ingestion.</summary>
    public const string InboundEvents = "InboundEvents";

    /// <summary>Operational records such as timer heartbeats.</summary>
    public const string Operations = "Operations";

    public static IReadOnlyList<string> All { get; } = [InboundEvents, Operations];
}
