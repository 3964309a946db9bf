using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// Signs the bearer token each callback carries, as ACS does for Call Automation webhooks: RS256, issuer
/// <see cref="Issuer"/>, audience the ACS resource id, valid five minutes. The public key is served as a JWKS beside an
/// OpenID configuration, so the app validates local callbacks exactly as it validates ACS's. Written by hand (a JWT is
/// two base64url JSON objects and an RSA signature) so the app needs no token library and stays Native AOT safe.
/// </summary>
public sealed class CallbackTokenIssuer : IDisposable
{
    /// <summary>A fixed issuer, independent of the address the simulator is reached at.</summary>
    public const string Issuer = "https://acs-simulator.contactcenter.local";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _audience;
    private readonly TimeProvider _time;

    public CallbackTokenIssuer(string audience, TimeProvider time)
    {
        _audience = audience;
        _time = time;
        var modulus = _key.ExportParameters(false).Modulus!;
        KeyId = Base64Url(SHA256.HashData(modulus))[..16];
    }

    public string KeyId { get; }

    public string Audience => _audience;

    public string CreateToken()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = _audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The OpenID configuration ACS serves at /calling/.well-known/acsopenidconfiguration.</summary>
    public JsonObject OpenIdConfiguration(string jwksUri) => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = jwksUri,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_signing_alg_values_supported"] = new JsonArray("RS256"),
    };

    public JsonObject KeySet()
    {
        var parameters = _key.ExportParameters(false);
        return new()
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url(parameters.Modulus!),
                ["e"] = Base64Url(parameters.Exponent!),
            }),
        };
    }

    public void Dispose() => _key.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
