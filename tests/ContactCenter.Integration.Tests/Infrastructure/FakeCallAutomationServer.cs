using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// An ACS Call Automation endpoint on real Kestrel (127.0.0.1, any port, optionally TLS). It authenticates as ACS does
/// — HMAC-SHA256 over "VERB\npath-and-query\nx-ms-date;host;x-ms-content-sha256" with the access key, the body hash
/// checked, dates more than 15 minutes off refused — or accepts one bearer token over TLS; it records every request,
/// answers with the specification's response shapes, replays a result for a repeated Repeatability-Request-ID instead
/// of executing again, and fails on demand (<see cref="FailNext"/>).
/// </summary>
public sealed class FakeCallAutomationServer : IAsyncDisposable
{
    /// <summary>base64("fake-acs-access-key-for-tests").</summary>
    public const string AccessKey = "ZmFrZS1hY3MtYWNjZXNzLWtleS1mb3ItdGVzdHM=";
    public const string ApiVersion = "2025-06-15";
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(15);

    private readonly WebApplication _server;
    private readonly string? _bearerToken;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentDictionary<string, (int Status, JsonObject? Body)> _repeatable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _recordings = new(StringComparer.Ordinal);
    private int _executions;

    public sealed record Received(string Method, string Path, string? ApiVersion, IReadOnlyDictionary<string, string> Headers, JsonObject? Body, int Status)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    private sealed record Failure(int Status, string? Code, string? Message, bool AfterExecuting);

    private FakeCallAutomationServer(WebApplication server, string? bearerToken, TimeProvider time)
    {
        _server = server;
        _bearerToken = bearerToken;
        _time = time;
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Operations actually carried out (replays and injected failures before execution do not count).</summary>
    public int Executions => Volatile.Read(ref _executions);

    public Uri Endpoint => new(_server.Urls.First());
    public string ConnectionString => $"endpoint={Endpoint};accesskey={AccessKey}";

    /// <summary>Answer the next request with <paramref name="status"/> (and an ACS error body when a code is given);
    /// with <paramref name="afterExecuting"/> the operation is carried out first, as when a response is lost.</summary>
    public void FailNext(int status, string? code = null, string? message = null, bool afterExecuting = false) =>
        _failures.Enqueue(new Failure(status, code, message, afterExecuting));

    public static async Task<FakeCallAutomationServer> StartAsync(X509Certificate2? certificate = null, string? bearerToken = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var server = builder.Build();
        var fake = new FakeCallAutomationServer(server, bearerToken, time ?? TimeProvider.System);
        server.Run(fake.HandleAsync);
        await server.StartAsync();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        JsonObject? body = bytes.Length == 0 ? null : JsonNode.Parse(bytes)?.AsObject();
        var (status, answer) = Respond(context, bytes, body);
        Requests.Enqueue(new Received(request.Method, request.Path.Value ?? "", request.Query["api-version"].FirstOrDefault(), headers, body, status));
        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString());
        }
    }

    private (int, JsonObject?) Respond(HttpContext context, byte[] bytes, JsonObject? body)
    {
        if (Authenticate(context, bytes) is { } refusal)
        {
            return (401, Error("401", refusal));
        }
        if (context.Request.Query["api-version"] != ApiVersion)
        {
            return (400, Error("UnsupportedApiVersion", $"api-version must be {ApiVersion}."));
        }
        var repeatId = context.Request.Headers["Repeatability-Request-ID"].ToString();
        if (repeatId.Length > 0)
        {
            if (!DateTimeOffset.TryParseExact(context.Request.Headers["Repeatability-First-Sent"].ToString(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return (400, Error("InvalidRepeatabilityHeaders", "Repeatability-First-Sent must accompany Repeatability-Request-ID as an IMF-fixdate."));
            }
            if (_repeatable.TryGetValue(repeatId, out var earlier))
            {
                return earlier;
            }
        }
        _failures.TryDequeue(out var failure);
        if (failure is { AfterExecuting: false })
        {
            return (failure.Status, failure.Code is null ? null : Error(failure.Code, failure.Message ?? "Injected failure."));
        }
        var result = Execute(context.Request.Method, context.Request.Path.Value ?? "", body);
        if (result.Item1 < 400)
        {
            Interlocked.Increment(ref _executions);
            if (repeatId.Length > 0)
            {
                _repeatable[repeatId] = result;
            }
        }
        return failure is null ? result : (failure.Status, failure.Code is null ? null : Error(failure.Code, failure.Message ?? "Injected failure."));
    }

    /// <summary>Null when the request is authentic; otherwise why not.</summary>
    private string? Authenticate(HttpContext context, byte[] body)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return _bearerToken is not null && request.IsHttps && authorization == "Bearer " + _bearerToken ? null : "Bearer token refused.";
        }
        const string Prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        if (!authorization.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "Missing or malformed HMAC-SHA256 authorization.";
        }
        var date = request.Headers["x-ms-date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            || (_time.GetUtcNow() - sent).Duration() > AllowedClockSkew)
        {
            return "x-ms-date is missing or too far from now.";
        }
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        if (request.Headers["x-ms-content-sha256"] != contentHash)
        {
            return "x-ms-content-sha256 does not match the body.";
        }
        var pathAndQuery = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var stringToSign = $"{request.Method}\n{pathAndQuery}\n{date};{request.Host.Value};{contentHash}";
        var expected = HMACSHA256.HashData(Convert.FromBase64String(AccessKey), Encoding.UTF8.GetBytes(stringToSign));
        var presented = authorization[Prefix.Length..];
        var presentedBytes = new byte[presented.Length];
        return Convert.TryFromBase64String(presented, presentedBytes, out var written)
            && CryptographicOperations.FixedTimeEquals(expected, presentedBytes.AsSpan(0, written)) ? null : "Signature mismatch.";
    }

    private (int, JsonObject?) Execute(string method, string path, JsonObject? body)
    {
        const string Calls = "/calling/callConnections";
        if (method == "POST" && path == Calls + ":answer")
        {
            return Require(body, "incomingCallContext", "callbackUri") ?? (200, NewCall(body!, targets: null));
        }
        if (method == "POST" && path == Calls)
        {
            return Require(body, "targets", "callbackUri") ?? (201, NewCall(body!, body!["targets"]!.DeepClone().AsArray()));
        }
        if (method == "POST" && path == Calls + ":reject")
        {
            return Require(body, "incomingCallContext") ?? (204, null);
        }
        if (method == "POST" && path == Calls + ":redirect")
        {
            return Require(body, "incomingCallContext", "target") ?? (204, null);
        }
        if (path.StartsWith(Calls + "/", StringComparison.Ordinal))
        {
            var rest = path[(Calls.Length + 1)..];
            var cut = rest.IndexOfAny([':', '/']);
            var id = cut < 0 ? rest : rest[..cut];
            var action = cut < 0 ? "" : rest[cut..];
            if (!_calls.ContainsKey(id))
            {
                return (404, Error("8522", "Call connection not found."));
            }
            return (method, action) switch
            {
                ("DELETE", "") => (204, null),
                ("POST", ":terminate") => _calls.TryRemove(id, out _) ? (204, null) : (404, null),
                ("POST", ":play") => Require(body, "playSources") ?? (202, null),
                ("POST", ":recognize") => Require(body, "recognizeInputType", "recognizeOptions") ?? (202, null),
                ("POST", ":cancelAllMediaOperations") => (202, null),
                ("POST", ":transferToParticipant") => Require(body, "targetParticipant") ?? (202, new JsonObject { ["operationContext"] = body!["operationContext"]?.DeepClone() }),
                ("POST", "/participants:add") => Require(body, "participantToAdd") ?? (202, new JsonObject
                {
                    ["participant"] = new JsonObject { ["identifier"] = body!["participantToAdd"]!.DeepClone(), ["isMuted"] = false, ["isOnHold"] = false },
                    ["operationContext"] = body["operationContext"]?.DeepClone(),
                    ["invitationId"] = Guid.NewGuid().ToString(),
                }),
                ("POST", "/participants:remove") => Require(body, "participantToRemove") ?? (202, new JsonObject { ["operationContext"] = body!["operationContext"]?.DeepClone() }),
                _ => (404, Error("NotFound", $"No operation {method} {path}.")),
            };
        }
        if (method == "POST" && path == "/calling/recordings")
        {
            if (Require(body, "callConnectionId") is { } missing)
            {
                return missing;
            }
            var recordingId = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            _recordings[recordingId] = true;
            return (200, new JsonObject { ["recordingId"] = recordingId, ["recordingState"] = "active", ["recordingKind"] = "azureCommunicationServices" });
        }
        if (method == "DELETE" && path.StartsWith("/calling/recordings/", StringComparison.Ordinal))
        {
            return _recordings.TryRemove(Uri.UnescapeDataString(path["/calling/recordings/".Length..]), out _) ? (204, null) : (404, Error("NotFound", "Recording not found."));
        }
        return (404, Error("NotFound", $"No operation {method} {path}."));
    }

    private JsonObject NewCall(JsonObject request, JsonArray? targets)
    {
        var id = Guid.NewGuid().ToString();
        _calls[id] = true;
        return new JsonObject
        {
            ["callConnectionId"] = id,
            ["serverCallId"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("server-call-" + id)),
            ["targets"] = targets ?? [],
            ["callConnectionState"] = "connecting",
            ["callbackUri"] = request["callbackUri"]!.DeepClone(),
            ["correlationId"] = Guid.NewGuid().ToString(),
        };
    }

    private static (int, JsonObject?)? Require(JsonObject? body, params string[] fields) =>
        body is not null && fields.All(f => body[f] is not null)
            ? null
            : (400, Error("BadRequest", $"Required: {string.Join(", ", fields)}."));

    public static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
