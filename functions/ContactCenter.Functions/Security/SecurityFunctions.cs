using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Security;

/// <summary>
/// Sign-in and audit functions. GET /api/auth/config is anonymous (the widget reads how to sign in before it can);
/// POST /api/auth/local/token is not a function at all: local mode maps it, the Functions host never has it.
/// </summary>
public static class SecurityFunctions
{
    public static readonly FunctionDefinition AuthConfig = new("AuthConfig", new HttpTrigger("auth/config", ["get"]));
    public static readonly FunctionDefinition AuthMe = new("AuthMe", new HttpTrigger("auth/me", ["get"])) { Access = WorkspaceAccess.AnyAgent };
    public static readonly FunctionDefinition Audit = new("Audit", new HttpTrigger("audit", ["get"])) { Access = WorkspaceAccess.Supervisor };

    /// <summary>Local mode only, never declared to the Functions host.</summary>
    public const string LocalTokenRoute = "/api/auth/local/token";

    public static IReadOnlyList<FunctionDefinition> All { get; } = [AuthConfig, AuthMe, Audit];
}
