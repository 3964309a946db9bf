using System.Globalization;
using Azure;
using Azure.Core;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>The ACS SMS REST client against a fake SMS service on real Kestrel: the wire shape, signing, per-recipient results, retries.</summary>
public sealed class SmsClientTests : IAsyncLifetime
{
    private const string Ours = "+18005550199";
    private const string Customer = "+14255550100";

    private FakeSmsServer? _sms;

    private FakeSmsServer Sms => _sms!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sms = await FakeSmsServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sms is not null)
        {
            await _sms.DisposeAsync();
        }
    }

    private SmsClient Client(TimeProvider? time = null, string? connectionString = null) =>
        new(connectionString ?? Sms.ConnectionString, new SmsClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(1) } }, time);

    [Fact]
    public async Task A_text_is_posted_signed_in_the_documented_shape_and_its_message_id_returned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var result = await Client(time).SendAsync(new OutgoingSms(Ours, Customer, "Your ticket 42 is solved. Reply to reopen.") { Tag = "conversation-7" }, Cancel);

        var sent = Assert.Single(Sms.Requests);
        Assert.Equal(202, sent.Status); // the fake verified the HMAC signature, date and body hash
        Assert.Equal(("POST", "/sms", "2021-03-07"), (sent.Method, sent.Path, sent.ApiVersion));
        var body = sent.Body!;
        Assert.Equal(["from", "smsRecipients", "message", "smsSendOptions"], body.Select(p => p.Key));
        Assert.Equal(Ours, body["from"]!.GetValue<string>());
        Assert.Equal("Your ticket 42 is solved. Reply to reopen.", body["message"]!.GetValue<string>());
        var recipient = Assert.Single(body["smsRecipients"]!.AsArray())!.AsObject();
        Assert.Equal(Customer, recipient["to"]!.GetValue<string>());
        Assert.True(Guid.TryParse(recipient["repeatabilityRequestId"]!.GetValue<string>(), out _));
        Assert.Equal(time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture), recipient["repeatabilityFirstSent"]!.GetValue<string>());
        Assert.True(body["smsSendOptions"]!["enableDeliveryReport"]!.GetValue<bool>());
        Assert.Equal("conversation-7", body["smsSendOptions"]!["tag"]!.GetValue<string>());
        Assert.StartsWith("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=", sent.Headers["Authorization"]);

        Assert.Equal(new SmsSendResult(Customer, "Outgoing_0001_noam", true, 202), result);
    }

    [Fact]
    public async Task Without_a_delivery_report_or_tag_the_options_say_so_and_leave_the_tag_out()
    {
        await Client().SendAsync(new OutgoingSms(Ours, Customer, "Hi") { DeliveryReport = false }, Cancel);

        var options = Sms.Requests.Single().Body!["smsSendOptions"]!.AsObject();
        Assert.False(options["enableDeliveryReport"]!.GetValue<bool>());
        Assert.False(options.ContainsKey("tag"));
    }

    [Fact]
    public async Task A_recipient_refused_by_acs_is_a_result_with_its_status_and_error_not_an_exception()
    {
        Sms.RespondNext(202, $$"""{"value":[{"to":"{{Customer}}","httpStatusCode":400,"successful":false,"errorMessage":"Invalid To phone number format."}]}""");

        var result = await Client().SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel);

        Assert.Equal(new SmsSendResult(Customer, null, false, 400, "Invalid To phone number format."), result);
        Assert.Single(Sms.Requests);
    }

    [Fact]
    public async Task A_503_is_retried_with_the_same_repeatability_id_and_a_fresh_signature()
    {
        Sms.RespondNext(503, """{"error":{"code":"ServiceUnavailable","message":"Try again."}}""");
        Sms.RespondNext(503, """{"error":{"code":"ServiceUnavailable","message":"Try again."}}""");

        var result = await Client().SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel);

        Assert.True(result.Accepted);
        var attempts = Sms.Requests.ToArray();
        Assert.Equal([503, 503, 202], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Body!["smsRecipients"]![0]!["repeatabilityRequestId"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task A_recipient_busy_at_acs_throws_so_the_caller_retries_the_send()
    {
        Sms.RespondNext(202, $$"""{"value":[{"to":"{{Customer}}","httpStatusCode":503,"successful":false,"errorMessage":"Carrier busy."}]}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client().SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel));

        Assert.Equal(503, error.Status);
        Assert.Contains("Carrier busy.", error.Message);
    }

    [Fact]
    public async Task A_wrong_access_key_surfaces_as_a_401_request_failed_exception_without_retrying()
    {
        var wrongKey = $"endpoint={Sms.Endpoint};accesskey={Convert.ToBase64String("not-the-key"u8.ToArray())}";

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(connectionString: wrongKey).SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel));

        Assert.Equal((401, "Unauthorized"), (error.Status, error.ErrorCode));
        Assert.Contains("Signature mismatch.", error.Message);
        Assert.Single(Sms.Requests);
    }

    [Fact]
    public async Task A_response_without_the_recipients_result_is_a_failure_not_a_guess()
    {
        Sms.RespondNext(202, """{"value":[]}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client().SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel));

        Assert.Contains(Customer, error.Message);
    }

    [Fact]
    public async Task The_endpoints_base_path_is_kept_and_signed()
    {
        // The same client against a service under a base path (as local mode's simulator is served) must sign that path.
        var client = new SmsClient($"endpoint={Sms.Endpoint}base/;accesskey={FakeSmsServer.AccessKey}", new SmsClientOptions { Retry = { MaxRetries = 0 } });

        await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(new OutgoingSms(Ours, Customer, "Hi"), Cancel));

        var sent = Assert.Single(Sms.Requests);
        Assert.Equal(("/base/sms", 404), (sent.Path, sent.Status)); // authenticated (not 401), then not found: the fake serves /sms only
    }

    [Fact]
    public void Entra_id_needs_an_absolute_endpoint_and_a_credential()
    {
        Assert.Throws<ArgumentException>(() => new SmsClient(new Uri("/relative", UriKind.Relative), new StaticToken()));
        Assert.Throws<ArgumentNullException>(() => new SmsClient(new Uri("https://contoso.communication.azure.com"), null!));
        Assert.Throws<FormatException>(() => new SmsClient("endpoint=https://contoso.communication.azure.com/"));
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("token", DateTimeOffset.MaxValue);
        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
