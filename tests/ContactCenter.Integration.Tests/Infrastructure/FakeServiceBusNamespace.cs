using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>
/// A Service Bus namespace's send endpoint (POST /{queue}/messages) on real Kestrel: records what arrives and answers
/// 201, or the statuses queued in <see cref="Answers"/>. The app under test sends to it with a SAS connection string.
/// </summary>
public sealed class FakeServiceBusNamespace : IAsyncDisposable
{
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";

    private readonly WebApplication _server;

    public sealed record Received(string Queue, string Path, string? Authorization, JsonObject Broker, string? ContentType, string? Custom, string Body)
    {
        public string? SessionId => Broker["SessionId"]?.GetValue<string>();
        public string? ScheduledEnqueueTimeUtc => Broker["ScheduledEnqueueTimeUtc"]?.GetValue<string>();
    }

    private FakeServiceBusNamespace(WebApplication server) => _server = server;

    public ConcurrentQueue<int> Answers { get; } = new();
    public ConcurrentQueue<Received> Messages { get; } = new();
    public Uri Endpoint => new(_server.Urls.First());
    public string ConnectionString => $"Endpoint={Endpoint};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={Key}";

    public static async Task<FakeServiceBusNamespace> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        var fake = new FakeServiceBusNamespace(server);
        server.MapPost("/{queue}/messages", async (HttpContext context, string queue) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var broker = context.Request.Headers["BrokerProperties"].ToString();
            fake.Messages.Enqueue(new Received(queue, context.Request.Path, context.Request.Headers.Authorization,
                broker.Length == 0 ? [] : JsonNode.Parse(broker)!.AsObject(), context.Request.ContentType,
                context.Request.Headers["x-contact-kind"], await reader.ReadToEndAsync()));
            context.Response.StatusCode = fake.Answers.TryDequeue(out var status) ? status : 201;
        });
        await server.StartAsync();
        return fake;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
