using System.Text.RegularExpressions;
using ContactCenter.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Security;

/// <summary>The "Auth" settings section: how agents and supervisors sign in to the workspace API.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string LocalMode = "local";
    public const string EntraMode = "entra";

    /// <summary><c>local</c> (tokens from POST /api/auth/local/token, local mode only) or <c>entra</c>. Unset: local in local mode, entra under the Functions host.</summary>
    public string? Mode { get; set; }

    /// <summary>The Entra ID tenant (directory) id whose users sign in.</summary>
    public string? TenantId { get; set; }

    /// <summary>The application (client) id of the contact center's app registration: the tokens' audience.</summary>
    public string? ClientId { get; set; }

    /// <summary>Further accepted audiences, e.g. the Teams SSO application id URI api://&lt;host&gt;/&lt;clientId&gt;.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>The claim whose value (lower-cased) is the agent id. preferred_username (the sign-in name) unless set; oid is the stable alternative.</summary>
    public string AgentIdClaim { get; set; } = "preferred_username";

    /// <summary>Where Entra ID publishes its issuer and signing keys; derived from the tenant unless set (tests point it at a stand-in).</summary>
    public string? OpenIdConfigurationUrl { get; set; }

    /// <summary>The scopes the widget asks for; api://&lt;clientId&gt;/access_as_user unless set.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>How long a local sign-in token lives.</summary>
    public TimeSpan LocalTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public string ResolvedMode(HostingEnvironment hosting) =>
        Mode?.Trim().ToLowerInvariant() is { Length: > 0 } mode ? mode : hosting.Mode == HostingMode.FunctionsHost ? EntraMode : LocalMode;

    public Uri ResolvedOpenIdConfigurationUri => new(OpenIdConfigurationUrl is { Length: > 0 } url
        ? url
        : $"https://login.microsoftonline.com/{TenantId}/v2.0/.well-known/openid-configuration");

    /// <summary>The client id, api://&lt;clientId&gt;, and the configured extras.</summary>
    public IReadOnlyList<string> ResolvedAudiences => [ClientId!, $"api://{ClientId}", .. Audiences.Where(a => !string.IsNullOrWhiteSpace(a))];

    public IReadOnlyList<string> ResolvedScopes => Scopes.Count > 0 ? Scopes : [$"api://{ClientId}/access_as_user"];
}

/// <summary>Start-up checks of the Auth section, each failure naming the setting and how to fix it.</summary>
public sealed partial class AuthOptionsValidator(HostingEnvironment hosting) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var mode = options.ResolvedMode(hosting);
        if (mode is not (AuthOptions.LocalMode or AuthOptions.EntraMode))
        {
            failures.Add($"Auth:Mode '{options.Mode}' is not a sign-in mode; use 'entra' (Entra ID) or 'local' (development sign-in, local mode only).");
        }
        if (mode == AuthOptions.LocalMode && hosting.Mode == HostingMode.FunctionsHost)
        {
            failures.Add("Auth:Mode is 'local' under the Functions host; anyone could sign in as anyone. Use Auth__Mode=entra with Auth__TenantId and Auth__ClientId.");
        }
        if (mode == AuthOptions.EntraMode)
        {
            if (string.IsNullOrWhiteSpace(options.TenantId) || !TenantPattern().IsMatch(options.TenantId))
            {
                failures.Add($"Auth:TenantId '{options.TenantId}' is not a tenant id; set Auth__TenantId to the directory (tenant) id GUID of the app registration.");
            }
            if (!Guid.TryParse(options.ClientId, out _))
            {
                failures.Add($"Auth:ClientId '{options.ClientId}' is not an application (client) id; set Auth__ClientId to the app registration's GUID.");
            }
            if (string.IsNullOrWhiteSpace(options.AgentIdClaim))
            {
                failures.Add("Auth:AgentIdClaim is empty; use preferred_username (default) or oid.");
            }
            if (options.OpenIdConfigurationUrl is { Length: > 0 } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))))
            {
                failures.Add($"Auth:OpenIdConfigurationUrl '{url}' must be an https URL (http only on loopback).");
            }
        }
        if (options.LocalTokenLifetime < TimeSpan.FromMinutes(1) || options.LocalTokenLifetime > TimeSpan.FromHours(24))
        {
            failures.Add($"Auth:LocalTokenLifetime is {options.LocalTokenLifetime}; it must be between 00:01:00 and 1.00:00:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A GUID, or a verified domain such as contoso.onmicrosoft.com.</summary>
    [GeneratedRegex(@"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$")]
    private static partial Regex TenantPattern();
}
