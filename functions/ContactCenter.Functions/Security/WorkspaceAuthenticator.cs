using System.Security.Claims;
using ContactCenter.Azure.Identity;

namespace ContactCenter.Functions.Security;

/// <summary>The user when the token is good; otherwise the status to answer (401, 403 without a contact center role, 503 when keys cannot be fetched) and why.</summary>
public sealed record WorkspaceAuthentication(WorkspaceUser? User, int Status, string? Failure)
{
    public static WorkspaceAuthentication Unauthorized(string reason) => new(null, StatusCodes.Status401Unauthorized, reason);
}

/// <summary>
/// Turns a request's <c>Authorization: Bearer</c> token into a <see cref="WorkspaceUser"/>: Entra ID access tokens
/// (checked by the shared <see cref="OpenIdTokenValidator"/> against the tenant's keys, for our client id or one of
/// the configured audiences) in entra mode, or this run's local tokens in local mode. The person must hold the
/// ContactCenter.Agent or ContactCenter.Supervisor app role in the <c>roles</c> claim.
/// </summary>
public sealed class WorkspaceAuthenticator
{
    private readonly OpenIdTokenValidator? _entra;
    private readonly TokenRequirements? _requirements;
    private readonly LocalTokenIssuer? _local;
    private readonly string[] _agentIdClaims;

    /// <summary>Entra ID sign-in.</summary>
    public WorkspaceAuthenticator(OpenIdTokenValidator entra, AuthOptions options)
    {
        _entra = entra;
        // v2.0 tokens name the tenant's v2.0 issuer (the configuration's); v1.0 tokens, which Teams SSO may get, the STS one.
        _requirements = new TokenRequirements(options.ResolvedAudiences, [$"https://sts.windows.net/{options.TenantId}/"]);
        // v1.0 tokens carry the sign-in name as upn rather than preferred_username.
        _agentIdClaims = options.AgentIdClaim == "preferred_username" ? ["preferred_username", "upn", "unique_name"] : [options.AgentIdClaim];
    }

    /// <summary>Local sign-in (local mode only).</summary>
    public WorkspaceAuthenticator(LocalTokenIssuer local)
    {
        _local = local;
        _agentIdClaims = [LocalTokenIssuer.AgentIdClaim];
    }

    public string Mode => _local is not null ? AuthOptions.LocalMode : AuthOptions.EntraMode;

    public async Task<WorkspaceAuthentication> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        var token = OpenIdTokenValidator.BearerToken(authorizationHeader);
        if (token is null)
        {
            return WorkspaceAuthentication.Unauthorized("Sign in: send Authorization: Bearer <token>.");
        }
        var validation = _local is not null
            ? await _local.ValidateAsync(token)
            : await _entra!.ValidateAsync(token, _requirements!, cancellationToken);
        return validation.Status switch
        {
            TokenStatus.Unavailable => new WorkspaceAuthentication(null, StatusCodes.Status503ServiceUnavailable, validation.Failure),
            TokenStatus.Rejected => WorkspaceAuthentication.Unauthorized(validation.Failure!),
            _ => FromClaims(validation.Identity!),
        };
    }

    private WorkspaceAuthentication FromClaims(ClaimsIdentity identity)
    {
        var roles = identity.FindAll("roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var supervisor = roles.Contains(WorkspaceUser.SupervisorAppRole);
        if (!supervisor && !roles.Contains(WorkspaceUser.AgentAppRole))
        {
            return new WorkspaceAuthentication(null, StatusCodes.Status403Forbidden,
                $"You are signed in but hold neither the {WorkspaceUser.AgentAppRole} nor the {WorkspaceUser.SupervisorAppRole} app role; ask an administrator to assign one.");
        }
        var agentId = _agentIdClaims.Select(type => identity.FindFirst(type)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (agentId is null)
        {
            return WorkspaceAuthentication.Unauthorized($"The token names no agent (claim {_agentIdClaims[0]}).");
        }
        // Entra sign-in names and object ids are case-insensitive; agent ids are not, so they are kept lower-case.
        agentId = _local is null ? agentId.ToLowerInvariant() : agentId;
        if (LocalTokenIssuer.InvalidAgentId(agentId) is { } why)
        {
            return WorkspaceAuthentication.Unauthorized(why);
        }
        return new WorkspaceAuthentication(new WorkspaceUser(agentId, identity.FindFirst("name")?.Value, supervisor), StatusCodes.Status200OK, null);
    }
}
