using ContactCenter.Core.Messaging;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Functions;

/// <summary>
/// Every function of the app, declared once. function.json files are generated from these declarations, the
/// endpoints are mapped from them, and local mode fires their triggers.
/// </summary>
public static class FunctionCatalog
{
    /// <summary>Binding name of the AcsEvents output that carries accepted events to the inbound-events queue.</summary>
    public const string InboundEventsOutput = "inboundEvents";

    /// <summary>Every five minutes: often enough to see a stalled host, rare enough to cost nothing.</summary>
    public const string HeartbeatSchedule = "0 */5 * * * *";

    public static readonly FunctionDefinition Health =
        new("Health", new HttpTrigger("health", ["get"]));

    public static readonly FunctionDefinition AcsEvents =
        new("AcsEvents", new EventGridTrigger(), new ServiceBusOutput(InboundEventsOutput, QueueNames.InboundEvents));

    public static readonly FunctionDefinition InboundEvents =
        new("InboundEvents", new ServiceBusTrigger(QueueNames.InboundEvents));

    public static readonly FunctionDefinition Heartbeat =
        new("Heartbeat", new TimerTrigger(HeartbeatSchedule));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [Health, AcsEvents, InboundEvents, Heartbeat, UnprocessableApi.SupervisorUnprocessable, .. Acd.AcdFunctions.All, .. Acd.AgentWorkspaceFunctions.All, .. Ivr.IvrFunctions.All, .. Voice.VoiceFunctions.All, .. Outbound.OutboundFunctions.All, .. Conversations.ConversationFunctions.All, .. Messaging.EmailFunctions.All, .. Realtime.RealtimeFunctions.All, .. Security.SecurityFunctions.All, .. AgentWidget.AgentWidgetFunctions.All, .. Teams.TeamsIntegration.All];

    public static FunctionDefinition? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
