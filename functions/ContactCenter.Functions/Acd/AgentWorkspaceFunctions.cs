using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// The agent workspace's and supervisors' HTTP functions beyond the ACD's own (<see cref="AcdFunctions"/>). Same key level
/// as the ACD functions; who may call which is the sign-in's business (issue #6).
/// </summary>
public static class AgentWorkspaceFunctions
{
    private const string Key = "function";

    public static readonly FunctionDefinition AgentContacts = new("AgentContacts", new HttpTrigger("agents/{agentId}/contacts", ["get"], Key));
    public static readonly FunctionDefinition AgentContactNotes = new("AgentContactNotes", new HttpTrigger("agents/{agentId}/contacts/{contactId}/notes", ["post"], Key));
    public static readonly FunctionDefinition DispositionCodes = new("Dispositions", new HttpTrigger("dispositions", ["get"], Key));
    public static readonly FunctionDefinition SupervisorBoard = new("SupervisorBoard", new HttpTrigger("supervisor/board", ["get"], Key));
    public static readonly FunctionDefinition SupervisorReassign = new("SupervisorReassign", new HttpTrigger("supervisor/contacts/{contactId}/reassign", ["post"], Key));
    public static readonly FunctionDefinition SupervisorAgentSkills = new("SupervisorAgentSkills", new HttpTrigger("supervisor/agents/{agentId}/skills", ["put"], Key));

    public static IReadOnlyList<FunctionDefinition> All { get; } =
        [AgentContacts, AgentContactNotes, DispositionCodes, SupervisorBoard, SupervisorReassign, SupervisorAgentSkills];
}
