using System.Runtime.CompilerServices;
using ContactCenter.Core.Channels;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Simulator;

namespace ContactCenter.Core.Tests.Conversations;

/// <summary>
/// Two records of one person become one: identities, timeline and cases move to the survivor, the other stays as a
/// tombstone; repeating a merge changes nothing and a merge stopped half-way is finished by running it again.
/// </summary>
public sealed class CustomerMergeTests : IMessageSender, ISmsProvider, IEmailProvider
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private const string AnnPhone = "+14255550100";
    private const string AnnEmail = "ada@example.com";
    private readonly VirtualTimeProvider _clock = new(T0);
    private readonly List<(string Queue, OutgoingMessage Message)> _queued = [];
    private readonly List<OutgoingSms> _texts = [];
    private readonly InMemoryStateStore _store;
    private readonly FailingStateStore _failing;
    private readonly AcdDispatcher _acd;
    private readonly ConversationService _service;

    public CustomerMergeTests()
    {
        _store = new InMemoryStateStore(_clock);
        _failing = new FailingStateStore(_store);
        var queues = new StaticQueueCatalog([new QueueDefinition("general")]);
        _acd = new AcdDispatcher(new AcdService(_store, queues, _clock), queues, this, _clock);
        _service = new ConversationService(new ConversationRepository(_failing), _acd, this,
            new MessagingSettings { SmsFrom = "+18005550199", EmailFrom = "help@contoso.com", EmailDomain = "contoso.com" }, _clock,
            new StateStoreEmailThreadIndex(_store));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task IMessageSender.SendAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken)
    {
        _queued.Add((queueName, message));
        return Task.CompletedTask;
    }

    Task<SmsSendResult> ISmsProvider.SendAsync(OutgoingSms sms, CancellationToken cancellationToken)
    {
        _texts.Add(sms);
        return Task.FromResult(new SmsSendResult(sms.To, $"sms-{_texts.Count}", true));
    }

    Task<EmailSendResult> IEmailProvider.SendAsync(OutgoingEmail email, CancellationToken cancellationToken) =>
        Task.FromResult(new EmailSendResult("op-1", EmailSendState.Running));

    Task<EmailSendResult> IEmailProvider.GetStatusAsync(string operationId, CancellationToken cancellationToken) =>
        Task.FromResult(new EmailSendResult(operationId, EmailSendState.Succeeded));

    private InboundSms Text(string id, string body, string from = AnnPhone) => new(id, from, "+18005550199", body, _clock.GetUtcNow());

    private InboundEmail Email(string id, string subject, string text) =>
        new($"<{id}@mail.example>", AnnEmail, ["help@contoso.com"], subject, _clock.GetUtcNow()) { PlainText = text };

    /// <summary>Ann texts (one record), then emails from an address we do not know yet (a second record), then texts again.</summary>
    private async Task<(CustomerRecord ByPhone, CustomerRecord ByEmail)> TwoRecordsOfAnnAsync()
    {
        await _service.ReceiveSmsAsync(Text("m1", "Where is my parcel?"), Ct);
        _clock.MoveTo(T0.AddMinutes(1));
        await _service.ReceiveEmailAsync(Email("e1", "Invoice", "The invoice is wrong."), Ct);
        _clock.MoveTo(T0.AddMinutes(2));
        await _service.ReceiveSmsAsync(Text("m2", "Order 1234"), Ct);
        _clock.MoveTo(T0.AddMinutes(3));
        var byPhone = (await _service.FindCustomerAsync(CustomerIdentity.Phone(AnnPhone), Ct))!;
        var byEmail = (await _service.FindCustomerAsync(CustomerIdentity.Email(AnnEmail), Ct))!;
        Assert.NotEqual(byPhone.Id, byEmail.Id);
        return (byPhone, byEmail);
    }

    private async Task AssertMergedAsync(string survivorId, string mergedId, string mergedConversationId)
    {
        Assert.Equal(survivorId, (await _service.FindCustomerAsync(CustomerIdentity.Email(AnnEmail), Ct))!.Id);
        Assert.Equal(survivorId, (await _service.FindCustomerAsync(CustomerIdentity.Phone(AnnPhone), Ct))!.Id);
        var survivor = await _service.GetCustomerAsync(survivorId, Ct);
        Assert.Equal([$"phone:{AnnPhone}", $"email:{AnnEmail}"], survivor.Identities);
        Assert.Equal([mergedId], survivor.MergedFrom);
        Assert.Null(survivor.MergedInto);

        var tombstone = await _service.GetCustomerAsync(mergedId, Ct);
        Assert.Equal(survivorId, tombstone.MergedInto);
        Assert.Empty(await _service.TimelineAsync(mergedId, ct: Ct));

        // Newest first, the email between the two texts, and one audit note of the merge on top.
        var timeline = await _service.TimelineAsync(survivorId, ct: Ct);
        Assert.Equal(["merge|" + mergedId, "sms|m2", $"email|<e1@mail.example>", "sms|m1"], timeline.Select(e => e.Id));
        Assert.All(timeline, e => Assert.Equal(survivorId, e.CustomerId));
        var note = timeline[0];
        Assert.Equal((Direction.Internal, (Channel?)null), (note.Direction, note.Channel));
        Assert.Contains($"Merged with customer {mergedId}", note.Text, StringComparison.Ordinal);
        Assert.Contains(AnnEmail, note.Text, StringComparison.Ordinal);

        Assert.Equal(survivorId, (await _service.GetConversationAsync(mergedConversationId, Ct)).CustomerId);
    }

    [Fact]
    public async Task A_merge_moves_identities_timeline_and_cases_to_the_survivor_and_leaves_a_tombstone()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();

        var survivor = await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);

        Assert.Equal(ann.Id, survivor.Id);
        await AssertMergedAsync(ann.Id, ada.Id, ada.OpenConversationId!);
        // Later messages from the merged record's identities land on the survivor, in its open case.
        _clock.MoveTo(T0.AddMinutes(5));
        var later = (await _service.ReceiveEmailAsync(Email("e2", "Invoice", "Any news?"), Ct))!;
        Assert.Equal(ann.Id, later.CustomerId);
        Assert.Equal(ann.OpenConversationId, later.ConversationId);
        // The identity that used to conflict is already the survivor's.
        Assert.Equal(2, (await _service.AddIdentityAsync(ann.Id, CustomerIdentity.Email(AnnEmail), Ct)).Identities.Count);
        // Delivery reports of the merged record's messages still find them (the references were moved too).
        Assert.Equal("delivered", (await _service.RecordDeliveryAsync("sms|m1", "Delivered", null, _clock.GetUtcNow(), Ct))!.Status);
    }

    [Fact]
    public async Task A_merged_record_with_no_open_case_on_the_survivor_hands_its_case_over()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();
        await _service.ResolveAsync(ann.OpenConversationId!, Ct);

        var survivor = await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);

        Assert.Equal(ada.OpenConversationId, survivor.OpenConversationId);
        _clock.MoveTo(T0.AddMinutes(5));
        Assert.Equal(ada.OpenConversationId, (await _service.ReceiveSmsAsync(Text("m3", "Hello?"), Ct))!.ConversationId);
    }

    [Fact]
    public async Task Repeating_a_merge_changes_nothing()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();
        await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);
        var timeline = await _service.TimelineAsync(ann.Id, ct: Ct);
        var survivor = await _service.GetCustomerAsync(ann.Id, Ct);
        _clock.MoveTo(T0.AddHours(1));

        var again = await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);

        Assert.Equal(Describe(survivor), Describe(again));
        Assert.Equal(Describe(survivor), Describe(await _service.GetCustomerAsync(ann.Id, Ct)));
        Assert.Equal(timeline.Select(Describe), (await _service.TimelineAsync(ann.Id, ct: Ct)).Select(Describe));
        await AssertMergedAsync(ann.Id, ada.Id, ada.OpenConversationId!);
    }

    private static string Describe(CustomerRecord c) =>
        $"{c.Id} {c.Name} [{string.Join(",", c.Identities)}] open={c.OpenConversationId} from=[{string.Join(",", c.MergedFrom)}] into={c.MergedInto} {c.UpdatedAt:O}";

    private static string Describe(TimelineEntry e) => $"{e.Id} {e.CustomerId} {e.ConversationId} {e.At:O} {e.Status} {e.Text}";

    [Fact]
    public async Task A_merge_refuses_itself_unknown_customers_and_records_merged_away()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();
        var bob = await _service.ResolveCustomerAsync(CustomerIdentity.Email("bob@example.com"), ct: Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => _service.MergeCustomersAsync(ann.Id, ann.Id, Ct));
        Assert.Equal("cus-nobody", (await Assert.ThrowsAsync<UnknownCustomerException>(() => _service.MergeCustomersAsync(ann.Id, "cus-nobody", Ct))).Message.Split('\'')[1]);
        await Assert.ThrowsAsync<UnknownCustomerException>(() => _service.MergeCustomersAsync("cus-nobody", ann.Id, Ct));

        await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);
        var intoTombstone = await Assert.ThrowsAsync<CustomerMergedException>(() => _service.MergeCustomersAsync(ada.Id, bob.Id, Ct));
        Assert.Equal((ada.Id, ann.Id), (intoTombstone.CustomerId, intoTombstone.SurvivorId));
        Assert.Contains(ann.Id, intoTombstone.Message, StringComparison.Ordinal);
        var tombstoneElsewhere = await Assert.ThrowsAsync<CustomerMergedException>(() => _service.MergeCustomersAsync(bob.Id, ada.Id, Ct));
        Assert.Equal(ann.Id, tombstoneElsewhere.SurvivorId);
        // Reversing the merge is refused too: the survivor would point at its own tombstone.
        await Assert.ThrowsAsync<CustomerMergedException>(() => _service.MergeCustomersAsync(ada.Id, ann.Id, Ct));
        await Assert.ThrowsAsync<CustomerMergedException>(() => _service.AddIdentityAsync(ada.Id, CustomerIdentity.Phone("+14255550111"), Ct));
        Assert.Null((await _service.GetCustomerAsync(bob.Id, Ct)).MergedInto);
    }

    [Fact]
    public async Task Claiming_another_customers_identity_names_the_owner_to_merge()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();

        var conflict = await Assert.ThrowsAsync<ConversationConflictException>(() => _service.AddIdentityAsync(ann.Id, CustomerIdentity.Email(AnnEmail), Ct));

        Assert.Equal(ada.Id, conflict.OwnerCustomerId);
        Assert.Contains($"merge {ada.Id} into {ann.Id}", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_that_fails_after_any_number_of_writes_is_finished_by_running_it_again()
    {
        var (ann, ada) = await TwoRecordsOfAnnAsync();
        var snapshot = await SnapshotAsync();

        var failuresSeen = 0;
        for (var writes = 0; ; writes++)
        {
            await RestoreAsync(snapshot);
            _failing.FailAfterWrites(writes);
            try
            {
                await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);
                break; // enough writes allowed for the whole merge: every earlier stopping point was tried
            }
            catch (InjectedStoreFailure)
            {
                failuresSeen++;
            }
            _failing.FailAfterWrites(null);
            if (writes > 0)
            {
                // Between the failure and the retry, the merged record's identities already reach the survivor.
                Assert.Equal(ann.Id, (await _service.FindCustomerAsync(CustomerIdentity.Email(AnnEmail), Ct))!.Id);
            }
            await _service.MergeCustomersAsync(ann.Id, ada.Id, Ct);
            await AssertMergedAsync(ann.Id, ada.Id, ada.OpenConversationId!);
        }
        // Tombstone, identity, survivor, case, timeline copy, reference, delete, audit note (reference and row): 9 writes.
        Assert.True(failuresSeen >= 9, $"Only {failuresSeen} stopping points were tried.");
        _failing.FailAfterWrites(null);
        await AssertMergedAsync(ann.Id, ada.Id, ada.OpenConversationId!);
    }

    // ------------------------------------------------------------------ keywords

    [Fact]
    public async Task STOP_START_and_HELP_texts_are_on_the_timeline_with_the_automatic_reply_but_open_no_case()
    {
        var outbox = new SmsOutbox(this, new SmsOptOutRegistry(_store, _clock));
        async Task KeywordAsync(string id, string word)
        {
            var sms = Text(id, word);
            await _service.RecordSmsKeywordAsync(sms, await outbox.HandleKeywordAsync(sms, Ct), Ct);
        }

        await KeywordAsync("k1", "stop");
        await KeywordAsync("k1", "stop"); // redelivered
        _clock.MoveTo(T0.AddMinutes(1));
        await KeywordAsync("k2", "HELP");
        _clock.MoveTo(T0.AddMinutes(2));
        await KeywordAsync("k3", "Start ");
        await KeywordAsync("k3", "Start "); // redelivered

        var customer = (await _service.FindCustomerAsync(CustomerIdentity.Phone(AnnPhone), Ct))!;
        var timeline = (await _service.TimelineAsync(customer.Id, ct: Ct)).Reverse().ToList();
        Assert.Equal(["sms|k1", "sms-auto|k1", "sms|k2", "sms-auto|k2", "sms|k3", "sms-auto|k3"], timeline.Select(e => e.Id));
        Assert.Equal("Customer texted STOP — opted out of texts from +18005550199", timeline[0].Text);
        Assert.Equal(("opted-out", "opted-in"), (timeline[0].Status, timeline[4].Status));
        Assert.StartsWith("Customer texted HELP", timeline[2].Text, StringComparison.Ordinal);
        Assert.Equal(_texts.Select(t => t.Text), timeline.Where(e => e.Direction == Direction.Outbound).Select(e => e.Text));
        Assert.Equal(3, _texts.Count);
        Assert.All(timeline.Where(e => e.Direction == Direction.Outbound), e => Assert.Equal(("sent", AnnPhone), (e.Status, e.To)));
        // No case, no contact for an agent, no acknowledgement queued.
        Assert.Null(customer.OpenConversationId);
        Assert.Empty(_queued);
        // The confirmation's delivery report reaches its entry.
        Assert.Equal("delivered", (await _service.RecordDeliveryAsync("sms-1", "Delivered", null, _clock.GetUtcNow(), Ct))!.Status);
    }

    [Fact]
    public async Task A_keyword_from_a_customer_with_an_open_case_is_noted_in_it_without_routing_again()
    {
        await _service.ReceiveSmsAsync(Text("m1", "Where is my parcel?"), Ct);
        var before = (await _service.FindCustomerAsync(CustomerIdentity.Phone(AnnPhone), Ct))!;
        var conversation = await _service.GetConversationAsync(before.OpenConversationId!, Ct);
        var routingMessages = _queued.Count;
        var outbox = new SmsOutbox(this, new SmsOptOutRegistry(_store, _clock));
        _clock.MoveTo(T0.AddMinutes(1));
        var stop = Text("k1", "STOP");

        var entry = await _service.RecordSmsKeywordAsync(stop, await outbox.HandleKeywordAsync(stop, Ct), Ct);

        Assert.Equal(conversation.Id, entry!.ConversationId);
        var after = await _service.GetConversationAsync(conversation.Id, Ct);
        Assert.Equal((conversation.ContactId, conversation.ContactCount, conversation.UpdatedAt), (after.ContactId, after.ContactCount, after.UpdatedAt));
        Assert.Equal(routingMessages, _queued.Count);
    }

    // ------------------------------------------------------------------ store snapshots

    private static readonly string[] MergeTables = [TableNames.Customers, TableNames.Conversations, TableNames.Timeline];

    /// <summary>Every row the merge may touch, to start each stopping point from the same two records.</summary>
    private async Task<List<(string Table, StateEntity Entity)>> SnapshotAsync()
    {
        var rows = new List<(string, StateEntity)>();
        foreach (var table in MergeTables)
        {
            foreach (var partition in await _failing.PartitionsAsync(table))
            {
                await foreach (var entity in _store.QueryPartitionAsync(table, partition, cancellationToken: Ct))
                {
                    rows.Add((table, entity));
                }
            }
        }
        return rows;
    }

    private async Task RestoreAsync(List<(string Table, StateEntity Entity)> snapshot)
    {
        _failing.FailAfterWrites(null);
        foreach (var table in MergeTables)
        {
            foreach (var partition in await _failing.PartitionsAsync(table))
            {
                await foreach (var entity in _store.QueryPartitionAsync(table, partition, cancellationToken: Ct))
                {
                    await _store.DeleteAsync(table, entity.PartitionKey, entity.RowKey, cancellationToken: Ct);
                }
            }
        }
        foreach (var (table, entity) in snapshot)
        {
            await _store.UpsertAsync(table, new StateEntity(entity.PartitionKey, entity.RowKey, entity.Properties), Ct);
        }
    }
}

public sealed class InjectedStoreFailure() : Exception("Injected: the process stopped here.");

/// <summary>
/// Passes everything to the real store but throws after a set number of writes (a batch is one write), as a crash
/// would; remembers the partitions written so tests can snapshot and restore them.
/// </summary>
public sealed class FailingStateStore(IStateStore inner) : IStateStore
{
    private readonly HashSet<(string Table, string Partition)> _partitions = [];
    private int? _writesLeft;

    public string Kind => inner.Kind;

    public void FailAfterWrites(int? writes) => _writesLeft = writes;

    public Task<IReadOnlyList<string>> PartitionsAsync(string table) =>
        Task.FromResult<IReadOnlyList<string>>(_partitions.Where(p => p.Table == table).Select(p => p.Partition).ToList());

    private void Write(string table, string partition)
    {
        if (_writesLeft is { } left)
        {
            if (left <= 0)
            {
                throw new InjectedStoreFailure();
            }
            _writesLeft = left - 1;
        }
        _partitions.Add((table, partition));
    }

    public Task<StateEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public Task<string> InsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Write(table, entity.PartitionKey);
        return inner.InsertAsync(table, entity, cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, StateEntity entity, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        Write(table, entity.PartitionKey);
        return inner.ReplaceAsync(table, entity, ifMatchETag, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, StateEntity entity, CancellationToken cancellationToken = default)
    {
        Write(table, entity.PartitionKey);
        return inner.UpsertAsync(table, entity, cancellationToken);
    }

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? ifMatchETag = null, CancellationToken cancellationToken = default)
    {
        Write(table, partitionKey);
        return inner.DeleteAsync(table, partitionKey, rowKey, ifMatchETag, cancellationToken);
    }

    public async IAsyncEnumerable<StateEntity> QueryPartitionAsync(string table, string partitionKey, string? fromRowKey = null, string? toRowKeyExclusive = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in inner.QueryPartitionAsync(table, partitionKey, fromRowKey, toRowKeyExclusive, cancellationToken))
        {
            yield return entity;
        }
    }

    public Task SubmitBatchAsync(string table, IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken = default)
    {
        Write(table, operations[0].Entity.PartitionKey);
        return inner.SubmitBatchAsync(table, operations, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
