namespace ContactCenter.Functions.Security;

/// <summary>Who may call a workspace function, decided from the token and the route alone.</summary>
public enum AccessRule
{
    /// <summary>Any signed-in agent or supervisor.</summary>
    AnyAgent,

    /// <summary>The agent the route names ({agentId}), or a supervisor.</summary>
    OwnAgent,

    /// <summary>Supervisors only.</summary>
    Supervisor,
}

/// <summary>
/// A workspace function's access, declared on its <see cref="Hosting.FunctionDefinition"/> (<c>Access = WorkspaceAccess.OwnAgent</c>)
/// and enforced for every request by <see cref="WorkspaceEndpoint"/>: a bearer token is required, the rule for reads
/// (GET, HEAD) or for changes (anything else) must allow the caller, and every change is audited. Rules that depend
/// on data (the conversation or call is the caller's) go in the handler through <see cref="WorkspaceGuard"/>.
/// </summary>
public sealed record WorkspaceAccess(AccessRule Read, AccessRule Change)
{
    /// <summary>The route value <see cref="AccessRule.OwnAgent"/> compares with the caller.</summary>
    public string AgentRouteValue { get; init; } = "agentId";

    /// <summary>False for the rare non-GET function that changes nothing (opening a push connection), so the trail holds changes only.</summary>
    public bool AuditsChanges { get; init; } = true;

    public static readonly WorkspaceAccess AnyAgent = new(AccessRule.AnyAgent, AccessRule.AnyAgent);
    public static readonly WorkspaceAccess OwnAgent = new(AccessRule.OwnAgent, AccessRule.OwnAgent);
    public static readonly WorkspaceAccess Supervisor = new(AccessRule.Supervisor, AccessRule.Supervisor);

    /// <summary>Agents read their own; only supervisors change it (an agent's profile and skills).</summary>
    public static readonly WorkspaceAccess OwnAgentReadsSupervisorChanges = new(AccessRule.OwnAgent, AccessRule.Supervisor);

    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    public AccessRule RuleFor(string method) => IsRead(method) ? Read : Change;
}
