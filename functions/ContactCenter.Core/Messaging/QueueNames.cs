namespace ContactCenter.Core.Messaging;

/// <summary>Every Service Bus queue the app uses, in one place: function declarations and Bicep both read these.</summary>
public static class QueueNames
{
    /// <summary>Channel events (calls, SMS, email) accepted from Event Grid and waiting to be applied.</summary>
    public const string InboundEvents = "inbound-events";

    public static IReadOnlyList<string> All { get; } = [InboundEvents];
}
