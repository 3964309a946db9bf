using System.Collections.Concurrent;

namespace ContactCenter.Core.Channels;

/// <summary>
/// Attachments kept in memory, for local mode without storage and for tests: the same size limit and refusal as the
/// Blob Storage store, and the same keep-the-first rule for an id already used. Locations are "memory:{id}" — nothing outside the process can open them.
/// </summary>
public sealed class InMemoryAttachmentStore(long maxBytes = InMemoryAttachmentStore.DefaultMaxBytes) : IAttachmentStore
{
    public const long DefaultMaxBytes = 25L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, (StoredAttachment Attachment, byte[] Content)> _items = new(StringComparer.Ordinal);

    public long MaxBytes { get; } = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The limit must be positive.");

    public int Count => _items.Count;

    public async Task<StoredAttachment> SaveAsync(string id, string name, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(name);
        if (_items.TryGetValue(id, out var existing))
        {
            return existing.Attachment;
        }
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new AttachmentTooLargeException(name, MaxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        var attachment = new StoredAttachment(id, name, string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType,
            buffer.Length, new Uri("memory:" + id));
        // First writer wins, as with the blob store's if-none-match.
        return _items.GetOrAdd(id, (attachment, buffer.ToArray())).Attachment;
    }

    public Task<Stream?> OpenAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream?>(_items.TryGetValue(id, out var item) ? new MemoryStream(item.Content, writable: false) : null);
}
