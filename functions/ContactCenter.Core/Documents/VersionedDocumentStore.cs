using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Documents;

/// <summary>One problem in a document, where it is: line and column (1-based) and the JSON Pointer of the value.</summary>
public sealed record DocumentError(int Line, int Column, string Pointer, string Message)
{
    public override string ToString() => $"line {Line}, column {Column} ({(Pointer.Length == 0 ? "/" : Pointer)}): {Message}";
}

/// <summary>A document that parsed (with its version), or every error that stopped it.</summary>
public sealed record DocumentParse<TDocument>(TDocument? Document, int Version, IReadOnlyList<DocumentError> Errors) where TDocument : class
{
    public static DocumentParse<TDocument> Valid(TDocument document, int version) => new(document, version, []);

    public static DocumentParse<TDocument> Invalid(IEnumerable<DocumentError> errors) => new(null, 0, errors.ToList());
}

/// <summary>
/// What kind of versioned document a store holds: its partition in the Operations table, how people call it (in
/// messages), and how its text is validated. Routing rules and IVR flows are two kinds.
/// </summary>
/// <param name="Validate">Parses and validates a text; may depend on other documents (IVR flows on the current queues).</param>
public sealed record DocumentKind<TDocument>(string Partition, string Name, Func<string, DocumentParse<TDocument>> Validate) where TDocument : class;

/// <summary>What became of a proposed text.</summary>
public enum DocumentPublishOutcome
{
    /// <summary>The text is now the current version.</summary>
    Published,

    /// <summary>The same text was already published at this version: nothing changed (a retry, or a second instance).</summary>
    Unchanged,

    /// <summary>The text does not validate; nothing was stored.</summary>
    Invalid,

    /// <summary>The version is not higher than the current one (or is taken by a different text); nothing was stored.</summary>
    NotNewer,
}

/// <summary>A published version, without its text.</summary>
public sealed record DocumentVersionInfo(int Version, string Source, DateTimeOffset PublishedAt);

/// <summary>A published version and its text, exactly as it was published.</summary>
public sealed record StoredDocument(DocumentVersionInfo Info, string Text);

/// <param name="Document">The parsed document that was proposed, when it validates.</param>
/// <param name="ProposedVersion">The proposed text's version, when it validates.</param>
/// <param name="Current">The current version after the attempt (null while nothing is published).</param>
public sealed record DocumentPublishResult<TDocument>(DocumentPublishOutcome Outcome, TDocument? Document, int? ProposedVersion, DocumentVersionInfo? Current,
    string Message, IReadOnlyList<DocumentError> Errors) where TDocument : class
{
    public bool Succeeded => Outcome is DocumentPublishOutcome.Published or DocumentPublishOutcome.Unchanged;
}

/// <summary>
/// A document every instance shares (the routing rules, the IVR flows), kept in an <see cref="IStateStore"/>: each published version is an
/// immutable row, and a "current" row points at the newest. A version row and the pointer move together in one
/// single-partition batch, conditional on the pointer's ETag, so concurrent publishers can never move the pointer
/// backwards, never leave a half-published version, and each version number names exactly one text.
/// </summary>
/// <remarks>
/// Only point reads and batches, no partition queries: Azure.Data.Tables materialises query results through a
/// reflection binder that Native AOT cannot run. Each version row names the version it replaced, so history is a
/// walk back from the current one.
/// </remarks>
public sealed class VersionedDocumentStore<TDocument>(IStateStore store, TimeProvider timeProvider, DocumentKind<TDocument> kind) where TDocument : class
{
    private const string CurrentRow = "current";
    private const string VersionPrefix = "v";

    /// <summary>A Table Storage string holds 32K UTF-16 characters.</summary>
    private const int ChunkLength = StateProperties.MaxStringLength;

    /// <summary>15 full chunks (~960 KiB as UTF-16) keep a version row under Table Storage's 1 MiB entity limit.</summary>
    private const int MaxChunks = 15;

    /// <summary>The longest text a version can hold, in UTF-16 characters.</summary>
    public const int MaxTextLength = ChunkLength * MaxChunks;

    public const int MaxListLimit = 100;
    private const int MaxSourceLength = 512;

    public DocumentKind<TDocument> Kind => kind;

    private string Partition => kind.Partition;

    /// <summary>Validates <paramref name="text"/> and, if its version is higher than the current one, makes it current.</summary>
    /// <param name="source">Who published it, for history and logs (a file path, "PUT /api/routing/rules").</param>
    public async Task<DocumentPublishResult<TDocument>> PublishAsync(string text, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        source = source.Length <= MaxSourceLength ? source : source[..(MaxSourceLength - 1)] + "…";
        var parsed = kind.Validate(text);
        if (parsed.Document is not { } document)
        {
            return new(DocumentPublishOutcome.Invalid, null, null, null, $"refused: {parsed.Errors.Count} error(s); nothing was published", parsed.Errors);
        }
        var version = parsed.Version;
        var chunks = Split(text);
        if (chunks.Count > MaxChunks)
        {
            return new(DocumentPublishOutcome.Invalid, document, version, null, $"refused: the {kind.Name} are too long to store",
                [new DocumentError(1, 1, "", $"The {kind.Name} are {text.Length} characters; the store holds at most {MaxTextLength}.")]);
        }

        // Each lost race means another publisher moved the pointer forward, so this ends: either ours gets in, or
        // the pointer reaches our version and we are refused (or find our own text there).
        for (var attempt = 0; ; attempt++)
        {
            var pointer = await ReadPointerAsync(cancellationToken);
            if (pointer is { Info.Version: var currentVersion } && currentVersion >= version)
            {
                return await NotHigherAsync(document, version, text, pointer.Info, cancellationToken);
            }
            var info = new DocumentVersionInfo(version, source, timeProvider.GetUtcNow());
            var previous = pointer?.Info.Version ?? 0;
            var operations = new List<StateOperation>(2);
            // A version above the pointer has no row, unless written outside this class: never overwrite one.
            if (await GetVersionAsync(version, cancellationToken) is { } existing)
            {
                if (existing.Text != text)
                {
                    return new(DocumentPublishOutcome.NotNewer, document, version, pointer?.Info,
                        $"refused: version {version} is already stored with different {kind.Name.Split(' ')[^1]}; raise the version", []);
                }
                info = existing.Info;
            }
            else
            {
                operations.Add(StateOperation.Insert(VersionEntity(info, previous, text, chunks)));
            }
            var current = PointerEntity(info);
            operations.Add(pointer is null ? StateOperation.Insert(current) : StateOperation.Replace(current, pointer.ETag));
            try
            {
                await store.SubmitBatchAsync(TableNames.Operations, operations, cancellationToken);
                return new(DocumentPublishOutcome.Published, document, version, info, $"published version {version} from {source}", []);
            }
            catch (StateStoreException) when (attempt < 100)
            {
                // Another publisher wrote first (409 on insert, 412 on the pointer): read the pointer again and decide afresh.
            }
        }
    }

    /// <summary>The current version, without its text: one small point read, cheap enough to poll.</summary>
    public async Task<DocumentVersionInfo?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        (await ReadPointerAsync(cancellationToken))?.Info;

    /// <summary>A published version and its text, or null if it was never published.</summary>
    /// <exception cref="InvalidDataException">The stored row is damaged (a chunk missing, the text not what was written).</exception>
    public async Task<StoredDocument?> GetVersionAsync(int version, CancellationToken cancellationToken = default)
    {
        if (version < 1)
        {
            return null;
        }
        var entity = await store.GetAsync(TableNames.Operations, Partition, VersionRow(version), cancellationToken);
        return entity is null ? null : ReadVersion(entity);
    }

    /// <summary>The versions that have been current, newest (the current one) first.</summary>
    public async Task<IReadOnlyList<DocumentVersionInfo>> ListVersionsAsync(int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxListLimit);
        var versions = new List<DocumentVersionInfo>(limit);
        var next = (await GetCurrentAsync(cancellationToken))?.Version ?? 0;
        while (next > 0 && versions.Count < limit)
        {
            var entity = await store.GetAsync(TableNames.Operations, Partition, VersionRow(next), cancellationToken);
            if (entity is null)
            {
                break;
            }
            versions.Add(Info(entity));
            // Strictly older by construction; the guard only stops a loop on a row edited by hand.
            next = (int)Math.Clamp(entity.GetInt64("Previous") ?? 0, 0, next - 1);
        }
        return versions;
    }

    private async Task<DocumentPublishResult<TDocument>> NotHigherAsync(TDocument document, int version, string text, DocumentVersionInfo current,
        CancellationToken cancellationToken)
    {
        if (current.Version == version && (await GetVersionAsync(version, cancellationToken))?.Text == text)
        {
            return new(DocumentPublishOutcome.Unchanged, document, version, current, $"unchanged: version {version} is already published with this text", []);
        }
        var why = current.Version == version
            ? $"version {version} is already published with different {kind.Name.Split(' ')[^1]}"
            : $"version {version} is older than the current version {current.Version}";
        return new(DocumentPublishOutcome.NotNewer, document, version, current, $"refused: {why}; raise the version above {current.Version}", []);
    }

    private async Task<Pointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Operations, Partition, CurrentRow, cancellationToken);
        return entity is null ? null : new Pointer(Info(entity), entity.ETag!);
    }

    /// <summary>Inverted, fixed-width version numbers: storage tools list rows in ascending key order, so the newest comes first.</summary>
    private static string VersionRow(int version) => VersionPrefix + (int.MaxValue - version).ToString("D10", CultureInfo.InvariantCulture);

    private StateEntity PointerEntity(DocumentVersionInfo info) => new(Partition, CurrentRow, new Dictionary<string, object?>
    {
        ["Version"] = (long)info.Version,
        ["Source"] = info.Source,
        ["PublishedAt"] = info.PublishedAt,
    });

    private StateEntity VersionEntity(DocumentVersionInfo info, int previous, string text, List<string> chunks)
    {
        var properties = new Dictionary<string, object?>
        {
            ["Version"] = (long)info.Version,
            ["Previous"] = (long)previous,
            ["Source"] = info.Source,
            ["PublishedAt"] = info.PublishedAt,
            ["Length"] = (long)text.Length,
            ["Chunks"] = (long)chunks.Count,
            ["Sha256"] = Hash(text),
        };
        for (var i = 0; i < chunks.Count; i++)
        {
            properties[ChunkName(i)] = chunks[i];
        }
        return new StateEntity(Partition, VersionRow(info.Version), properties);
    }

    private StoredDocument ReadVersion(StateEntity entity)
    {
        var info = Info(entity);
        var count = entity.GetInt64("Chunks") ?? -1;
        if (count is < 1 or > MaxChunks)
        {
            throw Damaged(info, $"it names {count} chunks");
        }
        var text = new StringBuilder((int)(entity.GetInt64("Length") ?? 0));
        for (var i = 0; i < count; i++)
        {
            text.Append(entity.GetString(ChunkName(i)) ?? throw Damaged(info, $"chunk {i} is missing"));
        }
        var value = text.ToString();
        if (value.Length != entity.GetInt64("Length") || Hash(value) != entity.GetString("Sha256"))
        {
            throw Damaged(info, "its text is not what was published");
        }
        return new StoredDocument(info, value);
    }

    private InvalidDataException Damaged(DocumentVersionInfo info, string why) =>
        new($"Stored {kind.Name} version {info.Version} are damaged: {why}.");

    private static DocumentVersionInfo Info(StateEntity entity) => new(
        (int)(entity.GetInt64("Version") ?? 0),
        entity.GetString("Source") ?? "unknown",
        entity.GetDateTimeOffset("PublishedAt") ?? DateTimeOffset.MinValue);

    private static string ChunkName(int index) => "Text" + index.ToString("D2", CultureInfo.InvariantCulture);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Chunks of at most <see cref="ChunkLength"/> characters that never split a surrogate pair (a lone half would not survive JSON on the wire).</summary>
    private static List<string> Split(string text)
    {
        var chunks = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(ChunkLength, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }
            chunks.Add(text.Substring(start, length));
            start += length;
            if (chunks.Count > MaxChunks)
            {
                break;
            }
        }
        return chunks;
    }

    private sealed record Pointer(DocumentVersionInfo Info, string ETag);
}
