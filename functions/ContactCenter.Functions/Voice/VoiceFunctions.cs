using ContactCenter.Core.Messaging;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// The voice functions: ACS events in (Event Grid webhook, Call Automation callbacks), call work in order per call, and
/// the agents' call controls. The webhook takes a function key under the Functions host (Event Grid passes it as ?code=);
/// the callbacks prove themselves; the agents' call views and controls are workspace functions (bearer token; a
/// command also needs the call assigned to the caller, checked in the handler).
/// </summary>
public static class VoiceFunctions
{
    private const string Key = "function";

    /// <summary>
    /// Event Grid webhook for ACS events (IncomingCall, SMS...): an alternative to the AcsEvents Event Grid trigger for
    /// subscriptions that deliver to a URL. Does the subscription validation handshakes itself.
    /// </summary>
    public static readonly FunctionDefinition AcsEventGridWebhook = new("AcsEventGridWebhook", new HttpTrigger("events/acs", ["post", "options"], Key));

    /// <summary>ACS mid-call callbacks. Anonymous to the host: each request proves itself (per-call signature, and the ACS JWT when configured).</summary>
    public static readonly FunctionDefinition CallEvents = new("CallEvents", new HttpTrigger("calls/events", ["post"]));

    /// <summary>Work for one call, in a session per call: callback events, announcements, agent commands, voicemail timers.</summary>
    public static readonly FunctionDefinition CallWork = new("CallWork", new ServiceBusTrigger(QueueNames.CallWork, IsSessionsEnabled: true));

    public static readonly FunctionDefinition Call = new("Call", new HttpTrigger("calls/{callId}", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition CallCommand = new("CallCommand", new HttpTrigger("calls/{callId}/{action}", ["post"])) { Access = WorkspaceAccess.AnyAgent };

    public static IReadOnlyList<FunctionDefinition> All { get; } = [AcsEventGridWebhook, CallEvents, CallWork, Call, CallCommand];
}
