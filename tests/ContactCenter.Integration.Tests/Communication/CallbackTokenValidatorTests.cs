using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using ContactCenter.Azure.Communication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>
/// Tokens signed here, validated against an OpenID configuration and JWKS served over real HTTP by a local Kestrel,
/// as ACS publishes them at /calling/.well-known/acsopenidconfiguration.
/// </summary>
public sealed class CallbackTokenValidatorTests : IAsyncLifetime
{
    private const string Issuer = "https://acscallautomation.communication.azure.com";
    private const string Audience = "5b1d3e9f-8c2a-4f7e-9d61-0a4b2c3d4e5f";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly RSA _rotatedKey = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private WebApplication _server = null!;
    private volatile bool _publishRotatedKey;
    private int _jwksFetches;

    private Uri ConfigurationUri => new(new Uri(_server.Urls.First()), "/calling/.well-known/acsopenidconfiguration");

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/calling/.well-known/acsopenidconfiguration", (HttpContext context) =>
        {
            var root = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Text($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{root}}/calling/keys","id_token_signing_alg_values_supported":["RS256"]}""", "application/json");
        });
        _server.MapGet("/calling/keys", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            var keys = _publishRotatedKey ? [Jwk(_signingKey, "key-1"), Jwk(_rotatedKey, "key-2")] : new[] { Jwk(_signingKey, "key-1") };
            return Results.Text($$"""{"keys":[{{string.Join(",", keys)}}]}""", "application/json");
        });
        await _server.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        _http.Dispose();
        _signingKey.Dispose();
        _rotatedKey.Dispose();
    }

    private static string Jwk(RSA key, string kid)
    {
        var parameters = key.ExportParameters(false);
        return $$"""{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{kid}}","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}""";
    }

    private string Token(RSA? key = null, string kid = "key-1", string issuer = Issuer, string audience = Audience,
        DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null)
    {
        var issued = issuedAt ?? _time.GetUtcNow();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "acs-call-automation")]),
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = (issued + (lifetime ?? TimeSpan.FromMinutes(5))).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _signingKey) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    private CallbackTokenValidator Validator(string audience = Audience) =>
        new(new CallbackTokenValidatorOptions(ConfigurationUri, audience), _http, _time);

    [Fact]
    public async Task A_token_signed_by_a_published_key_for_our_resource_is_valid()
    {
        var result = await Validator().ValidateAsync($"Bearer {Token()}", Ct);

        Assert.Equal(CallbackTokenStatus.Valid, result.Status);
        Assert.True(result.IsValid);
        Assert.Null(result.Failure);
    }

    [Fact]
    public async Task Expiry_is_judged_on_the_injected_clock_with_a_minute_of_skew()
    {
        var validator = Validator();
        var token = Token();

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        Assert.True((await validator.ValidateAsync($"Bearer {token}", Ct)).IsValid);

        _time.Advance(TimeSpan.FromSeconds(2));
        var expired = await validator.ValidateAsync($"Bearer {token}", Ct);
        Assert.Equal(CallbackTokenStatus.Rejected, expired.Status);
        Assert.Equal("The token has expired.", expired.Failure);
    }

    [Fact]
    public async Task A_token_from_the_future_is_not_valid_yet()
    {
        var result = await Validator().ValidateAsync($"Bearer {Token(issuedAt: _time.GetUtcNow().AddMinutes(3))}", Ct);

        Assert.Equal("The token is not valid yet.", result.Failure);
    }

    [Fact]
    public async Task A_token_for_another_acs_resource_is_rejected()
    {
        var result = await Validator().ValidateAsync($"Bearer {Token(audience: "another-resource-id")}", Ct);

        Assert.Equal(CallbackTokenStatus.Rejected, result.Status);
        Assert.Equal("The token is for another audience.", result.Failure);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_rejected()
    {
        var result = await Validator().ValidateAsync($"Bearer {Token(issuer: "https://login.example.com")}", Ct);

        Assert.Equal("The token has an unexpected issuer.", result.Failure);
    }

    [Fact]
    public async Task A_token_signed_with_an_unpublished_key_is_rejected_even_under_a_known_key_id()
    {
        using var forger = RSA.Create(2048);

        var unknownKid = await Validator().ValidateAsync($"Bearer {Token(forger, kid: "forged")}", Ct);
        var knownKid = await Validator().ValidateAsync($"Bearer {Token(forger, kid: "key-1")}", Ct);

        Assert.Equal("The token's signature is not valid.", unknownKid.Failure);
        Assert.Equal("The token's signature is not valid.", knownKid.Failure);
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_when_a_token_names_it()
    {
        var validator = Validator();
        Assert.True((await validator.ValidateAsync($"Bearer {Token()}", Ct)).IsValid);
        var fetchesBefore = _jwksFetches;

        _publishRotatedKey = true;
        var result = await validator.ValidateAsync($"Bearer {Token(_rotatedKey, kid: "key-2")}", Ct);

        Assert.True(result.IsValid, result.Failure);
        Assert.True(_jwksFetches > fetchesBefore);
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_force_at_most_one_fetch_a_minute()
    {
        var validator = Validator();
        using var forger = RSA.Create(2048);
        Assert.True((await validator.ValidateAsync($"Bearer {Token()}", Ct)).IsValid);

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await validator.ValidateAsync($"Bearer {Token(forger, kid: $"made-up-{i}")}", Ct)).IsValid);
        }
        var afterBurst = _jwksFetches;
        Assert.InRange(afterBurst, 2, 3); // the first fetch, one forced fetch (and perhaps the manager's background refresh)

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.False((await validator.ValidateAsync($"Bearer {Token(forger, kid: "made-up-late")}", Ct)).IsValid);
        Assert.True(_jwksFetches > afterBurst);
    }

    [Fact]
    public async Task Keys_are_cached_between_callbacks()
    {
        var validator = Validator();
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await validator.ValidateAsync($"Bearer {Token()}", Ct)).IsValid);
        }

        Assert.Equal(1, _jwksFetches);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_non_bearer_authorization_is_rejected(string? header)
    {
        var result = await Validator().ValidateAsync(header, Ct);

        Assert.Equal(CallbackTokenStatus.Rejected, result.Status);
        Assert.Equal("A bearer token is required.", result.Failure);
    }

    [Fact]
    public async Task A_malformed_token_is_rejected()
    {
        var result = await Validator().ValidateAsync("Bearer not.a.jwt", Ct);

        Assert.Equal(CallbackTokenStatus.Rejected, result.Status);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public async Task When_the_keys_cannot_be_fetched_the_result_is_unavailable_not_rejected()
    {
        var nowhere = new Uri($"http://127.0.0.1:{FreePort()}/calling/.well-known/acsopenidconfiguration");
        var validator = new CallbackTokenValidator(new CallbackTokenValidatorOptions(nowhere, Audience), _http, _time);

        var result = await validator.ValidateAsync($"Bearer {Token()}", Ct);

        Assert.Equal(CallbackTokenStatus.Unavailable, result.Status);
    }

    [Fact]
    public void The_configuration_must_be_fetched_over_https_unless_it_is_on_loopback()
    {
        // Constructing does not fetch; a non-loopback http URL would be refused by the retriever on first use.
        Assert.Equal("https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration",
            CallbackTokenValidatorOptions.AcsOpenIdConfigurationUri.AbsoluteUri);
        Assert.Throws<ArgumentException>(() => new CallbackTokenValidator(new CallbackTokenValidatorOptions(ConfigurationUri, " "), _http));
    }

    [Fact]
    public async Task A_plain_http_configuration_off_loopback_is_never_fetched()
    {
        var validator = new CallbackTokenValidator(new CallbackTokenValidatorOptions(new Uri("http://acs.example.invalid/config"), Audience), _http, _time);

        var result = await validator.ValidateAsync($"Bearer {Token()}", Ct);

        Assert.Equal(CallbackTokenStatus.Unavailable, result.Status);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
