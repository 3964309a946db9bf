using System.Security.Cryptography;
using ContactCenter.Azure.Identity;
using ContactCenter.Core.State;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Functions.Security;

/// <summary>A local sign-in token and when it expires.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresOn);

/// <summary>
/// Local mode's sign-in: short-lived JWTs (HMAC-SHA256) signed with a key made for this run and never stored, so
/// tokens die with the process. Tokens carry the same claims Entra ID's do (preferred_username, name, roles), so one
/// mapping turns either into a <see cref="WorkspaceUser"/>. Registered in local mode only: the Functions host has none.
/// </summary>
public sealed class LocalTokenIssuer
{
    public const string Issuer = "urn:contactcenter:local";
    public const string Audience = "urn:contactcenter:local:workspace";
    public const string AgentIdClaim = "preferred_username";

    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "local-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lifetime;

    public LocalTokenIssuer(TimeProvider timeProvider, TimeSpan lifetime)
    {
        _timeProvider = timeProvider;
        _lifetime = lifetime;
    }

    /// <summary>Why an agent id cannot be signed in as, or null when it can (it must be a usable agent id).</summary>
    public static string? InvalidAgentId(string? agentId) =>
        string.IsNullOrWhiteSpace(agentId) ? "Say which agent signs in (agentId)."
        : agentId.Length > 128 || agentId.Any(char.IsWhiteSpace) || !StateKeys.IsValid(agentId, out _) ? $"'{agentId}' is not an agent id: at most 128 characters, no spaces, '/', '\\', '#' or '?'."
        : null;

    /// <param name="lifetime">Longer than the configured lifetime only for tests' own clients.</param>
    public IssuedToken Issue(string agentId, bool supervisor, string? name = null, TimeSpan? lifetime = null)
    {
        if (InvalidAgentId(agentId) is { } why)
        {
            throw new ArgumentException(why, nameof(agentId));
        }
        var now = _timeProvider.GetUtcNow();
        var expires = now + (lifetime ?? _lifetime);
        string[] roles = supervisor ? [WorkspaceUser.AgentAppRole, WorkspaceUser.SupervisorAppRole] : [WorkspaceUser.AgentAppRole];
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [AgentIdClaim] = agentId,
                ["name"] = name ?? agentId,
                ["roles"] = roles,
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires);
    }

    public async Task<TokenValidation> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenValidation.Reject("A bearer token is required.");
        }
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) => TokenLifetime.Check(notBefore, expires, _timeProvider.GetUtcNow(), TimeSpan.Zero),
        });
        return result.IsValid ? new TokenValidation(TokenStatus.Valid, null, result.ClaimsIdentity) : TokenValidation.Reject(OpenIdTokenValidator.Reason(result.Exception));
    }
}
