using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>One request as the fake SMS service saw it, with the status it answered.</summary>
public sealed record SmsServiceRequest(string Method, string Path, string? ApiVersion, JsonObject? Body, IReadOnlyDictionary<string, string> Headers, int Status);

/// <summary>
/// ACS's SMS endpoint (<c>POST /sms</c>) on real Kestrel: checks the HMAC-SHA256 access-key signature, date and body
/// hash as ACS does (401 otherwise), records every request, and answers with the specification's per-recipient
/// results: accepted, or the outcome queued with <see cref="RespondNext"/> (a recipient refused, a whole-request error).
/// Kept apart from local mode's simulator so the client's tests fix the wire format independently of it.
/// </summary>
public sealed class FakeSmsServer : IAsyncDisposable
{
    public const string AccessKey = "ZmFrZS1hY3Mtc21zLWtleS1mb3ItdGVzdHM="; // base64("fake-acs-sms-key-for-tests")
    private const string HmacPrefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";

    private readonly WebApplication _server;
    private readonly ConcurrentQueue<Func<JsonObject, (int Status, string Body)>> _responses = new();
    private int _messages;

    private FakeSmsServer(WebApplication server) => _server = server;

    public ConcurrentQueue<SmsServiceRequest> Requests { get; } = new();

    public Uri Endpoint => new(_server.Urls.First());
    public string ConnectionString => $"endpoint={Endpoint};accesskey={AccessKey}";

    /// <summary>Answers the next authenticated request with what <paramref name="respond"/> makes of its body.</summary>
    public void RespondNext(Func<JsonObject, (int Status, string Body)> respond) => _responses.Enqueue(respond);

    public void RespondNext(int status, string body) => RespondNext(_ => (status, body));

    public static async Task<FakeSmsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = builder.Build();
        var fake = new FakeSmsServer(server);
        server.Run(fake.HandleAsync);
        await server.StartAsync();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var json = body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        var (status, answer) = Authenticate(request, rawTarget, body) is { } failure
            ? (401, $$$"""{"error":{"code":"Unauthorized","message":"{{{failure}}}"}}""")
            : request.Method != "POST" || request.Path != "/sms" || json is null
                ? (404, """{"error":{"code":"NotFound","message":"Only POST /sms is served."}}""")
                : _responses.TryDequeue(out var respond) ? respond(json) : Accepted(json);
        Requests.Enqueue(new SmsServiceRequest(request.Method, request.Path, request.Query["api-version"], json, headers, status));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
    }

    /// <summary>202 with every recipient accepted and given a message id.</summary>
    public (int, string) Accepted(JsonObject request)
    {
        var items = request["smsRecipients"]!.AsArray().Select(r => new JsonObject
        {
            ["to"] = r!["to"]!.GetValue<string>(),
            ["messageId"] = "Outgoing_" + Interlocked.Increment(ref _messages).ToString("D4", CultureInfo.InvariantCulture) + "_noam",
            ["httpStatusCode"] = 202,
            ["repeatabilityResult"] = "accepted",
            ["successful"] = true,
        });
        return (202, new JsonObject { ["value"] = new JsonArray([.. items]) }.ToJsonString());
    }

    private static string? Authenticate(HttpRequest request, string rawTarget, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(HmacPrefix, StringComparison.Ordinal))
        {
            return "Missing or malformed HMAC-SHA256 authorization.";
        }
        var date = request.Headers["x-ms-date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            || (DateTimeOffset.UtcNow - sent).Duration() > TimeSpan.FromMinutes(15))
        {
            return "x-ms-date is missing or too far from now.";
        }
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        if (request.Headers["x-ms-content-sha256"] != contentHash)
        {
            return "x-ms-content-sha256 does not match the body.";
        }
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AccessKey),
            Encoding.UTF8.GetBytes($"{request.Method}\n{rawTarget}\n{date};{request.Host.Value};{contentHash}")));
        return authorization[HmacPrefix.Length..] == expected ? null : "Signature mismatch.";
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
