using ContactCenter.Core.Audit;
using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Security;

/// <summary>
/// The one place workspace functions are authenticated, authorized and audited: <see cref="FunctionEndpoints.MapHttpFunction(IEndpointRouteBuilder, FunctionDefinition, Func{HttpContext, Task{IResult}})"/>
/// runs every function that declares <see cref="FunctionDefinition.Access"/> through <see cref="InvokeAsync"/>.
/// 401 (no, bad or expired token; with WWW-Authenticate: Bearer), 403 (no contact center role, another agent's
/// route, a supervisor's action, or a <see cref="WorkspaceForbiddenException"/> from a <see cref="WorkspaceGuard"/>),
/// all problem+json. Every request that is not a read is written to the <see cref="IAuditTrail"/> with its outcome.
/// </summary>
public static class WorkspaceEndpoint
{
    private const string UserItem = "ContactCenter.WorkspaceUser";

    /// <summary>The signed-in caller of a workspace function.</summary>
    public static WorkspaceUser GetWorkspaceUser(this HttpContext context) =>
        context.Items[UserItem] as WorkspaceUser
        ?? throw new InvalidOperationException("This request did not go through a workspace function (declare FunctionDefinition.Access).");

    /// <summary>The caller when the request went through a workspace function, else null.</summary>
    public static WorkspaceUser? FindWorkspaceUser(this HttpContext context) => context.Items[UserItem] as WorkspaceUser;

    public static async Task<IResult> InvokeAsync(HttpContext context, FunctionDefinition function, WorkspaceAccess access, Func<HttpContext, Task<IResult>> handler)
    {
        var authentication = await context.RequestServices.GetRequiredService<WorkspaceAuthenticator>()
            .AuthenticateAsync(context.Request.Headers.Authorization.FirstOrDefault(), context.RequestAborted);
        if (authentication.User is not { } user)
        {
            return authentication.Status == StatusCodes.Status401Unauthorized
                ? Unauthorized(authentication.Failure!, hadToken: context.Request.Headers.Authorization.Count > 0)
                : FunctionEndpoints.Problem(authentication.Status,
                    authentication.Status == StatusCodes.Status403Forbidden ? "Forbidden" : "Sign-in cannot be checked now", authentication.Failure!);
        }
        context.Items[UserItem] = user;
        var audited = access.AuditsChanges && !WorkspaceAccess.IsRead(context.Request.Method);
        IResult result;
        try
        {
            result = Allows(access, user, context) is { } refusal
                ? Forbidden(refusal)
                : await handler(context);
        }
        catch (WorkspaceForbiddenException ex)
        {
            result = Forbidden(ex.Message);
        }
        catch (Exception) when (audited)
        {
            await RecordAsync(context, function, access, user, StatusCodes.Status500InternalServerError);
            throw;
        }
        return audited ? new AuditedResult(result, context, function, access, user) : result;
    }

    /// <summary>Why the declared rule refuses the caller, or null when it allows them.</summary>
    private static string? Allows(WorkspaceAccess access, WorkspaceUser user, HttpContext context) => access.RuleFor(context.Request.Method) switch
    {
        AccessRule.AnyAgent => null,
        AccessRule.Supervisor => user.IsSupervisor ? null : "Only supervisors may do this.",
        AccessRule.OwnAgent => context.Request.RouteValues[access.AgentRouteValue] is string agentId && user.MayActFor(agentId)
            ? null
            : $"You are signed in as '{user.AgentId}'; only that agent's own routes are yours (supervisors may act for anyone).",
        var rule => throw new InvalidOperationException($"Unknown access rule {rule}."),
    };

    private static IResult Unauthorized(string reason, bool hadToken) =>
        new WithHeader(FunctionEndpoints.Problem(StatusCodes.Status401Unauthorized, "Not signed in", reason),
            "WWW-Authenticate", hadToken ? "Bearer error=\"invalid_token\"" : "Bearer");

    private static IResult Forbidden(string reason) => FunctionEndpoints.Problem(StatusCodes.Status403Forbidden, "Forbidden", reason);

    private static async Task RecordAsync(HttpContext context, FunctionDefinition function, WorkspaceAccess access, WorkspaceUser user, int status)
    {
        var trail = context.RequestServices.GetRequiredService<IAuditTrail>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var entry = new AuditEntry(Guid.NewGuid().ToString("N"), now, user.AgentId, user.Role, function.Name,
            $"{context.Request.Method} {context.Request.Path}", context.Request.RouteValues[access.AgentRouteValue] as string,
            status, AuditEntry.OutcomeOf(status));
        try
        {
            // Not the request's token: the change has happened, so its record is written even if the caller went away.
            await trail.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The change stands; losing its record must be loud.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ContactCenter.Audit")
                .LogError(ex, "Audit entry not written: {Actor} {Action} {Target} -> {Status}.", entry.ActorId, entry.Action, entry.Target, entry.Status);
        }
    }

    /// <summary>Runs the response, then records what it was.</summary>
    private sealed class AuditedResult(IResult inner, HttpContext context, FunctionDefinition function, WorkspaceAccess access, WorkspaceUser user) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await inner.ExecuteAsync(httpContext);
            await RecordAsync(context, function, access, user, httpContext.Response.StatusCode);
        }
    }

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
