using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// ACS access-key authentication: every request carries x-ms-date (RFC 1123), x-ms-content-sha256 (base64 SHA-256 of
/// the body) and "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=..." where the signature is
/// HMAC-SHA256, keyed with the base64-decoded access key, of "VERB\npath-and-query\ndate;host;content-hash".
/// A per-retry policy, so each retry is signed with a fresh date.
/// </summary>
internal sealed class HmacAuthenticationPolicy(byte[] key, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        var contentHash = ContentHash(request.Content, message.CancellationToken);
        var date = timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        // Authority is host[:port]: what the Host header carries, so the service computes the same string.
        var signature = Sign(key, StringToSign(request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash));
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}");
    }

    internal static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    internal static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    internal static string ContentHash(RequestContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return Convert.ToBase64String(SHA256.HashData(ReadOnlySpan<byte>.Empty));
        }
        // Our bodies are small, buffered JSON: hashing a copy is cheaper than any streaming scheme.
        using var buffer = new MemoryStream();
        content.WriteTo(buffer, cancellationToken);
        return Convert.ToBase64String(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }
}
