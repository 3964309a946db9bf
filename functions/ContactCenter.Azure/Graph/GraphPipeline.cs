using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.Graph;

/// <summary>
/// What every Microsoft Graph client of ours shares (the inbound-mail reader, the Teams activity feed): the base URI,
/// the scope, and an Azure.Core pipeline that authenticates with an Entra ID token. Written by hand: the Graph SDK is not
/// served here, and each client makes one or two calls.
/// </summary>
internal static class GraphPipeline
{
    public const string DefaultBaseUri = "https://graph.microsoft.com/v1.0/";
    public const string Scope = "https://graph.microsoft.com/.default";

    /// <summary>The base URI with one trailing slash, so relative paths append to it.</summary>
    public static Uri NormalizeBaseUri(Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        return baseUri.IsAbsoluteUri ? new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/") : throw new ArgumentException("An absolute base URI is required.", nameof(baseUri));
    }

    public static HttpPipeline Build(Uri baseUri, TokenCredential credential, ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(credential);
        // Azure.Core's bearer policy refuses plain HTTP; a loopback fake Graph (tests) gets the token from a plain policy.
        HttpPipelinePolicy authentication = baseUri.Scheme == Uri.UriSchemeHttps
            ? new BearerTokenAuthenticationPolicy(credential, Scope)
            : baseUri.IsLoopback ? new LoopbackBearerPolicy(credential)
            : throw new ArgumentException("Graph is reached over HTTPS (plain HTTP only on a loopback address).", nameof(baseUri));
        var pipelineOptions = new HttpPipelineOptions(options);
        pipelineOptions.PerRetryPolicies.Add(authentication);
        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    private sealed class LoopbackBearerPolicy(TokenCredential credential) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var token = credential.GetToken(new TokenRequestContext([Scope]), message.CancellationToken);
            message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token.Token);
            ProcessNext(message, pipeline);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), message.CancellationToken).ConfigureAwait(false);
            message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token.Token);
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }
}
