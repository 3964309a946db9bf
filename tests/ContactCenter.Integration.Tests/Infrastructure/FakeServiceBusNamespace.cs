using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// A Service Bus namespace's send side over AMQP 1.0, on Microsoft.Azure.Amqp's own listener, plain TCP on loopback
/// (the SDK connects without TLS when the connection string says UseDevelopmentEmulator, which the SDK allows only for
/// loopback endpoints). It speaks what the service speaks for a sender, from the Service Bus AMQP protocol guide
/// (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide): SASL ANONYMOUS (the SDK
/// names the mechanism MSSBCBS), a put-token request on the $cbs node answered with an int status-code (202, or 401
/// for a signature that does not verify with the key), the reply delivered on the link whose target is the request's
/// reply-to; a sending link per queue, each message accepted and recorded with its message-id, group-id (SessionId),
/// content-type and x-opt-scheduled-enqueue-time annotation. Batches (message format 0x80013700, one data section
/// per encoded message) are unpacked. Nothing is stored or delivered onward: the Functions host is the receiver.
/// </summary>
public sealed class FakeServiceBusNamespace : IAsyncDisposable, IRuntimeProvider
{
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    public const string KeyName = "RootManageSharedAccessKey";

    /// <summary>Standard tier's largest message (256 KB), which the service announces on the link's attach.</summary>
    private const ulong MaxMessageSize = 256 * 1024;
    private const uint BatchMessageFormat = 0x80013700;

    private readonly ConcurrentDictionary<string, SendingAmqpLink> _replyLinks = new(StringComparer.Ordinal);
    private AmqpTransportListener? _listener;
    private AmqpSettings? _settings;

    public sealed record Received(string Queue, string Body, string? MessageId, string? SessionId, string? ContentType, DateTimeOffset? ScheduledEnqueueTime);

    private FakeServiceBusNamespace(int port) => Port = port;

    public int Port { get; }
    public ConcurrentQueue<Received> Messages { get; } = new();

    /// <summary>Audiences of the tokens put on $cbs, and whether each verified.</summary>
    public ConcurrentQueue<(string Audience, bool Valid)> Tokens { get; } = new();

    public string ConnectionString => $"Endpoint=sb://127.0.0.1:{Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key};UseDevelopmentEmulator=true";

    public static Task<FakeServiceBusNamespace> StartAsync()
    {
        var fake = new FakeServiceBusNamespace(FreePort());
        var settings = new AmqpSettings { RuntimeProvider = fake };
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        sasl.AddHandler(new SaslAnonymousHandler());
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(amqp);
        var tcp = new TcpTransportSettings { Host = "127.0.0.1", Port = fake.Port };
        fake._settings = settings;
        fake._listener = new AmqpTransportListener([tcp.CreateListener()], settings);
        fake._listener.Listen(fake.OnAcceptTransport);
        return Task.FromResult(fake);
    }

    private void OnAcceptTransport(TransportListener listener, TransportAsyncCallbackArgs args)
    {
        var connection = CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, _settings!,
            new AmqpConnectionSettings { ContainerId = "fake-service-bus", MaxFrameSize = 64 * 1024, IdleTimeOut = 240_000 });
        _ = OpenAsync(connection);

        static async Task OpenAsync(AmqpConnection connection)
        {
            try
            {
                await connection.OpenAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is AmqpException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                connection.SafeClose(ex);
            }
        }
    }

    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, false, amqpSettings, connectionSettings);

    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) => new(connection, settings, this);

    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        if (settings.Role == true)
        {
            // The client sends: to a queue, or requests to $cbs.
            settings.MaxMessageSize = MaxMessageSize;
            settings.TotalLinkCredit = 1000;
            settings.AutoSendFlow = true;
            return new ReceivingAmqpLink(session, settings);
        }
        return new SendingAmqpLink(session, settings); // the client's reply link for $cbs
    }

    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        if (link is ReceivingAmqpLink receiver)
        {
            // The SDK addresses the entity by its path ("/acd-routing"); the queue is its name.
            var address = (((Target)receiver.Settings.Target).Address?.ToString() ?? "").TrimStart('/');
            receiver.RegisterMessageListener(message => OnMessage(receiver, address, message));
        }
        else if (link is SendingAmqpLink sender && ((Target)sender.Settings.Target).Address?.ToString() is { } replyTo)
        {
            _replyLinks[replyTo] = sender;
        }
        var done = new CompletedResult(state);
        callback(done);
        return done;
    }

    public void EndOpenLink(IAsyncResult result)
    {
    }

    private void OnMessage(ReceivingAmqpLink link, string address, AmqpMessage message)
    {
        try
        {
            if (address == "$cbs")
            {
                PutToken(message);
            }
            else if (message.MessageFormat == BatchMessageFormat)
            {
                foreach (var data in message.DataBody)
                {
                    using var inner = AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([(ArraySegment<byte>)data.Value]));
                    Record(address, inner);
                }
            }
            else
            {
                Record(address, message);
            }
            link.DisposeMessage(message, AmqpConstants.AcceptedOutcome, settled: true, batchable: false);
        }
        finally
        {
            message.Dispose();
        }
    }

    private void Record(string queue, AmqpMessage message)
    {
        var body = new StringBuilder();
        foreach (var data in message.DataBody)
        {
            var segment = (ArraySegment<byte>)data.Value;
            body.Append(Encoding.UTF8.GetString(segment.Array!, segment.Offset, segment.Count));
        }
        DateTimeOffset? scheduled = null;
        foreach (var annotation in message.MessageAnnotations.Map)
        {
            if (annotation.Key.Key?.ToString() == "x-opt-scheduled-enqueue-time" && annotation.Value is DateTime due)
            {
                scheduled = new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc));
            }
        }
        Messages.Enqueue(new Received(queue, body.ToString(), message.Properties.MessageId?.ToString(), message.Properties.GroupId,
            message.Properties.ContentType.Value, scheduled));
    }

    /// <summary>CBS put-token: the SAS token's signature is checked with <see cref="Key"/>, as the service checks it.</summary>
    private void PutToken(AmqpMessage request)
    {
        var audience = request.ApplicationProperties.Map["name"]?.ToString() ?? "";
        var token = request.ValueBody?.Value?.ToString() ?? "";
        var valid = IsValidSignature(token);
        Tokens.Enqueue((audience, valid));
        var reply = AmqpMessage.Create();
        reply.Properties.CorrelationId = request.Properties.MessageId;
        reply.ApplicationProperties.Map["status-code"] = valid ? (int)HttpStatusCode.Accepted : (int)HttpStatusCode.Unauthorized;
        reply.ApplicationProperties.Map["status-description"] = valid ? "Accepted" : "InvalidSignature";
        if (request.Properties.ReplyTo?.ToString() is { } replyTo && _replyLinks.TryGetValue(replyTo, out var link))
        {
            link.SendMessageNoWait(reply, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
        }
    }

    /// <summary>SharedAccessSignature sr={url-encoded resource}&amp;sig={base64 HMAC-SHA256 of "sr\nse"}&amp;se={expiry}&amp;skn={key name}.</summary>
    private static bool IsValidSignature(string token)
    {
        const string Prefix = "SharedAccessSignature ";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var fields = token[Prefix.Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out var resource) || !fields.TryGetValue("sig", out var signature) || !fields.TryGetValue("se", out var expiry)
            || fields.GetValueOrDefault("skn") != KeyName || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) < DateTimeOffset.UtcNow)
        {
            return false;
        }
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{resource}\n{expiry}")));
        return expected == Uri.UnescapeDataString(signature);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Close();
        return ValueTask.CompletedTask;
    }

    private sealed class CompletedResult(object state) : IAsyncResult
    {
        public object AsyncState => state;
        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();
        public bool CompletedSynchronously => true;
        public bool IsCompleted => true;
    }
}
