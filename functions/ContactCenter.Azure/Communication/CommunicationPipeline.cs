using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// What every ACS REST client of ours shares: the connection string, the endpoint root, the pipeline with HMAC or
/// Entra ID authentication (per retry, so each attempt is signed afresh) and ACS's error format, and the retry and
/// logging defaults. Call Automation and SMS both build on it, so a fix to signing or retries reaches both.
/// </summary>
internal static class CommunicationPipeline
{
    /// <summary>The Entra ID scope ACS accepts tokens for (the double slash is ACS's resource id plus "/.default").</summary>
    public const string Scope = "https://communication.azure.com//.default";

    /// <summary>Entra ID: Azure.Core's bearer policy refuses to send a token over plain HTTP.</summary>
    public static HttpPipeline Build(ClientOptions options, TokenCredential credential) =>
        Build(options, new BearerTokenAuthenticationPolicy(credential, Scope));

    /// <summary>Access key: HMAC-SHA256 signing dated by <paramref name="timeProvider"/>.</summary>
    public static HttpPipeline Build(ClientOptions options, byte[] accessKey, TimeProvider timeProvider) =>
        Build(options, new HmacAuthenticationPolicy(accessKey, timeProvider));

    private static HttpPipeline Build(ClientOptions options, HttpPipelinePolicy authentication)
    {
        var pipelineOptions = new HttpPipelineOptions(options) { RequestFailedDetailsParser = CommunicationErrorParser.Instance };
        pipelineOptions.PerRetryPolicies.Add(authentication);
        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    /// <summary>Retries of transient failures (Azure.Core: 408, 429, 500, 502, 503, 504, network) and headers safe to log.</summary>
    public static void ApplyDefaults(ClientOptions options)
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        // Logged as-is: they identify a request and its retries. Authorization and the access key never are.
        options.Diagnostics.LoggedHeaderNames.Add("Repeatability-Request-ID");
        options.Diagnostics.LoggedHeaderNames.Add("Repeatability-First-Sent");
        options.Diagnostics.LoggedHeaderNames.Add("x-ms-date");
        options.Diagnostics.LoggedQueryParameters.Add("api-version");
    }

    // The path is kept (ACS's is "/"), so a client can also talk to a simulator served under a base path.
    public static Uri Root(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/") : throw new ArgumentException("An absolute endpoint URI is required.", nameof(endpoint));

    public static (Uri Endpoint, byte[] Key) ParseConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || !parts.TryGetValue("accesskey", out var accessKey))
        {
            throw new FormatException("An ACS connection string needs endpoint=https://<resource>.communication.azure.com/ and accesskey=<base64 key>.");
        }
        var key = new byte[accessKey.Length];
        // Never echo the key: it is the secret.
        if (!Convert.TryFromBase64String(accessKey, key, out var written) || written == 0)
        {
            throw new FormatException("The ACS connection string's accesskey is not valid base64.");
        }
        return (Root(uri), key[..written]);
    }
}
