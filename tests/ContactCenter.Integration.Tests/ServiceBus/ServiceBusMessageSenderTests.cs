using Azure.Messaging.ServiceBus;
using ContactCenter.Azure.ServiceBus;
using ContactCenter.Core.Messaging;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.ServiceBus;

/// <summary>
/// The SDK sender without a namespace: the message mapping read back from the created <see cref="ServiceBusMessage"/>,
/// and the sender's behaviour against a recording <see cref="ServiceBusSender"/> (its methods are virtual for mocking;
/// batches from <see cref="ServiceBusModelFactory.ServiceBusMessageBatch"/>).
/// </summary>
public sealed class ServiceBusMessageSenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_scheduled_session_message_maps_its_body_bytes_ids_schedule_and_content_type()
    {
        var due = new DateTimeOffset(2026, 11, 23, 9, 30, 5, TimeSpan.FromHours(1));
        var body = """{"kind":"expire-offer","contactId":"c1","text":"Grüße"}""";

        var mapped = ServiceBusMessageMapping.ToServiceBusMessage(new OutgoingMessage(body) { MessageId = "expire|c1|ann|1", SessionId = "billing", ScheduledFor = due });

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(body), mapped.Body.ToArray());
        Assert.Equal("expire|c1|ann|1", mapped.MessageId);
        Assert.Equal("billing", mapped.SessionId);
        Assert.Equal(due, mapped.ScheduledEnqueueTime);
        Assert.Equal(TimeSpan.Zero, mapped.ScheduledEnqueueTime.Offset);
        Assert.Equal("application/json", mapped.ContentType);
        Assert.Empty(mapped.ApplicationProperties);
    }

    [Fact]
    public void A_message_to_send_now_has_no_schedule_session_or_id_of_its_own()
    {
        var mapped = ServiceBusMessageMapping.ToServiceBusMessage(new OutgoingMessage("{}"));

        Assert.Equal(default, mapped.ScheduledEnqueueTime);
        Assert.Null(mapped.SessionId);
        Assert.Null(mapped.MessageId);
    }

    [Fact]
    public void A_message_id_over_128_characters_becomes_a_stable_digest_so_duplicate_detection_still_works()
    {
        var id = "escalate|" + new string('c', 200);

        var first = ServiceBusMessageMapping.ToServiceBusMessage(new OutgoingMessage("{}") { MessageId = id });
        var again = ServiceBusMessageMapping.ToServiceBusMessage(new OutgoingMessage("{}") { MessageId = id });
        var other = ServiceBusMessageMapping.ToServiceBusMessage(new OutgoingMessage("{}") { MessageId = id + "x" });

        Assert.True(first.MessageId.Length <= ServiceBusMessageMapping.MaxMessageIdLength);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, other.MessageId);
        // The SDK itself refuses the raw id: the limit is real.
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceBusMessage { MessageId = id });
    }

    [Fact]
    public async Task One_sender_per_queue_is_created_and_reused_and_the_cancellation_token_reaches_it()
    {
        await using var client = new RecordingClient();
        var sender = new ServiceBusMessageSender(client);
        using var cancel = new CancellationTokenSource();

        await sender.SendAsync(QueueNames.AcdRouting, new OutgoingMessage("{\"n\":1}") { SessionId = "billing" }, cancel.Token);
        await sender.SendAsync(QueueNames.AcdRouting, new OutgoingMessage("{\"n\":2}") { SessionId = "billing" }, cancel.Token);
        await sender.SendAsync(QueueNames.InboundEvents, new OutgoingMessage("{\"n\":3}") { MessageId = "e1" }, cancel.Token);

        Assert.Equal([QueueNames.AcdRouting, QueueNames.InboundEvents], client.Created);
        var routing = client.Senders[QueueNames.AcdRouting];
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], routing.Sent.Select(m => m.Body.ToString()));
        Assert.All(routing.Tokens, token => Assert.Equal(cancel.Token, token));
        Assert.Equal("e1", Assert.Single(client.Senders[QueueNames.InboundEvents].Sent).MessageId);
    }

    [Fact]
    public async Task Several_messages_go_in_size_bounded_batches_of_one_session_each_in_order()
    {
        await using var client = new RecordingClient { BatchCapacity = 2 };
        var sender = new ServiceBusMessageSender(client);
        var messages = new[] { "a", "a", "a", "b", "b" }
            .Select((session, i) => new OutgoingMessage($"{{\"n\":{i}}}") { SessionId = session, MessageId = $"m{i}" })
            .ToList();

        await sender.SendAsync(QueueNames.CallWork, messages, Ct);

        var batches = client.Senders[QueueNames.CallWork].Batches;
        Assert.Equal([["m0", "m1"], ["m2"], ["m3", "m4"]], batches.Select(b => b.Select(m => m.MessageId).ToArray()));
        Assert.All(batches, b => Assert.Single(b.Select(m => m.SessionId).Distinct()));
    }

    [Fact]
    public async Task A_message_too_large_for_an_empty_batch_fails_with_message_size_exceeded_and_nothing_after_it_is_sent()
    {
        await using var client = new RecordingClient { MaxMessageBytes = 100 };
        var sender = new ServiceBusMessageSender(client);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(QueueNames.OutboundMessages,
            [new OutgoingMessage("{}") { MessageId = "small" }, new OutgoingMessage(new string('x', 500)) { MessageId = "big" }, new OutgoingMessage("{}") { MessageId = "after" }], Ct));

        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, error.Reason);
        Assert.False(error.IsTransient);
        Assert.Equal(QueueNames.OutboundMessages, error.EntityPath);
        Assert.Equal([["small"]], client.Senders[QueueNames.OutboundMessages].Batches.Select(b => b.Select(m => m.MessageId).ToArray()));
    }

    [Fact]
    public async Task A_failure_from_service_bus_surfaces_unchanged_so_the_invocation_fails_and_is_redelivered()
    {
        var missing = new ServiceBusException("The messaging entity could not be found.", ServiceBusFailureReason.MessagingEntityNotFound, "no-such-queue");
        await using var client = new RecordingClient { Failure = missing };
        var sender = new ServiceBusMessageSender(client);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync("no-such-queue", new OutgoingMessage("{}"), Ct));

        Assert.Same(missing, error);
    }

    [Fact]
    public async Task Disposing_the_sender_closes_every_cached_queue_sender()
    {
        await using var client = new RecordingClient();
        var sender = new ServiceBusMessageSender(client);
        await sender.SendAsync("q1", new OutgoingMessage("{}"), Ct);
        await sender.SendAsync("q2", new OutgoingMessage("{}"), Ct);

        await sender.DisposeAsync();

        Assert.All(client.Senders.Values, s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task Over_amqp_the_sdk_sender_puts_a_valid_token_and_delivers_ids_session_schedule_and_batches()
    {
        await using var serviceBus = await FakeServiceBusNamespace.StartAsync();
        await using var client = ServiceBusClients.FromConnectionString(serviceBus.ConnectionString);
        var sender = new ServiceBusMessageSender(client);
        var due = new DateTimeOffset(2026, 11, 23, 9, 30, 5, 250, TimeSpan.FromHours(1));

        await sender.SendAsync(QueueNames.AcdRouting, new OutgoingMessage("""{"kind":"ExpireOffer"}""") { MessageId = "expire|c1", SessionId = "billing", ScheduledFor = due }, Ct);
        await sender.SendAsync(QueueNames.CallWork, [new OutgoingMessage("{\"n\":1}") { MessageId = "b1", SessionId = "call-1" }, new OutgoingMessage("{\"n\":2}") { MessageId = "b2", SessionId = "call-1" }], Ct);
        await sender.DisposeAsync();

        var scheduled = Assert.Single(serviceBus.Messages, m => m.Queue == QueueNames.AcdRouting);
        Assert.Equal("""{"kind":"ExpireOffer"}""", scheduled.Body);
        Assert.Equal("expire|c1", scheduled.MessageId);
        Assert.Equal("billing", scheduled.SessionId);
        Assert.Equal("application/json", scheduled.ContentType);
        Assert.Equal(due, scheduled.ScheduledEnqueueTime);
        Assert.Equal(["b1", "b2"], serviceBus.Messages.Where(m => m.Queue == QueueNames.CallWork).Select(m => m.MessageId));
        Assert.All(serviceBus.Messages.Where(m => m.Queue == QueueNames.CallWork), m => Assert.Null(m.ScheduledEnqueueTime));
        Assert.NotEmpty(serviceBus.Tokens);
        Assert.All(serviceBus.Tokens, token => Assert.True(token.Valid, token.Audience));
    }

    [Fact]
    public async Task A_token_signed_with_the_wrong_key_is_refused_and_the_send_fails()
    {
        await using var serviceBus = await FakeServiceBusNamespace.StartAsync();
        var wrongKey = serviceBus.ConnectionString.Replace(FakeServiceBusNamespace.Key, "d3Jvbmcta2V5", StringComparison.Ordinal);
        await using var client = ServiceBusClients.FromConnectionString(wrongKey);
        var sender = new ServiceBusMessageSender(client);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(QueueNames.InboundEvents, new OutgoingMessage("{}"), Ct));

        Assert.IsType<UnauthorizedAccessException>(error);
        Assert.Empty(serviceBus.Messages);
        Assert.Contains(serviceBus.Tokens, token => !token.Valid);
    }

    [Theory]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5", null)]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=k", null)]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/", "SharedAccessKeyName and SharedAccessKey")]
    [InlineData("SharedAccessKeyName=k;SharedAccessKey=v", "Endpoint")]
    public void Connection_strings_are_judged_by_the_sdks_own_parser(string connectionString, string? problem)
    {
        var found = ServiceBusClients.ConnectionStringProblem(connectionString);

        if (problem is null)
        {
            Assert.Null(found);
            // What passes is what the SDK's client accepts (it does not connect until the first send).
            _ = ServiceBusClients.FromConnectionString(connectionString);
        }
        else
        {
            Assert.Contains(problem, found);
            Assert.ThrowsAny<Exception>(() => ServiceBusClients.FromConnectionString(connectionString));
        }
    }

    /// <summary>A client that hands out recording senders; nothing connects.</summary>
    private sealed class RecordingClient : ServiceBusClient
    {
        public List<string> Created { get; } = [];
        public Dictionary<string, RecordingSender> Senders { get; } = new(StringComparer.Ordinal);
        public int BatchCapacity { get; init; } = int.MaxValue;
        public long MaxMessageBytes { get; init; } = 256 * 1024;
        public Exception? Failure { get; init; }

        public override ServiceBusSender CreateSender(string queueOrTopicName)
        {
            Created.Add(queueOrTopicName);
            return Senders[queueOrTopicName] = new RecordingSender(this);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        internal sealed class RecordingSender(RecordingClient client) : ServiceBusSender
        {
            public List<ServiceBusMessage> Sent { get; } = [];
            public List<CancellationToken> Tokens { get; } = [];
            public List<List<ServiceBusMessage>> Batches { get; } = [];
            public bool Disposed { get; private set; }
            private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _contents = [];

            public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
            {
                Tokens.Add(cancellationToken);
                if (client.Failure is { } failure)
                {
                    return Task.FromException(failure);
                }
                Sent.Add(message);
                return Task.CompletedTask;
            }

            public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
            {
                var store = new List<ServiceBusMessage>();
                // Sized like the SDK sizes it: by what the message would take on the wire, here its body.
                var batch = ServiceBusModelFactory.ServiceBusMessageBatch(client.MaxMessageBytes, store,
                    tryAddCallback: m => store.Count < client.BatchCapacity && store.Sum(s => s.Body.ToMemory().Length) + m.Body.ToMemory().Length <= client.MaxMessageBytes);
                _contents[batch] = store;
                return ValueTask.FromResult(batch);
            }

            public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
            {
                Batches.Add([.. _contents[messageBatch]]);
                return Task.CompletedTask;
            }

            public override ValueTask DisposeAsync()
            {
                Disposed = true;
                return ValueTask.CompletedTask;
            }
        }
    }
}
