using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Azure.Identity;

/// <summary>What a token must carry besides a signature by the configuration's keys.</summary>
/// <param name="Audiences">Any one of these as <c>aud</c>.</param>
/// <param name="AdditionalIssuers">Accepted besides the OpenID configuration's own issuer (Entra ID's v1 issuer, for example).</param>
public sealed record TokenRequirements(IReadOnlyList<string> Audiences, IReadOnlyList<string>? AdditionalIssuers = null)
{
    /// <summary>Tolerance for clock differences with the signer.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);
}

public enum TokenStatus
{
    Valid,
    /// <summary>No token, or one that is forged, expired, or meant for someone else: answer 401.</summary>
    Rejected,
    /// <summary>The signer's keys could not be fetched: nobody can tell, so answer 503 and let the caller retry.</summary>
    Unavailable,
}

/// <summary>The outcome, with a short reason fit to show the caller (no token contents, no key details), and the claims when valid.</summary>
public sealed record TokenValidation(TokenStatus Status, string? Failure, ClaimsIdentity? Identity = null)
{
    public bool IsValid => Status == TokenStatus.Valid;
    public static TokenValidation Reject(string reason) => new(TokenStatus.Rejected, reason);
}

/// <summary>
/// Validates JWTs signed with keys an OpenID configuration publishes (ACS callback tokens, Entra ID access tokens):
/// signed by a key from the configuration's JWKS, issued by its issuer, for one of the expected audiences, within
/// its lifetime on the injected <see cref="TimeProvider"/>. The configuration and keys are cached by
/// Microsoft.IdentityModel's ConfigurationManager and refreshed on its schedule, and at once (rate-limited) when a
/// token names an unknown key, so a key rotation is picked up.
/// </summary>
public sealed class OpenIdTokenValidator
{
    private readonly Uri _configurationUri;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TimeProvider _timeProvider;
    private readonly HttpDocumentRetriever _documentRetriever;
    private readonly Lock _fetchGate = new();
    private DateTimeOffset? _lastForcedFetch;

    /// <summary>The least time between two fetches forced by a token naming an unknown key.</summary>
    public static readonly TimeSpan MinimumForcedFetchInterval = TimeSpan.FromMinutes(1);

    public OpenIdTokenValidator(Uri openIdConfigurationUri, HttpClient httpClient, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(openIdConfigurationUri);
        ArgumentNullException.ThrowIfNull(httpClient);
        if (!openIdConfigurationUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The OpenID configuration URI must be absolute.", nameof(openIdConfigurationUri));
        }
        _configurationUri = openIdConfigurationUri;
        _timeProvider = timeProvider ?? TimeProvider.System;
        // HTTPS only, except a loopback address (a local stand-in for the signer in tests and simulators).
        _documentRetriever = new HttpDocumentRetriever(httpClient) { RequireHttps = !openIdConfigurationUri.IsLoopback };
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            openIdConfigurationUri.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), _documentRetriever);
    }

    public Uri ConfigurationUri => _configurationUri;

    /// <summary>The token of an <c>Authorization: Bearer</c> header value, or null when there is none.</summary>
    public static string? BearerToken(string? authorizationHeader) =>
        !string.IsNullOrWhiteSpace(authorizationHeader)
        && AuthenticationHeaderValue.TryParse(authorizationHeader, out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(header.Parameter)
            ? header.Parameter
            : null;

    public async Task<TokenValidation> ValidateAsync(string? token, TokenRequirements requirements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenValidation.Reject("A bearer token is required.");
        }
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            return new TokenValidation(TokenStatus.Unavailable, "The token signer's keys cannot be fetched now.");
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(configuration, requirements));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await FetchAfterRotationAsync(cancellationToken) is { } fresh)
        {
            // A key we did not know: the signer may have rotated its keys. Judge this token by a fresh fetch.
            result = await _handler.ValidateTokenAsync(token, Parameters(fresh, requirements));
        }
        return result.IsValid ? new TokenValidation(TokenStatus.Valid, null, result.ClaimsIdentity) : TokenValidation.Reject(Reason(result.Exception));
    }

    /// <summary>
    /// Fetches the configuration now, at most once per <see cref="MinimumForcedFetchInterval"/>, so tokens naming
    /// made-up key ids cannot make us hammer the signer. The manager is told to refresh too (it does so in the background).
    /// </summary>
    private async Task<OpenIdConnectConfiguration?> FetchAfterRotationAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_fetchGate)
        {
            if (_lastForcedFetch is { } last && now - last < MinimumForcedFetchInterval)
            {
                return null;
            }
            _lastForcedFetch = now;
        }
        _configuration.RequestRefresh();
        try
        {
            return await OpenIdConnectConfigurationRetriever.GetAsync(_configurationUri.AbsoluteUri, _documentRetriever, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, TokenRequirements requirements) => new()
    {
        ValidIssuers = [configuration.Issuer, .. requirements.AdditionalIssuers ?? []],
        ValidateIssuer = true,
        ValidAudiences = requirements.Audiences,
        ValidateAudience = true,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = requirements.ClockSkew,
        // The library's own check reads the system clock; this one reads the injected TimeProvider.
        LifetimeValidator = (notBefore, expires, _, _) => TokenLifetime.Check(notBefore, expires, _timeProvider.GetUtcNow(), requirements.ClockSkew),
    };

    /// <summary>A short reason for a failed validation, fit to show the caller.</summary>
    public static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token is for another audience.",
        SecurityTokenInvalidIssuerException => "The token has an unexpected issuer.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException => "The token is malformed.",
        _ => "The token is not valid.",
    };
}

/// <summary>Lifetime checks on a given clock (Microsoft.IdentityModel's default reads the system clock).</summary>
public static class TokenLifetime
{
    public static bool Check(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan clockSkew)
    {
        var utcNow = now.UtcDateTime;
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        if (expiry.ToUniversalTime() + clockSkew < utcNow)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expiry };
        }
        if (notBefore is { } start && start.ToUniversalTime() - clockSkew > utcNow)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }
        return true;
    }
}
