using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Integration.Tests.Infrastructure;
using static ContactCenter.Integration.Tests.FunctionApp.HostPayloads;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>
/// Every Service Bus-triggered function, invoked with the body and metadata exactly as the Functions host encodes them
/// (see <see cref="HostPayloads.ServiceBusMessage"/> for the sources): the function reads the original body and the
/// broker properties, whichever of the host's two body encodings arrives.
/// </summary>
public sealed class RealHostServiceBusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, BodyEncoding> SixFunctions()
    {
        var data = new TheoryData<string, BodyEncoding>();
        foreach (var function in new[] { "InboundEvents", "CallWork", "AcdRouting", "OutboundMessages", "WorkspaceNotifications", "TeamsNotifications" })
        {
            data.Add(function, BodyEncoding.Binary);
            data.Add(function, BodyEncoding.String);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SixFunctions))]
    public async Task A_service_bus_function_reads_the_body_the_real_host_sends(string function, BodyEncoding encoding)
    {
        await using var app = await RunningApp.StartAsync();
        var (body, sessionId) = await MessageForAsync(app, function);

        using var response = await app.InvokeAsync(function, ServiceBusMessage(body, sessionId: sessionId, encoding: encoding, function: function));

        var answer = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function} answered {(int)response.StatusCode}: {answer}");
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], JsonNode.Parse(answer)!.AsObject().Select(p => p.Key));
        if (function == "InboundEvents")
        {
            Assert.NotNull(await app.Store.GetAsync(TableNames.InboundEvents, "host-shaped-1", "processed", Ct));
        }
        if (function == "WorkspaceNotifications")
        {
            var messages = JsonNode.Parse(answer)!["Outputs"]!["signalRMessages"]!.AsArray();
            Assert.Equal("ann", Assert.Single(messages)!["userId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_broker_properties_are_read_from_the_hosts_json_quoted_metadata()
    {
        await using var app = await RunningApp.StartAsync();
        var payload = ServiceBusMessage("""{"kind":"route","queueId":"general"}""", deliveryCount: 3, sessionId: "general", function: "AcdRouting",
            applicationProperties: new JsonObject { ["origin"] = "test", ["attempt"] = 2 });

        var invocation = ContactCenter.Functions.Hosting.FunctionInvocation.Parse("AcdRouting", "message", System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()), "id-1");

        Assert.Equal(MessageId, invocation.ServiceBus.MessageId);
        Assert.Equal("general", invocation.ServiceBus.SessionId);
        Assert.Equal(3, invocation.ServiceBus.DeliveryCount);
        Assert.Equal(42L, invocation.ServiceBus.SequenceNumber);
        Assert.Equal("application/json", invocation.ServiceBus.ContentType);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 2, TimeSpan.Zero), invocation.ServiceBus.EnqueuedTime);
        Assert.Equal("test", invocation.ServiceBus.ApplicationProperties["origin"].GetString());
        Assert.Equal(2, invocation.ServiceBus.ApplicationProperties["attempt"].GetInt32());
        Assert.Equal("""{"kind":"route","queueId":"general"}""", invocation.BindingText("message"));
    }

    [Fact]
    public async Task Body_properties_the_host_merges_into_metadata_do_not_change_the_body()
    {
        // Without dataType binary the host copies the body's top-level properties into Metadata (Utility.ApplyBindingData).
        var payload = ServiceBusMessage("""{"messageId":"from-the-body","count":3,"nested":{"a":1},"list":[1]}""", encoding: BodyEncoding.String);

        var invocation = ContactCenter.Functions.Hosting.FunctionInvocation.Parse("InboundEvents", "message", System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()), "id-2");

        Assert.Equal("""{"messageId":"from-the-body","count":3,"nested":{"a":1},"list":[1]}""", invocation.BindingText("message"));
        Assert.Equal("3", invocation.MetadataText("count"));
        Assert.Equal("from-the-body", invocation.MetadataText("messageId"));
        Assert.False(invocation.Metadata.ContainsKey("list"));
        await Task.CompletedTask;
    }

    /// <summary>A body each function completes with 200 on a fresh app, and the session it travels in.</summary>
    private static async Task<(string Body, string? SessionId)> MessageForAsync(RunningApp app, string function)
    {
        switch (function)
        {
            case "InboundEvents":
                return ("""{"id":"host-shaped-1","type":"Custom.Type","source":"/s","subject":null,"time":"2026-11-23T09:00:00Z","data":{"note":"caf\u00e9 +1 <b>"}}""", null);
            case "CallWork":
                return ("""{"kind":"announce","callId":"call-unknown-1","sequence":1}""", "call-unknown-1");
            case "AcdRouting":
                return ("""{"kind":"route","queueId":"general"}""", "general");
            case "OutboundMessages":
                // A note is never queued, so its delivery is answered as "sent before" once the entry is found.
                await app.Services.GetRequiredService<ConversationService>().AddInternalEntryAsync(
                    "host-shaped-note", TimelineEntryKind.Note, "cust-1", null, Channel.Sms, "ann", "contact-1", "a note", Ct);
                return ("""{"entryId":"host-shaped-note","customerId":"cust-1","channel":"sms","to":"+15555555555","from":"+15555555556"}""", null);
            case "WorkspaceNotifications":
            case "TeamsNotifications":
                return ("""{"type":"offer","agentId":"ann","supervisors":false,"data":{"contactId":"c1","channel":"Sms","queueId":"billing"}}""", null);
            default:
                throw new ArgumentOutOfRangeException(nameof(function), function, null);
        }
    }
}
