using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.ServiceBus;

/// <summary>
/// Service Bus shared access signature: HMAC-SHA256 of "{url-encoded resource}\n{expiry}" with the key, sent as
/// "SharedAccessSignature sr=..&amp;sig=..&amp;se=..&amp;skn=..". One token per resource, renewed well before it expires.
/// </summary>
internal sealed class SharedAccessSignaturePolicy(string keyName, string key, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        // The signed resource is the entity (the queue), not its /messages path.
        var resource = new UriBuilder(uri.Scheme, uri.Host, uri.Port, uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal)
            ? uri.AbsolutePath[..^"/messages".Length] : uri.AbsolutePath).Uri.ToString().ToLowerInvariant();
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, Token(resource));
    }

    internal static string Create(string resource, string keyName, string key, DateTimeOffset expires)
    {
        var encoded = Uri.EscapeDataString(resource);
        var expiry = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }

    private string Token(string resource)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_tokens.TryGetValue(resource, out var cached) && cached.Expires - now > TimeSpan.FromMinutes(5))
            {
                return cached.Token;
            }
            var expires = now + Lifetime;
            var token = Create(resource, keyName, key, expires);
            _tokens[resource] = (token, expires);
            return token;
        }
    }
}
