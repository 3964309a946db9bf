using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Local.CallAutomation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// ACS Call Automation on real Kestrel (127.0.0.1, any port, optionally TLS), served by the same
/// <see cref="CallAutomationSimulator"/> local mode uses: HMAC-SHA256 checked as ACS checks it (or one bearer token
/// over TLS), every request recorded, repeated Repeatability-Request-IDs replayed, failures on demand. Incoming call
/// contexts it never offered are accepted, so the client's tests need no simulated caller; callbacks are kept in
/// <see cref="Callbacks"/> instead of being posted.
/// </summary>
public sealed class FakeCallAutomationServer : IAsyncDisposable
{
    /// <summary>base64("fake-acs-access-key-for-tests").</summary>
    public const string AccessKey = "ZmFrZS1hY3MtYWNjZXNzLWtleS1mb3ItdGVzdHM=";
    public const string ApiVersion = CallAutomationSimulatorOptions.ApiVersion;

    private readonly WebApplication _server;
    private readonly CallbackTokenIssuer _tokens;

    private FakeCallAutomationServer(WebApplication server, CallAutomationSimulator simulator, RecordingCallbackSink callbacks, CallbackTokenIssuer tokens)
    {
        _server = server;
        Simulator = simulator;
        Callbacks = callbacks;
        _tokens = tokens;
    }

    public CallAutomationSimulator Simulator { get; }

    public RecordingCallbackSink Callbacks { get; }

    public ConcurrentQueue<SimulatedAcsRequest> Requests => Simulator.Requests;

    /// <summary>Operations actually carried out (replays and injected failures before execution do not count).</summary>
    public int Executions => Simulator.Executions;

    public Uri Endpoint => new(_server.Urls.First());
    public string ConnectionString => $"endpoint={Endpoint};accesskey={AccessKey}";

    /// <summary>Answer the next request with <paramref name="status"/> (and an ACS error body when a code is given);
    /// with <paramref name="afterExecuting"/> the operation is carried out first, as when a response is lost.</summary>
    public void FailNext(int status, string? code = null, string? message = null, bool afterExecuting = false) =>
        Simulator.InjectFailure(status, code: code, message: message, afterExecuting: afterExecuting);

    public static async Task<FakeCallAutomationServer> StartAsync(X509Certificate2? certificate = null, string? bearerToken = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var options = new CallAutomationSimulatorOptions { AccessKey = AccessKey, AcceptedBearerToken = bearerToken, AcceptUnknownIncomingCallContexts = true };
        var callbacks = new RecordingCallbackSink();
        var tokens = new CallbackTokenIssuer(options.ResourceId, time);
        var simulator = new CallAutomationSimulator(options, time, callbacks, tokens);
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
        server.Run(simulator.HandleAsync);
        await server.StartAsync();
        return new FakeCallAutomationServer(server, simulator, callbacks, tokens);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Simulator.Dispose();
        _tokens.Dispose();
    }
}
