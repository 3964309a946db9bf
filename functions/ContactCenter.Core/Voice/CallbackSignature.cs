using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Core.Voice;

/// <summary>
/// The per-call secret in a call's callback URI: <c>sig</c> is HMAC-SHA256 over our call id with the app's secret key,
/// base64url without padding. Only someone holding the key can name a call in a callback, so a forged or replayed-to-
/// another-call callback is refused even when the provider's own signature (a JWT) is not checked.
/// </summary>
public sealed class CallbackSignature
{
    public const int MinimumKeyBytes = 32;
    public const int MaxCallIdLength = 256;

    /// <summary>Where callbacks are posted, relative to the app's public base URI.</summary>
    public const string CallbackPath = "api/calls/events";
    public const string CallParameter = "call";
    public const string SignatureParameter = "sig";

    // A label keeps these signatures apart from anything else the same key might ever sign.
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("contact-center/call-callback/v1\n");
    private const int SignatureBytes = 32;

    private readonly byte[] _key;

    public CallbackSignature(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A callback secret needs at least {MinimumKeyBytes} bytes; this one has {key.Length}.", nameof(key));
        }
        _key = key.ToArray();
    }

    /// <summary>A key from its base64 text (the Voice:CallbackSecret setting); throws FormatException or ArgumentException saying why not.</summary>
    public static CallbackSignature FromBase64(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        return new CallbackSignature(Convert.FromBase64String(secret.Trim()));
    }

    /// <summary>A fresh random key, as base64 (local mode uses one per run).</summary>
    public static string GenerateSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes));

    public string Sign(string callId)
    {
        ValidateCallId(callId);
        return Base64Url.EncodeToString(Mac(callId));
    }

    /// <summary>True when <paramref name="token"/> is this key's signature of <paramref name="callId"/>; compared in constant time.</summary>
    public bool Verify(string? callId, string? token)
    {
        if (string.IsNullOrEmpty(callId) || callId.Length > MaxCallIdLength || string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }
        Span<byte> presented = stackalloc byte[48];
        // TryDecodeFromChars throws on characters outside the alphabet rather than returning false.
        if (!Base64Url.IsValid(token) || !Base64Url.TryDecodeFromChars(token, presented, out var written) || written != SignatureBytes)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(presented[..written], Mac(callId));
    }

    /// <summary><c>{baseUri}/api/calls/events?call={callId}&amp;sig={token}</c>, whatever path <paramref name="baseUri"/> already has.</summary>
    public Uri CallbackUri(Uri baseUri, string callId)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            throw new ArgumentException($"The callback base URI must be absolute with no query or fragment: '{baseUri}'.", nameof(baseUri));
        }
        var root = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{root}/{CallbackPath}?{CallParameter}={Uri.EscapeDataString(callId)}&{SignatureParameter}={Sign(callId)}");
    }

    /// <summary>
    /// Checks the <c>call</c> and <c>sig</c> parameters of a callback's query string (with or without the leading '?').
    /// A parameter given twice is refused rather than guessed at.
    /// </summary>
    public CallbackSignatureCheck Check(string? query)
    {
        string? callId = null, token = null;
        var callCount = 0;
        var sigCount = 0;
        foreach (var pair in (query ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            var name = Unescape(separator < 0 ? pair : pair[..separator]);
            var value = separator < 0 ? string.Empty : Unescape(pair[(separator + 1)..]);
            if (name == CallParameter)
            {
                callId = value;
                callCount++;
            }
            else if (name == SignatureParameter)
            {
                token = value;
                sigCount++;
            }
        }
        if (callCount == 0 || string.IsNullOrEmpty(callId))
        {
            return CallbackSignatureCheck.Fail("The callback URI has no call id.");
        }
        if (sigCount == 0 || string.IsNullOrEmpty(token))
        {
            return CallbackSignatureCheck.Fail("The callback URI has no signature.");
        }
        if (callCount > 1 || sigCount > 1)
        {
            return CallbackSignatureCheck.Fail("The callback URI repeats the call id or the signature.");
        }
        return Verify(callId, token)
            ? CallbackSignatureCheck.Ok(callId)
            : CallbackSignatureCheck.Fail("The callback signature does not match the call.");
    }

    private byte[] Mac(string callId)
    {
        var id = Encoding.UTF8.GetBytes(callId);
        var message = new byte[Purpose.Length + id.Length];
        Purpose.CopyTo(message, 0);
        id.CopyTo(message, Purpose.Length);
        return HMACSHA256.HashData(_key, message);
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static void ValidateCallId(string callId)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        if (callId.Length > MaxCallIdLength)
        {
            throw new ArgumentException($"A call id is at most {MaxCallIdLength} characters.", nameof(callId));
        }
    }
}

/// <summary>The outcome of checking a callback URI: our call id when it is genuine, a short reason when not.</summary>
public sealed record CallbackSignatureCheck(bool IsValid, string? CallId, string? Failure)
{
    public static CallbackSignatureCheck Ok(string callId) => new(true, callId, null);
    public static CallbackSignatureCheck Fail(string reason) => new(false, null, reason);
}
