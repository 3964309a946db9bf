using ContactCenter.Core.Messaging;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// The ACD's HTTP functions. The agents' own routes are workspace functions (bearer token, see Security); the rest
/// (contacts in, queues, rules, staffing) are system functions guarded by function keys under the Functions host.
/// </summary>
public static class AcdFunctions
{
    private const string Key = "function";

    public static readonly FunctionDefinition RoutingRules = new("RoutingRules", new HttpTrigger("routing/rules", ["get", "put"], Key));
    public static readonly FunctionDefinition RoutingRulesVersions = new("RoutingRulesVersions", new HttpTrigger("routing/rules/versions", ["get"], Key));
    public static readonly FunctionDefinition RoutingRulesVersion = new("RoutingRulesVersion", new HttpTrigger("routing/rules/versions/{version}", ["get"], Key));
    public static readonly FunctionDefinition Queue = new("Queue", new HttpTrigger("queues/{queueId}", ["get"], Key));
    public static readonly FunctionDefinition Staffing = new("Staffing", new HttpTrigger("staffing", ["get"], Key));
    public static readonly FunctionDefinition Contacts = new("Contacts", new HttpTrigger("contacts", ["post"], Key));
    public static readonly FunctionDefinition Contact = new("Contact", new HttpTrigger("contacts/{contactId}", ["get"], Key));
    public static readonly FunctionDefinition Agent = new("Agent", new HttpTrigger("agents/{agentId}", ["get", "put"])) { Access = WorkspaceAccess.OwnAgentReadsSupervisorChanges };
    public static readonly FunctionDefinition AgentPresence = new("AgentPresence", new HttpTrigger("agents/{agentId}/presence", ["put"])) { Access = WorkspaceAccess.OwnAgent };
    public static readonly FunctionDefinition AgentOffer = new("AgentOffer", new HttpTrigger("agents/{agentId}/offers/{contactId}/{decision}", ["post"])) { Access = WorkspaceAccess.OwnAgent };
    public static readonly FunctionDefinition AgentContactComplete = new("AgentContactComplete", new HttpTrigger("agents/{agentId}/contacts/{contactId}/complete", ["post"])) { Access = WorkspaceAccess.OwnAgent };

    /// <summary>ACD work in a session per queue: routing, offer expiry and overflow steps (scheduled messages).</summary>
    public static readonly FunctionDefinition Routing = new("AcdRouting", new ServiceBusTrigger(QueueNames.AcdRouting, IsSessionsEnabled: true));

    /// <summary>Every minute: returns offers whose expiry message was lost. Normal expiry never waits for it.</summary>
    public static readonly FunctionDefinition OfferSweep = new("OfferSweep", new TimerTrigger("30 * * * * *"));

    public static IReadOnlyList<FunctionDefinition> All { get; } =
        [RoutingRules, RoutingRulesVersions, RoutingRulesVersion, Queue, Staffing, Contacts, Contact, Agent, AgentPresence, AgentOffer, AgentContactComplete, Routing, OfferSweep];
}
