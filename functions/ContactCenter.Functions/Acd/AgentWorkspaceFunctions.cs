using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// The agent workspace's and supervisors' HTTP functions beyond the ACD's own (<see cref="AcdFunctions"/>). All are
/// workspace functions (bearer token, see Security): an agent's own inbox and notes, dispositions for anyone signed in,
/// the supervisor routes for supervisors only; every change is audited.
/// </summary>
public static class AgentWorkspaceFunctions
{
    public static readonly FunctionDefinition AgentContacts = new("AgentContacts", new HttpTrigger("agents/{agentId}/contacts", ["get"])) { Access = WorkspaceAccess.OwnAgent };
    public static readonly FunctionDefinition AgentContactNotes = new("AgentContactNotes", new HttpTrigger("agents/{agentId}/contacts/{contactId}/notes", ["post"])) { Access = WorkspaceAccess.OwnAgent };
    public static readonly FunctionDefinition DispositionCodes = new("Dispositions", new HttpTrigger("dispositions", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition SupervisorBoard = new("SupervisorBoard", new HttpTrigger("supervisor/board", ["get"])) { Access = WorkspaceAccess.Supervisor };
    public static readonly FunctionDefinition SupervisorReassign = new("SupervisorReassign", new HttpTrigger("supervisor/contacts/{contactId}/reassign", ["post"])) { Access = WorkspaceAccess.Supervisor };
    public static readonly FunctionDefinition SupervisorAgentSkills = new("SupervisorAgentSkills", new HttpTrigger("supervisor/agents/{agentId}/skills", ["put"])) { Access = WorkspaceAccess.Supervisor };

    public static IReadOnlyList<FunctionDefinition> All { get; } =
        [AgentContacts, AgentContactNotes, DispositionCodes, SupervisorBoard, SupervisorReassign, SupervisorAgentSkills];
}
