using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Integration.Tests.Infrastructure;

/// <summary>An app's callback endpoint on real Kestrel: keeps every POST (Authorization header and JSON body).</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _server;

    private CallbackReceiver(WebApplication server) => _server = server;

    public sealed record Delivery(string? Authorization, string? ContentType, JsonArray Body)
    {
        public JsonObject Event => Body.Single()!.AsObject();
        public string Type => Event["type"]!.GetValue<string>();
        public JsonObject Data => Event["data"]!.AsObject();
    }

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public Uri Uri => new(new Uri(_server.Urls.First()), "/api/calls/events");

    /// <summary>Answer with this status instead of 200 (to test retries).</summary>
    public int? FailWith { get; set; }

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = builder.Build();
        var receiver = new CallbackReceiver(server);
        server.MapPost("/api/calls/events", async context =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsArray();
            receiver.Deliveries.Enqueue(new Delivery(context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body));
            context.Response.StatusCode = receiver.FailWith ?? 200;
        });
        await server.StartAsync();
        return receiver;
    }

    public IEnumerable<Delivery> OfType(string type) => Deliveries.Where(d => d.Type == "Microsoft.Communication." + type);

    /// <summary>Waits (real time, the sender is asynchronous) until a delivery of <paramref name="type"/> arrived.</summary>
    public async Task<Delivery> WaitForAsync(string type, int count = 1)
    {
        var deadline = DateTime.UtcNow + Patience.Condition;
        while (true)
        {
            var matches = OfType(type).ToArray();
            if (matches.Length >= count)
            {
                return matches[count - 1];
            }
            Assert.True(DateTime.UtcNow < deadline, $"No {type} callback arrived; got: {string.Join(", ", Deliveries.Select(d => d.Type))}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
