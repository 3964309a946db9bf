using Azure.Storage.Blobs;
using ContactCenter.Azure.Storage;
using ContactCenter.Core.Channels;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Storage;

/// <summary>Email attachments on Azurite's blob service, and the in-memory twin under the same rules.</summary>
public sealed class BlobAttachmentStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BlobContainerClient Container() =>
        new BlobServiceClient(AzuriteFixture.ConnectionString).GetBlobContainerClient("attachments-" + Guid.NewGuid().ToString("N")[..12]);

    public static TheoryData<string> Stores => ["blob", "memory"];

    private static (IAttachmentStore Store, BlobContainerClient? Container) Create(string kind, long limit) =>
        kind == "blob" ? (new BlobAttachmentStore(Container() is var c ? c : null!, limit), c) : (new InMemoryAttachmentStore(limit), null);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_attachment_is_stored_with_its_type_and_read_back(string kind)
    {
        var (store, _) = Create(kind, 1024);
        var content = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var stored = await store.SaveAsync("m1-0", "Rechnung März.pdf", "application/pdf", new MemoryStream(content), Ct);

        Assert.Equal(("Rechnung März.pdf", "application/pdf", 1000L), (stored.Name, stored.ContentType, stored.Length));
        await using var read = await store.OpenAsync(stored.Id, Ct);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
        Assert.Null(await store.OpenAsync("no-such-attachment", Ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_oversized_attachment_is_refused_and_nothing_is_left_stored(string kind)
    {
        var (store, container) = Create(kind, 64 * 1024);
        await store.SaveAsync("m1-0", "small.txt", "text/plain", new MemoryStream(new byte[10]), Ct);

        // Not seekable, so the size is only found out while streaming.
        var ex = await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            store.SaveAsync("m1-1", "huge.bin", "application/octet-stream", new NonSeekable(new byte[64 * 1024 + 1]), Ct));

        Assert.Equal(("huge.bin", 64 * 1024L), (ex.Name, ex.Limit));
        if (container is not null)
        {
            var names = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
            {
                names.Add(blob.Name);
            }
            Assert.Single(names);
            var properties = await container.GetBlobClient(names[0]).GetPropertiesAsync(cancellationToken: Ct);
            Assert.Equal("text/plain", properties.Value.ContentType);
        }
        else
        {
            Assert.Equal(1, ((InMemoryAttachmentStore)store).Count);
        }
    }

    [Fact]
    public async Task Exactly_the_limit_is_allowed()
    {
        var store = new BlobAttachmentStore(Container(), 4096);

        var stored = await store.SaveAsync("m1-0", "edge.bin", "", new NonSeekable(new byte[4096]), Ct);

        Assert.Equal((4096L, "application/octet-stream"), (stored.Length, stored.ContentType));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Saving_under_an_id_already_used_keeps_the_first_copy_and_stores_nothing_more(string kind)
    {
        var (store, container) = Create(kind, 1024);
        var content = "first delivery"u8.ToArray();
        var id = AttachmentIds.For("<redelivered@example.org>", 0, content);

        var first = await store.SaveAsync(id, "note.txt", "text/plain", new MemoryStream(content), Ct);
        var again = await store.SaveAsync(id, "note.txt", "text/plain", new MemoryStream(content), Ct);

        Assert.Equal((first.Id, first.Length, first.ContentType, first.Location), (again.Id, again.Length, again.ContentType, again.Location));
        await using var read = await store.OpenAsync(id, Ct);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
        if (container is not null)
        {
            Assert.Equal([id], await BlobNamesAsync(container));
        }
        else
        {
            Assert.Equal(1, ((InMemoryAttachmentStore)store).Count);
        }
    }

    [Fact]
    public async Task Concurrent_saves_of_one_id_commit_one_blob()
    {
        var container = Container();
        var store = new BlobAttachmentStore(container, 1024 * 1024);
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var id = AttachmentIds.For("<race@example.org>", 2, content);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            store.SaveAsync(id, "scan.pdf", "application/pdf", new NonSeekable(content), Ct)));

        Assert.All(results, r => Assert.Equal((id, 100_000L), (r.Id, r.Length)));
        Assert.Equal([id], await BlobNamesAsync(container));
    }

    [Fact]
    public void Attachment_ids_follow_the_message_the_position_and_the_content()
    {
        var id = AttachmentIds.For("<a@example.org>", 0, [1, 2, 3]);

        Assert.Equal(id, AttachmentIds.For("<a@example.org>", 0, [1, 2, 3]));
        Assert.NotEqual(id, AttachmentIds.For("<b@example.org>", 0, [1, 2, 3]));
        Assert.NotEqual(id, AttachmentIds.For("<a@example.org>", 1, [1, 2, 3]));
        Assert.NotEqual(id, AttachmentIds.For("<a@example.org>", 0, [1, 2, 4]));
        Assert.Matches("^[0-9a-f]{32}-000-[0-9a-f]{32}$", id);
    }

    private static async Task<List<string>> BlobNamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
