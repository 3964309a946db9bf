using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>Where the simulator's mid-call events go. Called in the order the events happen on each call.</summary>
public interface ICallbackSink
{
    void Send(string callConnectionId, Uri callbackUri, JsonObject cloudEvent);
}

/// <summary>One callback as posted: the call, the URI and the CloudEvent.</summary>
public sealed record SentCallback(string CallConnectionId, Uri CallbackUri, JsonObject CloudEvent)
{
    public string Type => CloudEvent["type"]!.GetValue<string>();
}

/// <summary>Keeps callbacks in memory instead of posting them (the REST client's tests have no receiver).</summary>
public sealed class RecordingCallbackSink : ICallbackSink
{
    public ConcurrentQueue<SentCallback> Sent { get; } = new();

    public void Send(string callConnectionId, Uri callbackUri, JsonObject cloudEvent) => Sent.Enqueue(new(callConnectionId, callbackUri, cloudEvent));
}

/// <summary>
/// Posts callbacks as ACS does: a JSON array holding one CloudEvent, Authorization: Bearer &lt;JWT&gt;, in order per call
/// (one delivery loop per call connection) and never on the thread that answered the REST request. A failed delivery
/// is retried after 0.5, 1 and 2 seconds of real time — the backoff is about the network, not the simulated call —
/// then logged and dropped.
/// </summary>
public sealed class HttpCallbackSender(IHttpClientFactory httpClients, CallbackTokenIssuer tokens, ILogger<HttpCallbackSender> logger)
    : ICallbackSink, IAsyncDisposable
{
    public const string HttpClientName = "acs-simulator-callbacks";
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly ConcurrentDictionary<string, Channel<SentCallback>> _perCall = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();

    public void Send(string callConnectionId, Uri callbackUri, JsonObject cloudEvent)
    {
        var created = false;
        var channel = _perCall.GetOrAdd(callConnectionId, _ =>
        {
            created = true;
            return Channel.CreateUnbounded<SentCallback>(new UnboundedChannelOptions { SingleReader = true });
        });
        if (created)
        {
            _loops.Add(Task.Run(() => DeliverAsync(channel.Reader, _stopping.Token)));
        }
        channel.Writer.TryWrite(new SentCallback(callConnectionId, callbackUri, cloudEvent));
    }

    private async Task DeliverAsync(ChannelReader<SentCallback> reader, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var callback in reader.ReadAllAsync(cancellationToken))
            {
                await PostWithRetriesAsync(callback, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PostWithRetriesAsync(SentCallback callback, CancellationToken cancellationToken)
    {
        var body = new JsonArray(callback.CloudEvent.DeepClone()).ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, callback.CallbackUri)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.CreateToken());
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timed out";
            }
            if (attempt >= RetryDelays.Length)
            {
                logger.LogWarning("Gave up delivering {EventType} for call {CallConnectionId} to {CallbackUri} after {Attempts} attempts: {Failure}",
                    callback.Type, callback.CallConnectionId, callback.CallbackUri, attempt + 1, failure);
                return;
            }
            logger.LogInformation("Callback {EventType} for call {CallConnectionId} failed ({Failure}); retrying", callback.Type, callback.CallConnectionId, failure);
            await Task.Delay(RetryDelays[attempt], cancellationToken);
        }
    }

    private int _disposed;

    // Registered under two service types, so the container may dispose it twice.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var channel in _perCall.Values)
        {
            channel.Writer.TryComplete();
        }
        await Task.WhenAll(_loops).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }
}
