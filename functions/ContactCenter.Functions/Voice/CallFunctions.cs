using ContactCenter.Core.Messaging;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Voice;

/// <summary>The voice channel's functions: provider callbacks in, call work in order per call, and the agents' call controls.</summary>
public static class CallFunctions
{
    private const string Key = "function";

    /// <summary>ACS mid-call callbacks. Anonymous to the host: each request proves itself (per-call signature, and the ACS JWT when configured).</summary>
    public static readonly FunctionDefinition CallEvents = new("CallEvents", new HttpTrigger("calls/events", ["post"]));

    /// <summary>Work for one call, in a session per call: callback events, announcements, agent commands, voicemail timers.</summary>
    public static readonly FunctionDefinition CallWork = new("CallWork", new ServiceBusTrigger(QueueNames.CallWork, IsSessionsEnabled: true));

    public static readonly FunctionDefinition Call = new("Call", new HttpTrigger("calls/{callId}", ["get"], Key));
    public static readonly FunctionDefinition CallCommand = new("CallCommand", new HttpTrigger("calls/{callId}/{action}", ["post"], Key));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [CallEvents, CallWork, Call, CallCommand];
}
