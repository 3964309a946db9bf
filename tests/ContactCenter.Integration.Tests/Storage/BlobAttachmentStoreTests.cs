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

        var stored = await store.SaveAsync("Rechnung März.pdf", "application/pdf", new MemoryStream(content), Ct);

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
        await store.SaveAsync("small.txt", "text/plain", new MemoryStream(new byte[10]), Ct);

        // Not seekable, so the size is only found out while streaming.
        var ex = await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            store.SaveAsync("huge.bin", "application/octet-stream", new NonSeekable(new byte[64 * 1024 + 1]), Ct));

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

        var stored = await store.SaveAsync("edge.bin", "", new NonSeekable(new byte[4096]), Ct);

        Assert.Equal((4096L, "application/octet-stream"), (stored.Length, stored.ContentType));
    }

    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
