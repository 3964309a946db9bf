using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Hosting;
using Cronos;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Local;

/// <summary>
/// Local mode's stand-in for the Azure Functions host. It owns in-process queues for the Service Bus queues the
/// functions bind to, fires timer triggers on their NCRONTAB schedules, and delivers Event Grid events — always by
/// POSTing the host's invocation payload to the app's own function endpoints over HTTP, so local mode exercises
/// exactly the code the real host calls. Failed deliveries are retried and finally dead-lettered, as Service Bus does.
/// </summary>
public sealed class LocalFunctionsHost : IHostedService, IDisposable
{
    private static readonly TimeSpan PastDueTolerance = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<FunctionDefinition> _functions;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly LocalHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LocalFunctionsHost> _logger;
    private readonly Dictionary<string, Channel<LocalMessage>> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DeadLetter> _deadLetters = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _armedTimers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _scheduled = new();
    private readonly HashSet<string> _sessionQueues = new(StringComparer.Ordinal);
    private long _scheduledSequence;
    private long _sequenceNumber;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly Lock _idleGate = new();
    private TaskCompletionSource _idle = NewCompletedIdle();
    private HttpClient? _http;
    private long _pending;
    private long _delivered;
    private readonly ILocalSignalRBinding? _signalR;

    public LocalFunctionsHost(IReadOnlyList<FunctionDefinition> functions, IServer server, IHostApplicationLifetime lifetime,
        IOptions<LocalHostOptions> options, TimeProvider timeProvider, ILogger<LocalFunctionsHost> logger, ILocalSignalRBinding? signalR = null)
    {
        _signalR = signalR;
        _functions = functions;
        _server = server;
        _lifetime = lifetime;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        foreach (var function in functions.Where(f => f.Trigger is ServiceBusTrigger or EventGridTrigger))
        {
            _sources[SourceOf(function)] = Channel.CreateUnbounded<LocalMessage>();
            if (function.Trigger is ServiceBusTrigger { IsSessionsEnabled: true } sessions)
            {
                _sessionQueues.Add(sessions.QueueName);
            }
        }
    }

    /// <summary>The address the handler listens on, known once the server has started.</summary>
    public Uri? BaseAddress => _http?.BaseAddress;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The server's address is only known once Kestrel is listening.
        _lifetime.ApplicationStarted.Register(StartLoops);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _http?.Dispose();
    }

    /// <summary>
    /// Sends a message to a Service Bus queue, as another service (or an output binding) would. A message scheduled for
    /// later waits on the injected TimeProvider and is enqueued at its time, as Service Bus scheduled messages are; it
    /// does not count as in flight until then. A session-enabled queue refuses a message without a session id, as
    /// Service Bus does.
    /// </summary>
    public string SendToQueue(string queueName, string body, string? sessionId = null, string? messageId = null, DateTimeOffset? scheduledFor = null,
        string? contentType = "application/json")
    {
        var id = messageId ?? Guid.NewGuid().ToString("N");
        if (!_sources.TryGetValue($"servicebus:{queueName}", out var channel))
        {
            // No function listens on this queue: keep the message visible instead of dropping it.
            _deadLetters.Enqueue(new DeadLetter(queueName, id, body, "No function is triggered by this queue.", 0, _timeProvider.GetUtcNow()));
            return id;
        }
        if (sessionId is null && _sessionQueues.Contains(queueName))
        {
            throw new InvalidOperationException($"Queue '{queueName}' requires sessions: the message needs a session id.");
        }
        var delay = scheduledFor is { } at ? at - _timeProvider.GetUtcNow() : TimeSpan.Zero;
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(channel, new LocalMessage(id, body, sessionId, _timeProvider.GetUtcNow(), contentType, Interlocked.Increment(ref _sequenceNumber)));
            return id;
        }
        var key = Interlocked.Increment(ref _scheduledSequence);
        _scheduled[key] = scheduledFor!.Value;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _timeProvider, _stopping.Token);
                Enqueue(channel, new LocalMessage(id, body, sessionId, _timeProvider.GetUtcNow(), contentType, Interlocked.Increment(ref _sequenceNumber)));
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _scheduled.TryRemove(key, out _);
            }
        });
        return id;
    }

    /// <summary>Publishes one Event Grid event to every Event Grid-triggered function, as an Event Grid subscription would.</summary>
    public string PublishEvent(JsonObject gridEvent)
    {
        var id = gridEvent["id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        foreach (var function in _functions.Where(f => f.Trigger is EventGridTrigger))
        {
            Enqueue(_sources[SourceOf(function)], new LocalMessage(id, gridEvent.ToJsonString(), null, _timeProvider.GetUtcNow(), "application/json", 0));
        }
        return id;
    }

    /// <summary>Runs a timer-triggered function now, as the host's admin endpoint does.</summary>
    public async Task<HttpStatusCode> FireTimerAsync(FunctionDefinition function, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        var timer = (TimerTrigger)function.Trigger;
        var next = CronExpression.Parse(timer.Schedule, CronFormat.IncludeSeconds).GetNextOccurrence(now, TimeZoneInfo.Utc);
        var data = new JsonObject
        {
            [timer.Name] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject { ["Last"] = now.ToString("O"), ["Next"] = next?.ToString("O"), ["LastUpdated"] = now.ToString("O") },
                ["IsPastDue"] = isPastDue,
            },
        };
        var (status, _) = await InvokeAsync(function, data, new JsonObject(), cancellationToken);
        return status;
    }

    /// <summary>Completes when every queued message has been delivered or dead-lettered, including the messages they caused.</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (_idleGate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public IReadOnlyCollection<DeadLetter> DeadLetters => _deadLetters.ToArray();

    public LocalHostSnapshot Snapshot() => new(
        _sources.ToDictionary(s => s.Key, s => s.Value.Reader.Count),
        Interlocked.Read(ref _pending), Interlocked.Read(ref _delivered), _deadLetters.Count,
        new Dictionary<string, DateTimeOffset>(_armedTimers), _scheduled.Count, _scheduled.IsEmpty ? null : _scheduled.Values.Min());

    private void StartLoops()
    {
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server reports no listening address.");
        _http = new HttpClient { BaseAddress = Loopback(address), Timeout = TimeSpan.FromMinutes(5) };
        foreach (var function in _functions)
        {
            switch (function.Trigger)
            {
                case ServiceBusTrigger or EventGridTrigger:
                    _loops.Add(Task.Run(() => DeliverLoopAsync(function, _sources[SourceOf(function)],
                        bySession: function.Trigger is ServiceBusTrigger { IsSessionsEnabled: true }, _stopping.Token)));
                    break;
                case TimerTrigger timer when _options.RunTimers:
                    // The first occurrence is fixed now, at start-up, so a loop that begins late still fires it.
                    var schedule = CronExpression.Parse(timer.Schedule, CronFormat.IncludeSeconds);
                    var firstDue = schedule.GetNextOccurrence(_timeProvider.GetUtcNow(), TimeZoneInfo.Utc);
                    _loops.Add(Task.Run(() => TimerLoopAsync(function, schedule, firstDue, _stopping.Token)));
                    break;
            }
        }
    }

    private void Enqueue(Channel<LocalMessage> channel, LocalMessage message)
    {
        lock (_idleGate)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (!channel.Writer.TryWrite(message))
        {
            Settle();
            throw new InvalidOperationException("The local queue is closed.");
        }
    }

    private void Settle()
    {
        lock (_idleGate)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Delivers one queue's messages in order. A session-enabled queue gets one ordered loop per session instead, as a
    /// session receiver has: sessions run in parallel, each session's messages one at a time.
    /// </summary>
    private async Task DeliverLoopAsync(FunctionDefinition function, Channel<LocalMessage> channel, bool bySession, CancellationToken stopping)
    {
        var sessions = bySession ? new Dictionary<string, Channel<LocalMessage>>(StringComparer.Ordinal) : null;
        var sessionLoops = new List<Task>();
        try
        {
            await foreach (var message in channel.Reader.ReadAllAsync(stopping))
            {
                if (sessions is null)
                {
                    await DeliverAndSettleAsync(function, message, stopping);
                    continue;
                }
                if (!sessions.TryGetValue(message.SessionId ?? "", out var session))
                {
                    session = Channel.CreateUnbounded<LocalMessage>();
                    sessions[message.SessionId ?? ""] = session;
                    sessionLoops.Add(Task.Run(() => DeliverLoopAsync(function, session, bySession: false, stopping), stopping));
                }
                session.Writer.TryWrite(message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(sessionLoops).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task DeliverAndSettleAsync(FunctionDefinition function, LocalMessage message, CancellationToken stopping)
    {
        try
        {
            await DeliverWithRetriesAsync(function, message, stopping);
        }
        finally
        {
            Settle();
        }
    }

    /// <summary>Delivers in order, retrying in place so a session-like FIFO order holds; dead-letters after MaxDeliveryCount.</summary>
    private async Task DeliverWithRetriesAsync(FunctionDefinition function, LocalMessage message, CancellationToken stopping)
    {
        string reason = "unknown";
        for (var delivery = 1; delivery <= _options.MaxDeliveryCount; delivery++)
        {
            try
            {
                var (data, metadata) = Payload(function, message, delivery);
                var (status, _) = await InvokeAsync(function, data, metadata, stopping);
                if ((int)status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }
                reason = $"{function.Name} answered {(int)status} on delivery {delivery}.";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                reason = $"{function.Name} could not be reached on delivery {delivery}: {ex.Message}";
            }
            _logger.LogWarning("Delivery of {MessageId} to {FunctionName} failed: {Reason}", message.MessageId, function.Name, reason);
            if (delivery < _options.MaxDeliveryCount && _options.RetryDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.RetryDelay, _timeProvider, stopping);
            }
        }
        _logger.LogError("Dead-lettered {MessageId} after {Count} deliveries to {FunctionName}: {Reason}",
            message.MessageId, _options.MaxDeliveryCount, function.Name, reason);
        _deadLetters.Enqueue(new DeadLetter(SourceOf(function), message.MessageId, message.Body, reason, _options.MaxDeliveryCount, _timeProvider.GetUtcNow()));
    }

    /// <summary>The host's Data and Metadata for one delivery (<see cref="HostPayloadEncoder"/> has the sources).</summary>
    private static (JsonObject Data, JsonObject Metadata) Payload(FunctionDefinition function, LocalMessage message, int deliveryCount)
    {
        if (function.Trigger is EventGridTrigger grid)
        {
            // The Event Grid extension's trigger value is a JToken, which reaches the handler as the event object.
            return (new JsonObject { [grid.Name] = JsonNode.Parse(message.Body) }, new JsonObject());
        }
        return HostPayloadEncoder.ServiceBus((ServiceBusTrigger)function.Trigger, new HostPayloadEncoder.ServiceBusDelivery(
            message.MessageId, message.Body, message.SessionId, message.EnqueuedAt, deliveryCount, message.SequenceNumber,
            message.ContentType, LockToken: Guid.NewGuid().ToString(), "local.servicebus.windows.net"));
    }

    private async Task TimerLoopAsync(FunctionDefinition function, CronExpression schedule, DateTimeOffset? due, CancellationToken stopping)
    {
        try
        {
            if (((TimerTrigger)function.Trigger).RunOnStartup)
            {
                await FireSafelyAsync(function, isPastDue: false, stopping);
            }
            while (due is { } occurrence && !stopping.IsCancellationRequested)
            {
                var wait = occurrence - _timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    var delay = Task.Delay(wait, _timeProvider, stopping);
                    _armedTimers[function.Name] = occurrence;
                    await delay;
                }
                _armedTimers.TryRemove(function.Name, out _);
                // Like the host: an occurrence that fires noticeably after its time is reported as past due.
                var now = _timeProvider.GetUtcNow();
                await FireSafelyAsync(function, isPastDue: now - occurrence > PastDueTolerance, stopping);
                due = schedule.GetNextOccurrence(now > occurrence ? now : occurrence, TimeZoneInfo.Utc);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FireSafelyAsync(FunctionDefinition function, bool isPastDue, CancellationToken stopping)
    {
        try
        {
            var status = await FireTimerAsync(function, isPastDue, stopping);
            if ((int)status >= 300)
            {
                _logger.LogWarning("Timer function {FunctionName} answered {Status}.", function.Name, (int)status);
            }
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning(ex, "Timer function {FunctionName} could not be reached.", function.Name);
        }
    }

    private async Task<(HttpStatusCode Status, InvocationResponse? Response)> InvokeAsync(
        FunctionDefinition function, JsonObject data, JsonObject metadata, CancellationToken cancellationToken)
    {
        var http = _http ?? throw new InvalidOperationException("The local host has not started yet.");
        metadata["sys"] = HostPayloadEncoder.Sys(function.Name, _timeProvider.GetUtcNow());
        var payload = new JsonObject { ["Data"] = data, ["Metadata"] = metadata };
        using var request = new HttpRequestMessage(HttpMethod.Post, function.HandlerPath.TrimStart('/'))
        {
            Content = new StringContent(payload.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        // The host's headers (DefaultHttpWorkerService.AddHeaders): invocation id, host version, user agent.
        request.Headers.Add(FunctionEndpoints.InvocationIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add(HostPayloadEncoder.HostVersionHeader, HostPayloadEncoder.HostVersion);
        request.Headers.UserAgent.ParseAdd($"{HostPayloadEncoder.UserAgentProduct}/{HostPayloadEncoder.HostVersion}");
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }
        var body = await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.InvocationResponse, cancellationToken);
        if (body is not null)
        {
            foreach (var line in body.Logs)
            {
                _logger.LogInformation("[{FunctionName}] {Line}", function.Name, line);
            }
            RouteOutputs(function, body);
            await RouteSignalROutputsAsync(function, body, cancellationToken);
        }
        return (response.StatusCode, body);
    }

    /// <summary>
    /// What the host does with Outputs: each Service Bus output value (or array of values) becomes a text/plain message
    /// (<see cref="HostPayloadEncoder.ServiceBusOutputBody"/>). A non-2xx answer never gets here: the host processes
    /// Outputs and Logs only after EnsureSuccessStatusCode (DefaultHttpWorkerService.ProcessDefaultInvocationRequest).
    /// </summary>
    private void RouteOutputs(FunctionDefinition function, InvocationResponse response)
    {
        foreach (var output in function.Outputs.OfType<ServiceBusOutput>())
        {
            if (!response.Outputs.TryGetValue(output.Name, out var value) || value is null)
            {
                continue;
            }
            var bodies = value is JsonArray array
                ? array.Where(m => m is not null).Select(m => HostPayloadEncoder.ServiceBusOutputBody(m!, inArray: true))
                : [HostPayloadEncoder.ServiceBusOutputBody(value, inArray: false)];
            foreach (var body in bodies)
            {
                if (body == "System.Byte[]")
                {
                    _logger.LogWarning("{FunctionName} output {Output} is a base64-looking string: the host decodes it and sends \"System.Byte[]\".", function.Name, output.Name);
                }
                SendToQueue(output.QueueName, body, contentType: HostPayloadEncoder.ServiceBusOutputContentType);
            }
        }
    }

    /// <summary>What the SignalR output binding does: a failure fails the invocation, so the message is retried.</summary>
    private async Task RouteSignalROutputsAsync(FunctionDefinition function, InvocationResponse response, CancellationToken cancellationToken)
    {
        foreach (var output in function.Outputs.OfType<SignalROutput>())
        {
            if (_signalR is not null && response.Outputs.TryGetValue(output.Name, out var value) && value is not null)
            {
                try
                {
                    await _signalR.DeliverAsync(output.HubName, value, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not HttpRequestException)
                {
                    throw new HttpRequestException($"SignalR output of {function.Name} failed: {ex.Message}", ex);
                }
            }
        }
    }

    private static string SourceOf(FunctionDefinition function) => function.Trigger switch
    {
        ServiceBusTrigger sb => $"servicebus:{sb.QueueName}",
        EventGridTrigger => $"eventgrid:{function.Name}",
        _ => throw new ArgumentException($"{function.Name} has no message source.", nameof(function)),
    };

    internal static Uri Loopback(string address)
    {
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "localhost" or "[::]" or "0.0.0.0" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
    }

    private static TaskCompletionSource NewCompletedIdle()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.SetResult();
        return idle;
    }

    private sealed record LocalMessage(string MessageId, string Body, string? SessionId, DateTimeOffset EnqueuedAt, string? ContentType, long SequenceNumber);
}

public sealed record DeadLetter(string Source, string MessageId, string Body, string Reason, int DeliveryCount, DateTimeOffset DeadLetteredAt);

/// <param name="TimersDueAt">Each timer function that is waiting for its next occurrence, with that occurrence.</param>
/// <param name="Scheduled">Messages scheduled for later delivery (offer expiries, overflow steps, ends of wrap-up).</param>
/// <param name="NextScheduledAt">When the earliest of them is due.</param>
public sealed record LocalHostSnapshot(Dictionary<string, int> QueueDepths, long InFlight, long Delivered, int DeadLettered,
    Dictionary<string, DateTimeOffset> TimersDueAt, int Scheduled, DateTimeOffset? NextScheduledAt);

/// <summary>Local mode's player of the SignalR output binding (SignalR Service REST API, or the local SSE hub).</summary>
public interface ILocalSignalRBinding
{
    Task DeliverAsync(string hubName, JsonNode value, CancellationToken cancellationToken);
}
