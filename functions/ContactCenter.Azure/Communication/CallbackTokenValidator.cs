using ContactCenter.Azure.Identity;

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
/// injected <see cref="TimeProvider"/>). The key handling (caching, rotation, rate-limited refetch) is the shared
/// <see cref="OpenIdTokenValidator"/>'s, which the agents' sign-in uses too.
/// </summary>
public sealed class CallbackTokenValidator
{
    private readonly CallbackTokenValidatorOptions _options;
    private readonly OpenIdTokenValidator _validator;
    private readonly TokenRequirements _requirements;

    /// <summary>The least time between two fetches forced by a token naming an unknown key.</summary>
    public static readonly TimeSpan MinimumForcedFetchInterval = OpenIdTokenValidator.MinimumForcedFetchInterval;

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
        _validator = new OpenIdTokenValidator(options.OpenIdConfigurationUri, httpClient, timeProvider);
        _requirements = new TokenRequirements([options.Audience]) { ClockSkew = options.ClockSkew };
    }

    public CallbackTokenValidatorOptions Options => _options;

    /// <summary>Validates the value of an Authorization header (null when the request had none).</summary>
    public async Task<CallbackTokenResult> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        var result = await _validator.ValidateAsync(OpenIdTokenValidator.BearerToken(authorizationHeader), _requirements, cancellationToken);
        return result.Status switch
        {
            TokenStatus.Valid => CallbackTokenResult.Valid,
            TokenStatus.Unavailable => new CallbackTokenResult(CallbackTokenStatus.Unavailable, result.Failure),
            _ => CallbackTokenResult.Reject(result.Failure!),
        };
    }
}
