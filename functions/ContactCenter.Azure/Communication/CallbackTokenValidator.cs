using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Azure.Communication;

/// <summary>What a <see cref="CallbackTokenValidator"/> checks a callback's JWT against.</summary>
public sealed record CallbackTokenValidatorOptions(Uri OpenIdConfigurationUri, string Audience)
{
    /// <summary>ACS Call Automation's OpenID configuration (issuer and signing keys of callback tokens).</summary>
    public static readonly Uri AcsOpenIdConfigurationUri = new("https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration");

    /// <summary>Tolerance for clock differences with the signer; ACS tokens live five minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);
}

public enum CallbackTokenStatus
{
    Valid,
    /// <summary>No token, or one that is forged, expired, or meant for someone else: answer 401.</summary>
    Rejected,
    /// <summary>The signer's keys could not be fetched: nobody can tell, so answer 503 and let the sender retry.</summary>
    Unavailable,
}

/// <summary>The outcome, with a short reason fit to show the caller (no token contents, no key details).</summary>
public sealed record CallbackTokenResult(CallbackTokenStatus Status, string? Failure)
{
    public bool IsValid => Status == CallbackTokenStatus.Valid;
    internal static readonly CallbackTokenResult Valid = new(CallbackTokenStatus.Valid, null);
    internal static CallbackTokenResult Reject(string reason) => new(CallbackTokenStatus.Rejected, reason);
}

/// <summary>
/// Validates the <c>Authorization: Bearer</c> JWT that ACS Call Automation puts on every callback: signed with a key
/// from the OpenID configuration's JWKS, issued by that configuration's issuer, for our ACS resource (audience = its
/// immutable resource id), within its lifetime (with <see cref="CallbackTokenValidatorOptions.ClockSkew"/>, on the
/// injected <see cref="TimeProvider"/>). The configuration and keys are cached by Microsoft.IdentityModel's
/// ConfigurationManager and refreshed on its schedule, and at once (rate-limited) when a token names an unknown key,
/// so a key rotation is picked up.
/// </summary>
public sealed class CallbackTokenValidator
{
    private readonly CallbackTokenValidatorOptions _options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TimeProvider _timeProvider;
    private readonly HttpDocumentRetriever _documentRetriever;
    private readonly Lock _fetchGate = new();
    private DateTimeOffset? _lastForcedFetch;

    /// <summary>The least time between two fetches forced by a token naming an unknown key.</summary>
    public static readonly TimeSpan MinimumForcedFetchInterval = TimeSpan.FromMinutes(1);

    public CallbackTokenValidator(CallbackTokenValidatorOptions options, HttpClient httpClient, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Audience);
        if (!options.OpenIdConfigurationUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The OpenID configuration URI must be absolute.", nameof(options));
        }
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        // HTTPS only, except a loopback address (a local stand-in for ACS in tests and the simulator).
        _documentRetriever = new HttpDocumentRetriever(httpClient) { RequireHttps = !options.OpenIdConfigurationUri.IsLoopback };
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.OpenIdConfigurationUri.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), _documentRetriever);
    }

    public CallbackTokenValidatorOptions Options => _options;

    /// <summary>Validates the value of an Authorization header (null when the request had none).</summary>
    public async Task<CallbackTokenResult> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader)
            || !AuthenticationHeaderValue.TryParse(authorizationHeader, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return CallbackTokenResult.Reject("A bearer token is required.");
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            return new CallbackTokenResult(CallbackTokenStatus.Unavailable, "The token signer's keys cannot be fetched now.");
        }

        var result = await _handler.ValidateTokenAsync(header.Parameter, Parameters(configuration));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await FetchAfterRotationAsync(cancellationToken) is { } fresh)
        {
            // A key we did not know: the signer may have rotated its keys. Judge this token by a fresh fetch.
            result = await _handler.ValidateTokenAsync(header.Parameter, Parameters(fresh));
        }
        return result.IsValid ? CallbackTokenResult.Valid : CallbackTokenResult.Reject(Reason(result.Exception));
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
            return await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdConfigurationUri.AbsoluteUri, _documentRetriever, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        ValidIssuer = configuration.Issuer,
        ValidateIssuer = true,
        ValidAudience = _options.Audience,
        ValidateAudience = true,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = _options.ClockSkew,
        // The library's own check reads the system clock; this one reads the injected TimeProvider.
        LifetimeValidator = ValidateLifetime,
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        if (expiry.ToUniversalTime() + _options.ClockSkew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expiry };
        }
        if (notBefore is { } start && start.ToUniversalTime() - _options.ClockSkew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }
        return true;
    }

    private static string Reason(Exception? exception) => exception switch
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
