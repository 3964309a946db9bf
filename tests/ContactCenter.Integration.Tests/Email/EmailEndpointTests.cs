using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using ContactCenter.Azure.Email;
using ContactCenter.Core.Channels;
using ContactCenter.Core.State;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Messaging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Email;

/// <summary>
/// POST /api/email/inbound and /api/email/graph on Kestrel, wired by AddEmailChannel/MapEmailChannel as the app will be,
/// with a recording sink, attachments in memory and a fake Microsoft Graph serving a shared mailbox's MIME.
/// </summary>
public sealed class EmailEndpointTests : IAsyncLifetime
{
    private const string ClientState = "graph-client-state-secret";
    private const string Mailbox = "support@contoso.com";
    private const string GraphToken = "graph-token-for-tests";

    private readonly RecordingSink _sink = new();
    private readonly InMemoryAttachmentStore _attachments = new(1024);
    private readonly ConcurrentDictionary<string, string> _graphMessages = new();
    private readonly ConcurrentQueue<string> _graphRequests = new();
    private WebApplication _graph = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var graphBuilder = WebApplication.CreateSlimBuilder();
        graphBuilder.Logging.ClearProviders();
        graphBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _graph = graphBuilder.Build();
        _graph.Run(async context =>
        {
            _graphRequests.Enqueue(context.Request.Path + " " + context.Request.Headers.Authorization);
            if (context.Request.Headers.Authorization != "Bearer " + GraphToken)
            {
                context.Response.StatusCode = 401;
                return;
            }
            // /v1.0/users/{mailbox}/messages/{id}/$value
            var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            if (segments is ["v1.0", "users", Mailbox, "messages", var id, "$value"] && _graphMessages.TryGetValue(id, out var mime))
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(mime);
                return;
            }
            context.Response.StatusCode = 404;
        });
        await _graph.StartAsync(Ct);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:SenderAddress"] = "support@contoso.com",
            ["Email:MaxAttachmentBytes"] = "1024",
            ["Email:MaxMessageBytes"] = "65536",
            ["Email:Graph:Mailbox"] = Mailbox,
            ["Email:Graph:ClientState"] = ClientState,
            ["Email:Graph:BaseUri"] = _graph.Urls.First() + "/v1.0/",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new HostingEnvironment(HostingMode.Local, null));
        builder.Services.AddOptions<StorageOptions>();
        builder.Services.AddSingleton<IStateStore>(new InMemoryStateStore());
        builder.Services.AddSingleton<IInboundEmailSink>(_sink);
        builder.Services.AddSingleton<IAttachmentStore>(_attachments);
        builder.Services.AddProblemDetails();
        builder.Services.AddEmailChannel(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton(provider =>
            new GraphMailClient(new Uri(_graph.Urls.First() + "/v1.0/"), new StaticToken())));
        _app = builder.Build();
        _app.MapEmailChannel();
        await _app.StartAsync(Ct);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_json_email_reaches_the_sink_with_its_attachment_stored()
    {
        var response = await _http.PostAsync("/api/email/inbound", Json("""
            {"from":"cara@example.org","to":["support@contoso.com"],"subject":"Re: parcel [#CASE-1]","text":"Thanks",
             "inReplyTo":"<ours@contoso.com>","attachments":[{"name":"a.txt","contentType":"text/plain","contentBase64":"aGVsbG8="}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("cara@example.org", "<ours@contoso.com>"), (email.From, email.InReplyTo));
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal(("a.txt", "text/plain", 5L), (attachment.Name, attachment.ContentType, attachment.Length));
        Assert.NotNull(await _attachments.OpenAsync(attachment.Id, Ct));
    }

    [Fact]
    public async Task Raw_mime_and_sendgrid_style_forms_are_accepted()
    {
        var raw = new ByteArrayContent(Encoding.ASCII.GetBytes(InboundEmailReaderTests.ReplyMime));
        raw.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", raw, Ct)).StatusCode);

        using var form = new MultipartFormDataContent
        {
            { new StringContent("Cara <cara@example.org>"), "from" },
            { new StringContent("support@contoso.com"), "to" },
            { new StringContent("Question"), "subject" },
            { new StringContent("Hello"), "text" },
            { new StringContent("Message-ID: <form-1@example.org>\nIn-Reply-To: <ours-9@contoso.com>\n"), "headers" },
            { new ByteArrayContent([1, 2, 3]), "attachment1", "data.bin" },
        };
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", form, Ct)).StatusCode);

        Assert.Equal(["<reply-1@example.org>", "<form-1@example.org>"], _sink.Received.Select(e => e.MessageId));
        Assert.Equal("<ours-9@contoso.com>", _sink.Received[1].InReplyTo);
        Assert.Equal(("data.bin", 3L), (_sink.Received[1].Attachments[0].Name, _sink.Received[1].Attachments[0].Length));
    }

    [Theory]
    [InlineData("""{"to":["support@contoso.com"]}""")]
    [InlineData("not json")]
    public async Task Malformed_input_is_a_400_problem(string body)
    {
        var response = await _http.PostAsync("/api/email/inbound", Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_sink.Received);
    }

    [Fact]
    public async Task An_attachment_over_the_limit_is_a_413_problem_and_nothing_is_stored()
    {
        var small = Convert.ToBase64String(new byte[10]);
        var big = Convert.ToBase64String(new byte[1025]);
        var response = await _http.PostAsync("/api/email/inbound", Json($$"""
            {"from":"cara@example.org","subject":"files","attachments":[
              {"name":"small.bin","contentBase64":"{{small}}"},{"name":"big.bin","contentBase64":"{{big}}"}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("big.bin", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, _attachments.Count);
        Assert.Empty(_sink.Received);
    }

    [Fact]
    public async Task A_post_over_the_message_limit_is_413_and_another_content_type_415()
    {
        var huge = await _http.PostAsync("/api/email/inbound", Json(new string(' ', 70_000)), Ct);
        var text = await _http.PostAsync("/api/email/inbound", new StringContent("hello", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task The_graph_validation_handshake_echoes_the_token_as_plain_text()
    {
        var response = await _http.PostAsync("/api/email/graph?validationToken=" + Uri.EscapeDataString("Validation: token <1>&x"),
            new StringContent("", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Validation: token <1>&x", await response.Content.ReadAsStringAsync(Ct));
    }

    private static string Notification(string clientState, params string[] messageIds) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["value"] = messageIds.Select(id => new Dictionary<string, object>
        {
            ["subscriptionId"] = "sub-1",
            ["changeType"] = "created",
            ["clientState"] = clientState,
            ["resource"] = $"Users/6f1c/Messages/{id}",
            ["resourceData"] = new Dictionary<string, string> { ["@odata.type"] = "#Microsoft.Graph.Message", ["id"] = id },
            ["tenantId"] = "tenant-1",
        }).ToArray(),
    }, NotificationJson.Default.DictionaryStringObject);

    [Fact]
    public async Task A_graph_notification_fetches_the_message_mime_from_the_mailbox_and_files_it()
    {
        _graphMessages["AAMkAD=1"] = InboundEmailReaderTests.ReplyMime;

        var response = await _http.PostAsync("/api/email/graph", Json(Notification(ClientState, "AAMkAD=1", "gone-already")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("<reply-1@example.org>", "<ours-2@contoso.com>"), (email.MessageId, email.InReplyTo));
        Assert.Equal("invoice.pdf", Assert.Single(email.Attachments).Name);
        Assert.Contains($"/v1.0/users/{Mailbox}/messages/AAMkAD=1/$value Bearer {GraphToken}", _graphRequests);
    }

    [Fact]
    public async Task A_graph_notification_with_another_client_state_is_refused_and_nothing_is_fetched()
    {
        _graphMessages["m1"] = InboundEmailReaderTests.ReplyMime;

        var response = await _http.PostAsync("/api/email/graph", Json(Notification("forged-client-state-value", "m1")), Ct);
        var malformed = await _http.PostAsync("/api/email/graph", Json("""{"value":"nope"}"""), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Empty(_graphRequests);
        Assert.Empty(_sink.Received);
    }

    private sealed class RecordingSink : IInboundEmailSink
    {
        private readonly List<InboundEmail> _received = [];

        public IReadOnlyList<InboundEmail> Received { get { lock (_received) { return _received.ToList(); } } }

        public Task ReceiveAsync(InboundEmail email, CancellationToken cancellationToken = default)
        {
            lock (_received)
            {
                _received.Add(email);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            requestContext.Scopes.SequenceEqual([GraphMailClient.Scope]) ? new AccessToken(GraphToken, DateTimeOffset.MaxValue) : throw new InvalidOperationException("wrong scope");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class NotificationJson : System.Text.Json.Serialization.JsonSerializerContext;
