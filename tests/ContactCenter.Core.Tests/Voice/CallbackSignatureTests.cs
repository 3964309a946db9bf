using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Tests.Voice;

public sealed class CallbackSignatureTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly CallbackSignature _signature = new(Key);

    [Fact]
    public void A_signature_is_base64url_hmac_sha256_of_the_call_id_with_a_purpose_label()
    {
        var token = _signature.Sign("call-42");

        var expected = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("contact-center/call-callback/v1\ncall-42"));
        Assert.Equal(Convert.ToBase64String(expected).TrimEnd('=').Replace('+', '-').Replace('/', '_'), token);
        Assert.Equal(43, token.Length);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Verify_accepts_its_own_signature_and_refuses_another_call_another_key_or_a_tampered_token()
    {
        var token = _signature.Sign("call-42");

        Assert.True(_signature.Verify("call-42", token));
        Assert.False(_signature.Verify("call-43", token));
        Assert.False(new CallbackSignature(RandomNumberGenerator.GetBytes(32)).Verify("call-42", token));
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        Assert.False(_signature.Verify("call-42", tampered));
        Assert.False(_signature.Verify("call-42", token[..^1]));
        Assert.False(_signature.Verify("call-42", token + "AA"));
        Assert.False(_signature.Verify("call-42", "not base64url!"));
        Assert.False(_signature.Verify("call-42", null));
        Assert.False(_signature.Verify(null, token));
        Assert.False(_signature.Verify("call-42", ""));
    }

    [Fact]
    public void The_callback_uri_carries_the_escaped_call_id_and_its_signature_under_the_base_path()
    {
        var uri = _signature.CallbackUri(new Uri("https://contoso.azurewebsites.net/"), "call 1/é");

        Assert.Equal("https", uri.Scheme);
        Assert.Equal("/api/calls/events", uri.AbsolutePath);
        Assert.StartsWith("?call=call%201%2F%C3%A9&sig=", uri.Query);
        var check = _signature.Check(uri.Query);
        Assert.True(check.IsValid);
        Assert.Equal("call 1/é", check.CallId);

        var underPath = _signature.CallbackUri(new Uri("https://contoso.example/cc"), "c1");
        Assert.Equal("/cc/api/calls/events", underPath.AbsolutePath);
        Assert.Throws<ArgumentException>(() => _signature.CallbackUri(new Uri("https://contoso.example/?x=1"), "c1"));
        Assert.Throws<ArgumentException>(() => _signature.CallbackUri(new Uri("/relative", UriKind.Relative), "c1"));
    }

    [Theory]
    [InlineData("", "no call id")]
    [InlineData("?sig=abc", "no call id")]
    [InlineData("?call=c1", "no signature")]
    [InlineData("?call=c1&sig=", "no signature")]
    [InlineData("?call=c2&sig={sig}", "does not match")]
    [InlineData("?call=c1&call=c1&sig={sig}", "repeats")]
    [InlineData("?call=c1&sig={sig}&sig={sig}", "repeats")]
    public void Check_refuses_a_missing_forged_or_ambiguous_query_with_a_short_reason(string query, string reason)
    {
        var check = _signature.Check(query.Replace("{sig}", _signature.Sign("c1"), StringComparison.Ordinal));

        Assert.False(check.IsValid);
        Assert.Null(check.CallId);
        Assert.Contains(reason, check.Failure);
    }

    [Fact]
    public void Check_reads_the_parameters_in_any_order_among_others()
    {
        var check = _signature.Check($"code=fnkey&sig={_signature.Sign("c1")}&call=c1");

        Assert.True(check.IsValid);
        Assert.Equal("c1", check.CallId);
    }

    [Fact]
    public void Keys_shorter_than_32_bytes_and_text_that_is_not_base64_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CallbackSignature(new byte[31]));
        Assert.Throws<FormatException>(() => CallbackSignature.FromBase64("not base64!"));
        Assert.Throws<ArgumentException>(() => CallbackSignature.FromBase64(Convert.ToBase64String(new byte[16])));
        var generated = CallbackSignature.GenerateSecret();
        Assert.Equal(32, Convert.FromBase64String(generated).Length);
        Assert.NotEqual(generated, CallbackSignature.GenerateSecret());
        Assert.True(CallbackSignature.FromBase64(Convert.ToBase64String(Key)).Verify("c1", _signature.Sign("c1")));
    }

    [Fact]
    public void Call_ids_must_be_present_and_bounded()
    {
        Assert.Throws<ArgumentException>(() => _signature.Sign(""));
        Assert.Throws<ArgumentException>(() => _signature.Sign(new string('x', CallbackSignature.MaxCallIdLength + 1)));
        Assert.True(_signature.Verify(new string('x', CallbackSignature.MaxCallIdLength), _signature.Sign(new string('x', CallbackSignature.MaxCallIdLength))));
    }
}
