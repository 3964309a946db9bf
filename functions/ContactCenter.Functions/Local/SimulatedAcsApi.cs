using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace ContactCenter.Functions.Local;

/// <summary>One request as a simulated ACS API saw it, with the status it answered (tests assert on these).</summary>
public sealed record SimulatedAcsRequest(string Method, string Path, string? ApiVersion, string? Operation,
    IReadOnlyDictionary<string, string> Headers, JsonObject? Body, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What a simulated operation answers: status, ACS-shaped body, and any response headers (Operation-Location ...).</summary>
public readonly record struct AcsReply(int Status, JsonObject? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static implicit operator AcsReply((int Status, JsonObject? Body) reply) => new(reply.Status, reply.Body);
}

/// <summary>How a simulated ACS API authenticates requests.</summary>
public sealed record AcsAuthentication(string AccessKey, TimeSpan AllowedClockSkew, string? AcceptedBearerToken);

/// <summary>
/// What every simulated ACS REST API (Call Automation, SMS, Email) does before and around its operations, as ACS does
/// it: HMAC-SHA256 access-key authentication (or one bearer token over HTTPS), the api-version check, a JSON-object
/// body, Repeatability-Request-ID replays, failures injected on demand, and a log of every request with its answer.
/// Each simulator owns one, so failures injected into one API never hit another.
/// </summary>
public sealed class SimulatedAcsApi
{
    private const string HmacPrefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";

    private readonly AcsAuthentication _authentication;
    private readonly byte[] _accessKey;
    private readonly TimeProvider _time;
    private readonly Lock _gate;
    private readonly List<InjectedFailure> _failures = [];
    private readonly ConcurrentDictionary<string, AcsReply> _repeatable = new(StringComparer.Ordinal);
    private int _executions;

    /// <param name="gate">The owner's lock: operations run under it, so they see the owner's state consistently.</param>
    public SimulatedAcsApi(AcsAuthentication authentication, TimeProvider time, Lock gate)
    {
        _authentication = authentication;
        _accessKey = Convert.FromBase64String(authentication.AccessKey);
        _time = time;
        _gate = gate;
    }

    /// <summary>Every REST request, in arrival order, with the status it got.</summary>
    public ConcurrentQueue<SimulatedAcsRequest> Requests { get; } = new();

    /// <summary>Operations actually carried out (replays and failures injected before execution do not count).</summary>
    public int Executions => Volatile.Read(ref _executions);

    private sealed class InjectedFailure(int status, int count, string? operation, string? code, string? message, bool afterExecuting)
    {
        public int Status { get; } = status;
        public int Remaining { get; set; } = count;
        public string? Operation { get; } = operation;
        public string? Code { get; } = code;
        public string? Message { get; } = message;
        public bool AfterExecuting { get; } = afterExecuting;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (for <paramref name="operation"/> only when named, as the owner names
    /// its operations) answer <paramref name="status"/>, with an ACS error body when a code is given. With
    /// <paramref name="afterExecuting"/> the operation is carried out first, as when a response is lost on the way back.
    /// </summary>
    public void InjectFailure(int status, int count = 1, string? operation = null, string? code = null, string? message = null, bool afterExecuting = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _failures.Add(new InjectedFailure(status, count, operation, code, message, afterExecuting));
        }
    }

    /// <summary>
    /// Serves one request whose path is relative to the simulator's base. <paramref name="execute"/> runs under the
    /// owner's lock only for authentic, well-formed requests; its answer is recorded and, when the request carried a
    /// Repeatability-Request-ID, replayed for repeats.
    /// </summary>
    public async Task HandleAsync(HttpContext context, string apiVersion, string? operation, Func<HttpRequest, JsonObject, AcsReply> execute)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        JsonObject? body = null;
        var malformed = false;
        try
        {
            body = bytes.Length == 0 ? null : JsonNode.Parse(bytes) as JsonObject;
            malformed = bytes.Length > 0 && body is null;
        }
        catch (JsonException)
        {
            malformed = true;
        }
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var reply = Respond(request, rawTarget, apiVersion, operation, bytes, body, malformed, execute);
        Requests.Enqueue(new SimulatedAcsRequest(request.Method, path, request.Query["api-version"].FirstOrDefault(), operation, headers, body, reply.Status));
        await WriteAsync(context, reply);
    }

    public static async Task WriteAsync(HttpContext context, AcsReply reply)
    {
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body.ToJsonString(), context.RequestAborted);
        }
    }

    private AcsReply Respond(HttpRequest request, string rawTarget, string apiVersion, string? operation, byte[] bytes, JsonObject? body, bool malformed,
        Func<HttpRequest, JsonObject, AcsReply> execute)
    {
        if (Authenticate(request, rawTarget, bytes) is { } refusal)
        {
            return (401, Error("401", refusal));
        }
        if (request.Query["api-version"] != apiVersion)
        {
            return (400, Error("UnsupportedApiVersion", $"api-version must be {apiVersion}."));
        }
        if (malformed)
        {
            return (400, Error("BadRequest", "The body is not a JSON object."));
        }
        var repeatId = request.Headers["Repeatability-Request-ID"].ToString();
        if (repeatId.Length > 0)
        {
            if (!DateTimeOffset.TryParseExact(request.Headers["Repeatability-First-Sent"].ToString(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return (400, Error("InvalidRepeatabilityHeaders", "Repeatability-First-Sent must accompany Repeatability-Request-ID as an IMF-fixdate."));
            }
            if (_repeatable.TryGetValue(repeatId, out var earlier))
            {
                return earlier;
            }
        }
        lock (_gate)
        {
            var failure = TakeFailure(operation);
            if (failure is { AfterExecuting: false })
            {
                return Failed(failure);
            }
            var result = execute(request, body ?? []);
            if (result.Status < 400)
            {
                _executions++;
                if (repeatId.Length > 0)
                {
                    _repeatable[repeatId] = result;
                }
            }
            return failure is null ? result : Failed(failure);
        }

        static AcsReply Failed(InjectedFailure failure) =>
            (failure.Status, failure.Code is null ? null : Error(failure.Code, failure.Message ?? "Injected failure."));
    }

    private InjectedFailure? TakeFailure(string? operation)
    {
        var failure = _failures.FirstOrDefault(f => f.Operation is null || string.Equals(f.Operation, operation, StringComparison.OrdinalIgnoreCase));
        if (failure is not null && --failure.Remaining == 0)
        {
            _failures.Remove(failure);
        }
        return failure;
    }

    /// <summary>Null when the request is authentic; otherwise why not. The same checks ACS makes for an access key.</summary>
    private string? Authenticate(HttpRequest request, string rawTarget, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return _authentication.AcceptedBearerToken is { } token && request.IsHttps && authorization == "Bearer " + token ? null : "Bearer token refused.";
        }
        if (!authorization.StartsWith(HmacPrefix, StringComparison.Ordinal))
        {
            return "Missing or malformed HMAC-SHA256 authorization.";
        }
        var date = request.Headers["x-ms-date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            || (_time.GetUtcNow() - sent).Duration() > _authentication.AllowedClockSkew)
        {
            return "x-ms-date is missing or too far from now.";
        }
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        if (request.Headers["x-ms-content-sha256"] != contentHash)
        {
            return "x-ms-content-sha256 does not match the body.";
        }
        var stringToSign = $"{request.Method}\n{rawTarget}\n{date};{request.Host.Value};{contentHash}";
        var expected = HMACSHA256.HashData(_accessKey, Encoding.UTF8.GetBytes(stringToSign));
        var presented = authorization[HmacPrefix.Length..];
        var presentedBytes = new byte[presented.Length];
        return Convert.TryFromBase64String(presented, presentedBytes, out var written)
            && CryptographicOperations.FixedTimeEquals(expected, presentedBytes.AsSpan(0, written)) ? null : "Signature mismatch.";
    }

    /// <summary>ACS's CommunicationErrorResponse.</summary>
    public static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
