using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContactCenter.Azure.ServiceBus;

public sealed class ServiceBusRestClientOptions : ClientOptions
{
    public ServiceBusRestClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}

/// <summary>
/// Sends Service Bus messages over the REST API (POST {namespace}/{queue}/messages), on Azure.Core's HttpPipeline:
/// Entra ID or SAS authentication, retries of transient failures (408, 429, 5xx, network), logging without secrets,
/// failures as <see cref="RequestFailedException"/>. Written by hand because Azure.Messaging.ServiceBus is not served
/// here; the app only ever sends (the Functions host receives), which the REST API covers.
/// </summary>
public class ServiceBusRestClient
{
    /// <summary>The Entra ID scope Service Bus accepts tokens for.</summary>
    public const string Scope = "https://servicebus.azure.net/.default";

    private static readonly ActivitySource Activities = new("ContactCenter.ServiceBus");
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    /// <summary>Entra ID (managed identity): the namespace endpoint, e.g. https://contoso.servicebus.windows.net.</summary>
    public ServiceBusRestClient(Uri namespaceEndpoint, TokenCredential credential, ServiceBusRestClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(namespaceEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        _endpoint = namespaceEndpoint;
        _pipeline = HttpPipelineBuilder.Build(options ?? new ServiceBusRestClientOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>A namespace connection string with a shared access key (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...).</summary>
    public ServiceBusRestClient(string connectionString, ServiceBusRestClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        var (endpoint, keyName, key) = ParseConnectionString(connectionString);
        _endpoint = endpoint;
        _pipeline = HttpPipelineBuilder.Build(options ?? new ServiceBusRestClientOptions(),
            new SharedAccessSignaturePolicy(keyName, key, timeProvider ?? TimeProvider.System));
    }

    /// <summary>For mocking.</summary>
    protected ServiceBusRestClient()
    {
        _pipeline = null!;
        _endpoint = null!;
    }

    public virtual async Task<Response> SendMessageAsync(string queueName, ServiceBusOutgoingMessage message, CancellationToken cancellationToken = default)
    {
        using var activity = Activities.StartActivity("ServiceBusRestClient.SendMessage", ActivityKind.Client);
        activity?.SetTag("messaging.destination.name", queueName);
        using var request = CreateRequest(queueName, message);
        var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == 201 ? response : throw new RequestFailedException(response);
    }

    public virtual Response SendMessage(string queueName, ServiceBusOutgoingMessage message, CancellationToken cancellationToken = default)
    {
        using var activity = Activities.StartActivity("ServiceBusRestClient.SendMessage", ActivityKind.Client);
        activity?.SetTag("messaging.destination.name", queueName);
        using var request = CreateRequest(queueName, message);
        var response = _pipeline.SendRequest(request, cancellationToken);
        return response.Status == 201 ? response : throw new RequestFailedException(response);
    }

    private Request CreateRequest(string queueName, ServiceBusOutgoingMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentNullException.ThrowIfNull(message);
        var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(queueName.Trim('/'), escape: true);
        request.Uri.AppendPath("/messages", escape: false);
        request.Headers.Add(HttpHeader.Names.ContentType, message.ContentType);
        request.Headers.Add("BrokerProperties", BrokerProperties(message));
        foreach (var (name, value) in message.Properties)
        {
            request.Headers.Add(name, value);
        }
        request.Content = RequestContent.Create(message.Body);
        return request;
    }

    internal static string BrokerProperties(ServiceBusOutgoingMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "MessageId", message.MessageId);
            Write(json, "SessionId", message.SessionId);
            Write(json, "CorrelationId", message.CorrelationId);
            // The REST API takes RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT"), always in UTC.
            Write(json, "ScheduledEnqueueTimeUtc", message.ScheduledEnqueueTime?.UtcDateTime.ToString("R", CultureInfo.InvariantCulture));
            if (message.TimeToLive is { } ttl)
            {
                json.WriteNumber("TimeToLive", ttl.TotalSeconds);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter json, string name, string? value)
        {
            if (value is not null)
            {
                json.WriteString(name, value);
            }
        }
    }

    internal static (Uri Endpoint, string KeyName, string Key) ParseConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || !parts.TryGetValue("SharedAccessKeyName", out var keyName) || !parts.TryGetValue("SharedAccessKey", out var key))
        {
            throw new FormatException("A Service Bus connection string needs Endpoint=sb://<namespace>.servicebus.windows.net/, SharedAccessKeyName and SharedAccessKey.");
        }
        // sb:// names the namespace; the REST API is HTTPS. (http:// is kept for local test servers.)
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "sb" ? "https" : uri.Scheme, Port = uri.Scheme == "sb" ? -1 : uri.Port, Path = "/" };
        return (builder.Uri, keyName, key);
    }
}
