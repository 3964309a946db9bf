using ContactCenter.Core.Voice;
using ContactCenter.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// How Call Automation callbacks are authenticated. <see cref="CallbackSecret"/> keys the per-call signature in every
/// callback URI (always checked); <see cref="Callbacks"/> turns on validation of the JWT ACS signs callbacks with.
/// </summary>
public sealed class VoiceCallbackOptions
{
    public const string Section = "Voice";

    /// <summary>Voice:CallbackSecret — base64 of at least 32 random bytes. Local mode makes one per run when unset.</summary>
    public string? CallbackSecret { get; set; }

    public CallbackJwtOptions Callbacks { get; set; } = new();
}

/// <summary>Voice:Callbacks — JWT validation of callbacks; off while <see cref="Audience"/> is unset.</summary>
public sealed class CallbackJwtOptions
{
    /// <summary>Voice:Callbacks:OpenIdConfigurationUrl — where the signer's issuer and keys are published.</summary>
    public string? OpenIdConfigurationUrl { get; set; }

    /// <summary>Voice:Callbacks:Audience — the ACS resource's immutable resource id, which ACS puts in the token's aud.</summary>
    public string? Audience { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Audience);

    public Uri OpenIdConfigurationUri => string.IsNullOrWhiteSpace(OpenIdConfigurationUrl)
        ? ContactCenter.Azure.Communication.CallbackTokenValidatorOptions.AcsOpenIdConfigurationUri
        : new Uri(OpenIdConfigurationUrl.Trim(), UriKind.Absolute);
}

/// <summary>Start-up checks: a well-formed secret (required under the Functions host) and a usable OpenID URL.</summary>
public sealed class VoiceCallbackOptionsValidator(HostingEnvironment hosting) : IValidateOptions<VoiceCallbackOptions>
{
    public ValidateOptionsResult Validate(string? name, VoiceCallbackOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CallbackSecret))
        {
            if (hosting.Mode == HostingMode.FunctionsHost)
            {
                failures.Add("Voice:CallbackSecret is not set. Under the Functions host set Voice__CallbackSecret to base64 of at least " +
                    $"{CallbackSignature.MinimumKeyBytes} random bytes (e.g. `openssl rand -base64 32`); it signs every call's callback URI.");
            }
        }
        else
        {
            try
            {
                _ = CallbackSignature.FromBase64(options.CallbackSecret);
            }
            catch (FormatException)
            {
                failures.Add("Voice:CallbackSecret is not base64. Use base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`).");
            }
            catch (ArgumentException)
            {
                failures.Add($"Voice:CallbackSecret is too short; it must decode to at least {CallbackSignature.MinimumKeyBytes} bytes.");
            }
        }
        var url = options.Callbacks.OpenIdConfigurationUrl;
        if (!string.IsNullOrWhiteSpace(url)
            && !(Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))))
        {
            failures.Add($"Voice:Callbacks:OpenIdConfigurationUrl '{url}' is not an absolute https URI (http only for a loopback address).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
