using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Communication;

/// <summary>The ACS Email client against a fake ACS Email on Kestrel that checks the HMAC signature as ACS does.</summary>
public sealed class EmailClientTests : IAsyncLifetime
{
    private const string AccessKey = "ZmFrZS1hY3MtYWNjZXNzLWtleS1mb3ItdGVzdHM=";
    private WebApplication _server = null!;
    private readonly ConcurrentQueue<(string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body)> _requests = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _failures = new();
    private readonly ConcurrentDictionary<string, string> _statuses = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string ConnectionString => $"endpoint={_server.Urls.First()}/;accesskey={AccessKey}";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(HandleAsync);
        await _server.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        // Copied: Kestrel reuses a request's header collection once it is answered.
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue((context.Request.Method, pathAndQuery, headers, body));
        if (!SignatureValid(context.Request, pathAndQuery, body))
        {
            context.Response.StatusCode = 401;
            return;
        }
        if (_failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(failure.Body);
            return;
        }
        context.Response.ContentType = "application/json";
        if (context.Request.Method == "POST" && context.Request.Path == "/emails:send")
        {
            var id = context.Request.Headers["Operation-Id"].ToString();
            _statuses.TryAdd(id, "Running");
            context.Response.StatusCode = 202;
            context.Response.Headers["Operation-Location"] = $"{_server.Urls.First()}/emails/operations/{id}?api-version=2023-03-31";
            await context.Response.WriteAsync($$"""{"id":"{{id}}","status":"Running"}""");
            return;
        }
        if (context.Request.Method == "GET" && context.Request.Path.StartsWithSegments("/emails/operations", out var rest)
            && _statuses.TryGetValue(rest.Value!.Trim('/'), out var status))
        {
            await context.Response.WriteAsync(status == "Failed"
                ? $$$"""{"id":"{{{rest.Value!.Trim('/')}}}","status":"Failed","error":{"code":"InvalidRecipient","message":"Mailbox unavailable"}}"""
                : $$"""{"id":"{{rest.Value!.Trim('/')}}","status":"{{status}}"}""");
            return;
        }
        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("""{"error":{"code":"NotFound","message":"No such operation"}}""");
    }

    // Computed here from the documented scheme, independently of the client's policy.
    private static bool SignatureValid(HttpRequest request, string pathAndQuery, string body)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var date = request.Headers["x-ms-date"].ToString();
        if (request.Headers["x-ms-content-sha256"] != hash || date.Length == 0)
        {
            return false;
        }
        var toSign = $"{request.Method}\n{pathAndQuery}\n{date};{request.Host.Value};{hash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AccessKey), Encoding.UTF8.GetBytes(toSign)));
        return request.Headers.Authorization == $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
    }

    private static OutgoingEmail Reply() => new("Contoso Support <support@contoso.com>", ["Cara <cara@example.org>"], "Re: parcel [#CASE-1]")
    {
        PlainText = "It ships today.",
        Html = "<p>It ships today.</p>",
        MessageId = "<ours-2@contoso.com>",
        InReplyTo = "<reply-1@example.org>",
        References = ["<ours-1@contoso.com>", "<reply-1@example.org>"],
        Attachments = [new EmailAttachment("label.pdf", "application/pdf", new byte[] { 1, 2, 3 })],
    };

    [Fact]
    public async Task Send_posts_the_specification_shape_signed_with_threading_headers_and_an_operation_id()
    {
        var options = new EmailClientOptions();
        options.ReplyTo.Add("support-inbox@contoso.com");
        var client = new EmailClient(ConnectionString, options);

        var result = await client.SendAsync(Reply(), Ct);

        var request = Assert.Single(_requests);
        Assert.Equal(("POST", "/emails:send?api-version=2023-03-31"), (request.Method, request.PathAndQuery));
        Assert.True(Guid.TryParse(request.Headers["Operation-Id"], out _));
        Assert.Equal(new EmailSendResult(request.Headers["Operation-Id"], EmailSendState.Running), result);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("support@contoso.com", root.GetProperty("senderAddress").GetString());
        var to = root.GetProperty("recipients").GetProperty("to")[0];
        Assert.Equal(("cara@example.org", "Cara"), (to.GetProperty("address").GetString(), to.GetProperty("displayName").GetString()));
        Assert.Equal("Re: parcel [#CASE-1]", root.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal("It ships today.", root.GetProperty("content").GetProperty("plainText").GetString());
        Assert.Equal("<p>It ships today.</p>", root.GetProperty("content").GetProperty("html").GetString());
        var attachment = root.GetProperty("attachments")[0];
        Assert.Equal(("label.pdf", "application/pdf", "AQID"), (attachment.GetProperty("name").GetString(),
            attachment.GetProperty("contentType").GetString(), attachment.GetProperty("contentInBase64").GetString()));
        var headers = root.GetProperty("headers");
        Assert.Equal("<ours-2@contoso.com>", headers.GetProperty("Message-ID").GetString());
        Assert.Equal("<reply-1@example.org>", headers.GetProperty("In-Reply-To").GetString());
        Assert.Equal("<ours-1@contoso.com> <reply-1@example.org>", headers.GetProperty("References").GetString());
        Assert.Equal("support-inbox@contoso.com", root.GetProperty("replyTo")[0].GetProperty("address").GetString());
        Assert.True(root.GetProperty("userEngagementTrackingDisabled").GetBoolean());
    }

    [Fact]
    public async Task The_operation_is_polled_until_it_succeeds_or_fails()
    {
        var client = new EmailClient(ConnectionString);
        var sent = await client.SendAsync(Reply(), Ct);

        Assert.Equal(EmailSendState.Running, (await client.GetStatusAsync(sent.OperationId, Ct)).State);
        _statuses[sent.OperationId] = "Succeeded";
        Assert.Equal(new EmailSendResult(sent.OperationId, EmailSendState.Succeeded), await client.GetStatusAsync(sent.OperationId, Ct));
        _statuses[sent.OperationId] = "Failed";
        Assert.Equal(new EmailSendResult(sent.OperationId, EmailSendState.Failed, "InvalidRecipient: Mailbox unavailable"), await client.GetStatusAsync(sent.OperationId, Ct));
        Assert.Equal($"/emails/operations/{sent.OperationId}?api-version=2023-03-31", _requests.Last().PathAndQuery);

        var unknown = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetStatusAsync("no-such-operation", Ct));
        Assert.Equal((404, "NotFound"), (unknown.Status, unknown.ErrorCode));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_as_the_same_operation()
    {
        _failures.Enqueue((503, """{"error":{"code":"ServiceUnavailable","message":"busy"}}"""));
        var client = new EmailClient(ConnectionString);

        var result = await client.SendAsync(Reply(), Ct);

        Assert.Equal(2, _requests.Count);
        Assert.Single(_requests.Select(r => r.Headers["Operation-Id"]).Distinct());
        Assert.Equal(EmailSendState.Running, result.State);
    }

    [Fact]
    public async Task A_refusal_is_a_failed_result_and_a_wrong_key_is_refused_by_the_signature_check()
    {
        _failures.Enqueue((400, """{"error":{"code":"InvalidSenderUserName","message":"The sender is not verified."}}"""));
        var refused = await new EmailClient(ConnectionString).SendAsync(Reply(), Ct);
        Assert.Equal(EmailSendState.Failed, refused.State);
        Assert.Contains("InvalidSenderUserName", refused.Error);

        var wrongKey = new EmailClient($"endpoint={_server.Urls.First()}/;accesskey={Convert.ToBase64String(new byte[32])}");
        var unauthorized = await wrongKey.SendAsync(Reply(), Ct);
        Assert.Equal(EmailSendState.Failed, unauthorized.State);
        Assert.StartsWith("401", unauthorized.Error);
    }

    [Fact]
    public void The_delivery_report_event_is_read_into_a_report()
    {
        using var data = JsonDocument.Parse("""
            {"sender":"support@contoso.com","recipient":"cara@example.org","messageId":"op-1","status":"Bounced",
             "deliveryStatusDetails":{"statusMessage":"Mailbox full"},"deliveryAttemptTimestamp":"2026-11-03T09:16:00.123Z"}
            """);
        var inbound = new InboundEvent("ev-1", EmailDeliveryReportReader.EventType, "/acs", "sender/support@contoso.com/message/op-1",
            DateTimeOffset.UnixEpoch, data.RootElement);

        var report = EmailDeliveryReportReader.TryRead(inbound);

        Assert.Equal(new EmailDeliveryReport("op-1", "cara@example.org", "Bounced", "Mailbox full",
            new DateTimeOffset(2026, 11, 3, 9, 16, 0, 123, TimeSpan.Zero)), report);
        Assert.Null(EmailDeliveryReportReader.TryRead(new InboundEvent("ev-2", "Microsoft.Communication.SMSReceived", "/acs", null, DateTimeOffset.UnixEpoch, data.RootElement)));
        using var broken = JsonDocument.Parse("""{"recipient":"cara@example.org","status":"Delivered"}""");
        Assert.Throws<InvalidInboundEventException>(() => EmailDeliveryReportReader.TryRead(
            new InboundEvent("ev-3", EmailDeliveryReportReader.EventType, "/acs", null, DateTimeOffset.UnixEpoch, broken.RootElement)));
    }
}
