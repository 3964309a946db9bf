using System.Globalization;
using ContactCenter.Core.Audit;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Security;

/// <summary>GET /api/auth/config, GET /api/auth/me, GET /api/audit, and local mode's POST /api/auth/local/token.</summary>
public static class SecurityApi
{
    public static IEndpointRouteBuilder MapSecurityApi(this IEndpointRouteBuilder app, bool localSignIn)
    {
        app.MapHttpFunction(SecurityFunctions.AuthConfig, ConfigAsync);
        app.MapHttpFunction(SecurityFunctions.AuthMe, MeAsync);
        app.MapHttpFunction(SecurityFunctions.Audit, AuditAsync);
        if (localSignIn)
        {
            app.MapPost(SecurityFunctions.LocalTokenRoute, async context => await (await LocalTokenAsync(context)).ExecuteAsync(context));
        }
        return app;
    }

    private static Task<IResult> ConfigAsync(HttpContext context)
    {
        var authenticator = context.RequestServices.GetRequiredService<WorkspaceAuthenticator>();
        var options = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var view = authenticator.Mode == AuthOptions.EntraMode
            ? new AuthConfigView(AuthOptions.EntraMode, options.TenantId, options.ClientId, options.ResolvedScopes)
            : new AuthConfigView(AuthOptions.LocalMode, null, null, []);
        return Task.FromResult<IResult>(TypedResults.Json(view, SecurityJsonContext.Default.AuthConfigView));
    }

    private static Task<IResult> MeAsync(HttpContext context)
    {
        var user = context.GetWorkspaceUser();
        var mode = context.RequestServices.GetRequiredService<WorkspaceAuthenticator>().Mode;
        return Task.FromResult<IResult>(TypedResults.Json(new MeView(user.AgentId, user.Name, user.Roles, mode), SecurityJsonContext.Default.MeView));
    }

    private static async Task<IResult> LocalTokenAsync(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<WorkspaceAuthenticator>().Mode != AuthOptions.LocalMode)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", "Local sign-in is off: this app signs in with Entra ID (Auth:Mode is entra).");
        }
        var (request, problem) = await JsonBody.ReadAsync(context, SecurityJsonContext.Default.LocalTokenRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (LocalTokenIssuer.InvalidAgentId(request!.AgentId) is { } why)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = [why] });
        }
        var supervisor = request.Supervisor ?? false;
        var issued = context.RequestServices.GetRequiredService<LocalTokenIssuer>().Issue(request.AgentId!, supervisor, request.Name);
        var user = new WorkspaceUser(request.AgentId!, request.Name, supervisor);
        return TypedResults.Json(new LocalTokenView(issued.AccessToken, issued.ExpiresOn, user.AgentId, user.Roles), SecurityJsonContext.Default.LocalTokenView);
    }

    /// <summary>GET /api/audit?from=&amp;to=&amp;agentId=&amp;limit=: the last 24 hours unless told; at most 31 days, 1000 entries.</summary>
    private static async Task<IResult> AuditAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            var to = Time(query["to"], "to") ?? now;
            var from = Time(query["from"], "from") ?? to.AddDays(-1);
            var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 1000 ? l : 1000;
            var agentId = query["agentId"].FirstOrDefault() is { Length: > 0 } a ? a : null;
            var entries = new List<AuditEntry>();
            await foreach (var entry in context.RequestServices.GetRequiredService<IAuditTrail>().ReadAsync(from, to, agentId, limit, context.RequestAborted))
            {
                entries.Add(entry);
            }
            return TypedResults.Json(new AuditView(from, to, agentId, entries), SecurityJsonContext.Default.AuditView);
        }
        catch (ArgumentException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message);
        }
    }

    private static DateTimeOffset? Time(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new ArgumentException($"'{name}' is not a time; use ISO 8601 such as 2026-11-24T09:00:00Z.");
}
