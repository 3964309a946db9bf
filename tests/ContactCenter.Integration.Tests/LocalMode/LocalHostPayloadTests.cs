using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.FunctionApp;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Integration.Tests.LocalMode;

/// <summary>
/// Local mode's host posts what the real Functions host posts (the shapes of <see cref="HostPayloads"/>, which cite the
/// host's source), so local mode runs the same decoding as Azure.
/// </summary>
public sealed class LocalHostPayloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_queued_message_reaches_its_function_as_the_real_host_encodes_it()
    {
        var seen = new ConcurrentQueue<(JsonNode Body, IHeaderDictionary Headers)>();
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IStartupFilter>(new Capture("/InboundEvents", seen)));
        const string body = """{"id":"local-shape-1","type":"Custom.Type","source":"/s","subject":null,"time":"2026-11-23T09:00:00Z","data":{"text":"caf\u00e9 +1"}}""";

        app.LocalHost.SendToQueue("inbound-events", body, messageId: "local-m-1");
        await app.LocalHost.WaitForIdleAsync(Ct);

        var (request, headers) = Assert.Single(seen);
        Assert.Equal(body, Encoding.UTF8.GetString(Convert.FromBase64String(request["Data"]!["message"]!.GetValue<string>())));
        var metadata = request["Metadata"]!.AsObject();
        Assert.Equal("\"local-m-1\"", metadata["MessageId"]!.GetValue<string>());
        Assert.Equal("1", metadata["DeliveryCount"]!.GetValue<string>());
        Assert.Equal("\"application/json\"", metadata["ContentType"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", metadata["EnqueuedTimeUtc"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", metadata["EnqueuedTime"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("SessionId")); // null values are left out
        var fixture = HostPayloads.ServiceBusMessage(body)["Metadata"]!.AsObject();
        Assert.Equal(fixture.Select(p => p.Key).Order(), metadata.Select(p => p.Key).Order());
        Assert.All(fixture, p => Assert.Equal(p.Value!.GetValueKind(), metadata[p.Key]!.GetValueKind()));
        Assert.Equal(fixture["sys"]!.AsObject().Select(p => p.Key), metadata["sys"]!.AsObject().Select(p => p.Key));
        Assert.True(Guid.TryParse(headers["X-Azure-Functions-InvocationId"], out _));
        Assert.False(string.IsNullOrEmpty(headers["X-Azure-Functions-HostVersion"]));
        Assert.StartsWith("Azure-Functions-Host/", headers.UserAgent.ToString(), StringComparison.Ordinal);
        Assert.NotNull(await app.Store.GetAsync(ContactCenter.Core.State.TableNames.InboundEvents, "local-shape-1", "processed", Ct));
    }

    [Fact]
    public async Task A_session_message_carries_its_session_id_json_quoted()
    {
        var seen = new ConcurrentQueue<(JsonNode Body, IHeaderDictionary Headers)>();
        await using var app = await RunningApp.StartAsync(services: s => s.AddSingleton<IStartupFilter>(new Capture("/AcdRouting", seen)));

        app.LocalHost.SendToQueue("acd-routing", """{"kind":"route","queueId":"general"}""", sessionId: "general");
        await app.LocalHost.WaitForIdleAsync(Ct);

        var metadata = seen.First().Body["Metadata"]!;
        Assert.Equal("\"general\"", metadata["SessionId"]!.GetValue<string>());
        Assert.True(metadata["MessageActions"]!.AsObject().ContainsKey("SessionLockedUntil"));
    }

    /// <summary>Records each request to one path (body and headers) and lets it through unchanged.</summary>
    private sealed class Capture(string path, ConcurrentQueue<(JsonNode Body, IHeaderDictionary Headers)> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (context.Request.Path == path)
                {
                    context.Request.EnableBuffering();
                    using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
                    var text = await reader.ReadToEndAsync(context.RequestAborted);
                    context.Request.Body.Position = 0;
                    seen.Enqueue((JsonNode.Parse(text)!, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
                }
                await inner(context);
            });
            next(app);
        };
    }
}
