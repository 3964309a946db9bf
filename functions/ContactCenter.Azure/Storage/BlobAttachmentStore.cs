using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContactCenter.Core.Channels;

namespace ContactCenter.Azure.Storage;

/// <summary>
/// Email attachments in Blob Storage (Azurite in tests): container <see cref="DefaultContainer"/>, one blob per
/// attachment named by the caller's deterministic id (<see cref="AttachmentIds"/>), content type and original file name
/// kept on the blob. Writes are idempotent: an existing blob is returned as it is, and the upload carries
/// If-None-Match: * so two concurrent deliveries of one email commit one blob. The content streams through a counting
/// wrapper that fails once the limit is passed, so an oversized attachment is never buffered whole; its staged blocks
/// are never committed and <see cref="AttachmentTooLargeException"/> is thrown — nothing is left stored.
/// </summary>
public sealed class BlobAttachmentStore : IAttachmentStore
{
    public const string DefaultContainer = "attachments";
    public const long DefaultMaxBytes = 25L * 1024 * 1024;

    private readonly BlobContainerClient _container;
    private int _containerReady;

    public BlobAttachmentStore(BlobContainerClient container, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        MaxBytes = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The limit must be positive.");
    }

    public long MaxBytes { get; }

    public async Task<StoredAttachment> SaveAsync(string id, string name, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek && content.Length - content.Position > MaxBytes)
        {
            throw new AttachmentTooLargeException(name, MaxBytes);
        }
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        contentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType;
        var blob = _container.GetBlobClient(id);
        if (await ExistingAsync(blob, id, name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // A redelivered email: the id names the same content, already stored.
            return existing;
        }
        var limited = new LimitedReadStream(content, MaxBytes);
        try
        {
            await blob.UploadAsync(limited, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                // Metadata values are ASCII: the name is kept escaped.
                Metadata = new Dictionary<string, string> { ["filename"] = Uri.EscapeDataString(name) },
                // If-None-Match: * — a concurrent delivery of the same email that committed first wins; ours is then a no-op.
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                // Staged in 4 MiB blocks: a large attachment is never held whole in memory, and blocks of a refused one are never committed.
                TransferOptions = new global::Azure.Storage.StorageTransferOptions { InitialTransferSize = 4 * 1024 * 1024, MaximumTransferSize = 4 * 1024 * 1024 },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (limited.LimitExceeded)
        {
            // Blocks already staged are never committed, and a single-shot upload is all or nothing: nothing to clean up.
            throw new AttachmentTooLargeException(name, MaxBytes);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Lost the race to another delivery of the same email: its blob is the same content.
            return await ExistingAsync(blob, id, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Attachment blob {id} was reported to exist but cannot be read.", ex);
        }
        return new StoredAttachment(id, name, contentType, limited.BytesRead, blob.Uri);
    }

    private static async Task<StoredAttachment?> ExistingAsync(BlobClient blob, string id, string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new StoredAttachment(id, name, properties.ContentType, properties.ContentLength, blob.Uri);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream?> OpenAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return await _container.GetBlobClient(id).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 1)
        {
            return;
        }
        try
        {
            await _container.CreateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already there: the usual case after the first upload of any instance.
        }
        Volatile.Write(ref _containerReady, 1);
    }

    /// <summary>Counts what is read and fails past the limit, so nothing larger than the limit is ever uploaded.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        public long BytesRead { get; private set; }
        public bool LimitExceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            BytesRead += read;
            if (BytesRead > limit)
            {
                LimitExceeded = true;
                throw new IOException($"The attachment is larger than {limit} bytes.");
            }
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
