namespace ContactCenter.Functions.Security;

/// <summary>The agent (or supervisor) a workspace request was made by, from its bearer token.</summary>
/// <param name="AgentId">The agent id the ACD knows this person by.</param>
public sealed record WorkspaceUser(string AgentId, string? Name, bool IsSupervisor)
{
    public const string AgentRole = "Agent";
    public const string SupervisorRole = "Supervisor";

    /// <summary>The Entra ID app role values (the <c>roles</c> claim) behind <see cref="AgentRole"/> and <see cref="SupervisorRole"/>.</summary>
    public const string AgentAppRole = "ContactCenter.Agent";
    public const string SupervisorAppRole = "ContactCenter.Supervisor";

    /// <summary>Supervisors may do whatever agents may, so they hold both roles.</summary>
    public IReadOnlyList<string> Roles => IsSupervisor ? [AgentRole, SupervisorRole] : [AgentRole];

    /// <summary>The role that names what this person may do: "Supervisor" or "Agent".</summary>
    public string Role => IsSupervisor ? SupervisorRole : AgentRole;

    /// <summary>Supervisors act for anyone; agents only for themselves.</summary>
    public bool MayActFor(string agentId) => IsSupervisor || string.Equals(AgentId, agentId, StringComparison.Ordinal);
}

/// <summary>The caller may not do this (another agent's offer, contact or call; a supervisor's action): 403.</summary>
public sealed class WorkspaceForbiddenException(string message) : Exception(message);
