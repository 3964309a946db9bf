using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// A stand-in for Entra ID on loopback: an OpenID configuration (issuer as Entra's v2.0 endpoint names it) and its
/// JWKS, and access tokens signed with its key (or another one, to forge).
/// </summary>
public sealed class FakeOpenIdProvider : IAsyncDisposable
{
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string ClientId = "99999999-8888-7777-6666-555555555555";
    public static readonly string Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0";

    private readonly WebApplication _app;

    private FakeOpenIdProvider(WebApplication app, RSA key)
    {
        _app = app;
        Key = key;
    }

    public RSA Key { get; }
    public Uri ConfigurationUri => new(new Uri(_app.Urls.First()), "/config");

    /// <summary>The settings that point the app's Entra sign-in here.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Auth:Mode"] = "entra",
        ["Auth:TenantId"] = TenantId,
        ["Auth:ClientId"] = ClientId,
        ["Auth:OpenIdConfigurationUrl"] = ConfigurationUri.AbsoluteUri,
    };

    public static async Task<FakeOpenIdProvider> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var parameters = key.ExportParameters(false);
        app.MapGet("/config", (HttpContext c) => Results.Text(
            $$"""{"issuer":"{{Issuer}}","jwks_uri":"http://{{c.Request.Host}}/keys"}""", "application/json"));
        app.MapGet("/keys", () => Results.Text(
            $$"""{"keys":[{"kty":"RSA","kid":"k1","use":"sig","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}""", "application/json"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new FakeOpenIdProvider(app, key);
    }

    /// <summary>An access token as Entra ID issues one for the app, with the given changes.</summary>
    public string Token(string username = "Ann@Contoso.com", string[]? roles = null, string? audience = null, string? issuer = null,
        DateTime? expires = null, RSA? signingKey = null, string? objectId = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["preferred_username"] = username,
            ["name"] = "Ann Agent",
            ["oid"] = objectId ?? "0f8fad5b-d9cb-469f-a165-70867728950e",
            ["tid"] = TenantId,
        };
        if ((roles ?? ["ContactCenter.Agent"]) is { Length: > 0 } r)
        {
            claims["roles"] = r;
        }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? ClientId,
            Claims = claims,
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-1),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-1),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? Key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
