using ContactCenter.Integration.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
    private readonly ConcurrentDictionary<string, string> _graphJson = new();
    private readonly ConcurrentQueue<int> _failingUploads = new();
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
                context.Response.ContentLength = Encoding.UTF8.GetByteCount(mime);
                await context.Response.WriteAsync(mime);
                return;
            }
            // /v1.0/users/{mailbox}/messages/{id}[/attachments]?$select=...: the JSON read of a message too large for MIME.
            var jsonKey = segments switch
            {
                ["v1.0", "users", Mailbox, "messages", var messageId] when context.Request.Query.ContainsKey("$select") => messageId,
                ["v1.0", "users", Mailbox, "messages", var messageId, "attachments"] when context.Request.Query.ContainsKey("$select") => messageId + "/attachments",
                _ => null,
            };
            if (jsonKey is not null && _graphJson.TryGetValue(jsonKey, out var json))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json);
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
        builder.Services.AddSingleton<IAttachmentStore>(new FlakyStore(_attachments, _failingUploads));
        builder.Services.AddProblemDetails();
        builder.Services.AddEmailChannel(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton(provider =>
            new GraphMailClient(new Uri(_graph.Urls.First() + "/v1.0/"), new FixedTokenCredential(GraphToken, GraphMailClient.Scope), new GraphMailClientOptions { MaxMessageBytes = 65536 })));
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
    public async Task An_attachment_over_the_limit_is_left_out_and_the_message_is_still_filed()
    {
        var small = Convert.ToBase64String(new byte[10]);
        var big = Convert.ToBase64String(new byte[1025]);
        var response = await _http.PostAsync("/api/email/inbound", Json($$"""
            {"from":"cara@example.org","subject":"files","text":"Photos attached","attachments":[
              {"name":"small.bin","contentBase64":"{{small}}"},{"name":"big.bin","contentBase64":"{{big}}"}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(1, answer["attachments"]!.GetValue<int>());
        var notKeptAnswer = Assert.Single(answer["attachmentsNotKept"]!.AsArray())!;
        Assert.Equal(("big.bin", 1025L, 1024L), (notKeptAnswer["name"]!.GetValue<string>(), notKeptAnswer["size"]!.GetValue<long>(), notKeptAnswer["limit"]!.GetValue<long>()));
        var email = Assert.Single(_sink.Received);
        Assert.Equal("Photos attached", email.PlainText);
        Assert.Equal("small.bin", Assert.Single(email.Attachments).Name);
        var notKept = Assert.Single(email.AttachmentsNotKept);
        Assert.Equal(("big.bin", 1025L, 1024L), (notKept.Name, notKept.Length, notKept.Limit));
        Assert.Contains("big.bin (1025 bytes) not kept", notKept.Describe());
        Assert.Equal(1, _attachments.Count);
    }

    [Fact]
    public async Task A_form_attachment_over_the_limit_is_left_out_the_same_way()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("cara@example.org"), "from" },
            { new StringContent("Scan"), "subject" },
            { new StringContent("See the scan"), "text" },
            { new ByteArrayContent(new byte[2000]), "attachment1", "scan.tiff" },
        };

        var response = await _http.PostAsync("/api/email/inbound", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("See the scan", 0), (email.PlainText, email.Attachments.Count));
        Assert.Equal(("scan.tiff", 2000L), (email.AttachmentsNotKept[0].Name, email.AttachmentsNotKept[0].Length));
        Assert.Equal(0, _attachments.Count);
    }

    [Fact]
    public async Task A_redelivered_email_stores_each_attachment_once_under_the_same_id()
    {
        var json = """
            {"from":"cara@example.org","subject":"twice","messageId":"<twice@example.org>","attachments":[
              {"name":"a.txt","contentBase64":"aGVsbG8="},{"name":"b.txt","contentBase64":"d29ybGQ="}]}
            """;

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", Json(json), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", Json(json), Ct)).StatusCode);

        Assert.Equal(2, _attachments.Count);
        Assert.Equal(_sink.Received[0].Attachments.Select(a => a.Id), _sink.Received[1].Attachments.Select(a => a.Id));
    }

    [Fact]
    public async Task A_failed_attachment_upload_files_nothing_and_the_retry_completes_the_email()
    {
        _failingUploads.Enqueue(1); // the second attachment's first upload fails
        var json = """
            {"from":"cara@example.org","subject":"retry","messageId":"<retry@example.org>","attachments":[
              {"name":"a.txt","contentBase64":"aGVsbG8="},{"name":"b.txt","contentBase64":"d29ybGQ="}]}
            """;

        var failed = await _http.PostAsync("/api/email/inbound", Json(json), Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Empty(_sink.Received);

        var retried = await _http.PostAsync("/api/email/inbound", Json(json), Ct);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(["a.txt", "b.txt"], email.Attachments.Select(a => a.Name));
        Assert.Equal(2, _attachments.Count);
    }

    [Fact]
    public async Task Form_fields_are_decoded_with_the_charsets_the_form_names()
    {
        var latin1 = Encoding.Latin1;
        // From the code-page provider itself: Encoding.GetEncoding(1252) works only once the app has registered it, which depends on test order.
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Zoë <zoe@example.org>"), "from" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("Grüße aus Köln")), "subject" },
            { new ByteArrayContent(latin1.GetBytes("Façade, señor, 50 °C")), "text" },
            { new ByteArrayContent(windows1252.GetBytes("<p>“Quotes” – €5</p>")), "html" },
            { new StringContent("""{"from":"UTF-8","subject":"UTF-8","text":"iso-8859-1","html":"windows-1252"}"""), "charsets" },
        };

        var response = await _http.PostAsync("/api/email/inbound", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("Grüße aus Köln", "Façade, señor, 50 °C", "<p>“Quotes” – €5</p>", "Zoë"), (email.Subject, email.PlainText, email.Html, email.FromName));
    }

    [Fact]
    public async Task An_unknown_or_unreadable_charset_falls_back_to_utf8_and_the_message_is_filed()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("cara@example.org"), "from" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("Grüße")), "text" },
            { new StringContent("""{"text":"x-no-such-charset"}"""), "charsets" },
        };
        using var broken = new MultipartFormDataContent
        {
            { new StringContent("cara@example.org"), "from" },
            { new StringContent("Hi"), "subject" },
            { new StringContent("{not json"), "charsets" },
        };

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", form, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/api/email/inbound", broken, Ct)).StatusCode);

        Assert.Equal(["Grüße", null], _sink.Received.Select(e => e.PlainText));
        Assert.Equal("Hi", _sink.Received[1].Subject);
    }

    [Fact]
    public async Task A_malformed_form_is_a_400_problem()
    {
        var noBoundary = new ByteArrayContent("--x\r\n"u8.ToArray());
        noBoundary.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        var noFrom = new MultipartFormDataContent { { new StringContent("Hello"), "text" } };
        var badDisposition = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--\r\n"));
        badDisposition.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        foreach (var content in new HttpContent[] { noBoundary, noFrom, badDisposition })
        {
            var response = await _http.PostAsync("/api/email/inbound", content, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
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
    public async Task A_graph_message_with_an_oversized_attachment_is_filed_without_it()
    {
        _graphMessages["big-1"] = MimeWithAttachment("<big-1@example.org>", "huge.zip", 3000);

        var response = await _http.PostAsync("/api/email/graph", Json(Notification(ClientState, "big-1")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("<big-1@example.org>", "Please see the file."), (email.MessageId, email.PlainText?.Trim()));
        Assert.Empty(email.Attachments);
        Assert.Equal(("huge.zip", 3000L, 1024L), (email.AttachmentsNotKept[0].Name, email.AttachmentsNotKept[0].Length, email.AttachmentsNotKept[0].Limit));
        Assert.Equal(0, _attachments.Count);
    }

    [Fact]
    public async Task A_duplicate_graph_notification_stores_the_attachments_once()
    {
        _graphMessages["dup-1"] = InboundEmailReaderTests.ReplyMime;

        await _http.PostAsync("/api/email/graph", Json(Notification(ClientState, "dup-1")), Ct);
        var again = await _http.PostAsync("/api/email/graph", Json(Notification(ClientState, "dup-1", "dup-1")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(1, _attachments.Count);
        Assert.Single(_sink.Received.SelectMany(e => e.Attachments).Select(a => a.Id).Distinct());
    }

    [Fact]
    public async Task A_graph_message_too_large_to_fetch_as_mime_is_read_as_json_and_filed_without_attachments()
    {
        // Over Email:MaxMessageBytes (65536): the MIME is not downloaded; the JSON message and attachment list are.
        _graphMessages["huge-1"] = MimeWithAttachment("<huge-1@example.org>", "video.mp4", 70_000);
        _graphJson["huge-1"] = """
            {"internetMessageId":"<huge-1@example.org>","subject":"Video","from":{"emailAddress":{"name":"Cara","address":"cara@example.org"}},
             "toRecipients":[{"emailAddress":{"address":"support@contoso.com"}}],"body":{"contentType":"text","content":"Please see the file."},
             "internetMessageHeaders":[{"name":"In-Reply-To","value":"<ours-7@contoso.com>"}]}
            """;
        _graphJson["huge-1/attachments"] = """{"value":[{"name":"video.mp4","contentType":"video/mp4","size":70000},{"name":"note.txt","size":12}]}""";

        var response = await _http.PostAsync("/api/email/graph", Json(Notification(ClientState, "huge-1")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var email = Assert.Single(_sink.Received);
        Assert.Equal(("<huge-1@example.org>", "cara@example.org", "Cara", "<ours-7@contoso.com>", "Please see the file."),
            (email.MessageId, email.From, email.FromName, email.InReplyTo, email.PlainText));
        Assert.Equal([("video.mp4", 70000L, 1024L), ("note.txt", 12L, 65536L)], email.AttachmentsNotKept.Select(a => (a.Name, a.Length ?? -1, a.Limit)));
        Assert.Contains(_graphRequests, r => r.StartsWith($"/v1.0/users/{Mailbox}/messages/huge-1/attachments", StringComparison.Ordinal));
    }

    private static string MimeWithAttachment(string messageId, string fileName, int size) => $"""
        From: Cara <cara@example.org>
        To: support@contoso.com
        Subject: File
        Message-ID: {messageId}
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Please see the file.
        --b1
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename="{fileName}"
        Content-Transfer-Encoding: base64

        {Convert.ToBase64String(new byte[size], Base64FormattingOptions.InsertLineBreaks)}
        --b1--
        """.ReplaceLineEndings("\r\n");

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

    /// <summary>Fails the upload whose position (counted from 0 across all uploads) is queued, as a storage outage would.</summary>
    private sealed class FlakyStore(IAttachmentStore inner, ConcurrentQueue<int> failing) : IAttachmentStore
    {
        private int _uploads = -1;

        public Task<StoredAttachment> SaveAsync(string id, string name, string contentType, Stream content, CancellationToken cancellationToken = default) =>
            failing.TryPeek(out var fail) && Interlocked.Increment(ref _uploads) == fail && failing.TryDequeue(out _)
                ? throw new IOException("Storage is unavailable.")
                : inner.SaveAsync(id, name, contentType, content, cancellationToken);

        public Task<Stream?> OpenAsync(string id, CancellationToken cancellationToken = default) => inner.OpenAsync(id, cancellationToken);
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
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class NotificationJson : System.Text.Json.Serialization.JsonSerializerContext;
