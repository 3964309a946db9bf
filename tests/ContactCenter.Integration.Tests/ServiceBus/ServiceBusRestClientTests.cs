using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using ContactCenter.Azure.ServiceBus;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Integration.Tests.ServiceBus;

/// <summary>The Service Bus REST sender against a fake namespace on real Kestrel: what goes on the wire, and failures.</summary>
public sealed class ServiceBusRestClientTests : IAsyncLifetime
{
    private FakeServiceBusNamespace? _namespace;
    private Uri? _endpoint;
    private const string Key = FakeServiceBusNamespace.Key;

    private ConcurrentQueue<int> Answers => _namespace!.Answers;
    private ConcurrentQueue<FakeServiceBusNamespace.Received> Requests => _namespace!.Messages;

    public async ValueTask InitializeAsync()
    {
        _namespace = await FakeServiceBusNamespace.StartAsync();
        _endpoint = _namespace.Endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_namespace is not null)
        {
            await _namespace.DisposeAsync();
        }
    }

    private ServiceBusRestClient SasClient() =>
        new($"Endpoint={_endpoint};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={Key}",
            new ServiceBusRestClientOptions { Retry = { Delay = TimeSpan.FromMilliseconds(1) } });

    [Fact]
    public async Task A_scheduled_session_message_carries_its_broker_properties_body_and_a_valid_signature()
    {
        var when = new DateTimeOffset(2026, 11, 23, 9, 30, 5, TimeSpan.FromHours(1));
        var message = new ServiceBusOutgoingMessage(BinaryData.FromString("""{"kind":"expire-offer","contactId":"c1"}"""))
        {
            MessageId = "offer-c1-ann",
            SessionId = "billing",
            ScheduledEnqueueTime = when,
            Properties = new Dictionary<string, string> { ["x-contact-kind"] = "expire-offer" },
        };

        var response = await SasClient().SendMessageAsync("routing-timers", message, TestContext.Current.CancellationToken);

        Assert.Equal(201, response.Status);
        var sent = Assert.Single(Requests);
        Assert.Equal("/routing-timers/messages", sent.Path);
        Assert.Equal("""{"kind":"expire-offer","contactId":"c1"}""", sent.Body);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("expire-offer", sent.Custom);
        var broker = sent.Broker;
        Assert.Equal("offer-c1-ann", broker["MessageId"]!.GetValue<string>());
        Assert.Equal("billing", broker["SessionId"]!.GetValue<string>());
        Assert.Equal("Mon, 23 Nov 2026 08:30:05 GMT", broker["ScheduledEnqueueTimeUtc"]!.GetValue<string>());
        AssertValidSignature(sent.Authorization!, $"{_endpoint}routing-timers".ToLowerInvariant());
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_permanent_ones_surface_with_their_status()
    {
        var client = SasClient();
        Answers.Enqueue(503);
        Answers.Enqueue(500);
        var ok = await client.SendMessageAsync("q", new ServiceBusOutgoingMessage(BinaryData.FromString("{}")), TestContext.Current.CancellationToken);
        Assert.Equal(201, ok.Status);
        Assert.Equal(3, Requests.Count);

        Answers.Enqueue(410);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.SendMessageAsync("missing", new ServiceBusOutgoingMessage(BinaryData.FromString("{}")), TestContext.Current.CancellationToken));
        Assert.Equal(410, gone.Status);
        Assert.Equal(4, Requests.Count);
        Assert.DoesNotContain(Key, gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_entra_id_the_token_for_the_service_bus_scope_is_sent_as_bearer_over_tls_only()
    {
        using var certificate = SelfSigned();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        await using var tls = builder.Build();
        string? authorization = null;
        tls.MapPost("/{queue}/messages", (HttpContext context) =>
        {
            authorization = context.Request.Headers.Authorization;
            return Results.StatusCode(201);
        });
        await tls.StartAsync(TestContext.Current.CancellationToken);
        var credential = new RecordingCredential();
        var options = new ServiceBusRestClientOptions
        {
            // Trust exactly this test certificate.
            Transport = new global::Azure.Core.Pipeline.HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            }),
        };

        var client = new ServiceBusRestClient(new Uri(tls.Urls.First()), credential, options);
        client.SendMessage("q", new ServiceBusOutgoingMessage(BinaryData.FromString("{}")), TestContext.Current.CancellationToken);
        var plain = new ServiceBusRestClient(_endpoint!, credential);
        var refused = Assert.Throws<InvalidOperationException>(() => plain.SendMessage("q", new ServiceBusOutgoingMessage(BinaryData.FromString("{}")), TestContext.Current.CancellationToken));

        Assert.Equal("Bearer token-for-servicebus", authorization);
        Assert.Contains(ServiceBusRestClient.Scope, credential.Scopes);
        Assert.Contains("https", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Requests);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Re-import so Kestrel gets a certificate whose private key it can use on Linux.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    [Theory]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k")]
    [InlineData("SharedAccessKeyName=k;SharedAccessKey=v")]
    [InlineData("nonsense")]
    public void Incomplete_connection_strings_are_refused_with_what_is_needed(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() => new ServiceBusRestClient(connectionString));
        Assert.Contains("SharedAccessKeyName and SharedAccessKey", ex.Message);
    }

    /// <summary>Recomputes the signature from the documented recipe: HMAC-SHA256(key, url-encoded resource + "\n" + expiry).</summary>
    private static void AssertValidSignature(string authorization, string resource)
    {
        Assert.StartsWith("SharedAccessSignature ", authorization);
        var fields = authorization["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal(resource, fields["sr"]);
        Assert.Equal("RootManageSharedAccessKey", fields["skn"]);
        var expiry = long.Parse(fields["se"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(expiry), DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(resource)}\n{expiry}")));
        Assert.Equal(expected, fields["sig"]);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-servicebus", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
