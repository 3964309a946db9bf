using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Routing;

/// <summary>What became of a proposed rules text.</summary>
public enum RulesPublishOutcome
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
public sealed record RulesVersionInfo(int Version, string Source, DateTimeOffset PublishedAt);

/// <summary>A published version and its text, exactly as it was published.</summary>
public sealed record StoredRules(RulesVersionInfo Info, string Text);

/// <param name="Rules">The parsed rules that were proposed, when they validate.</param>
/// <param name="Current">The current version after the attempt (null while nothing is published).</param>
public sealed record RulesPublishResult(RulesPublishOutcome Outcome, RoutingRules? Rules, RulesVersionInfo? Current, string Message,
    IReadOnlyList<RulesError> Errors)
{
    public bool Succeeded => Outcome is RulesPublishOutcome.Published or RulesPublishOutcome.Unchanged;
}

/// <summary>
/// The routing rules every instance shares, kept in an <see cref="IStateStore"/>: each published version is an
/// immutable row, and a "current" row points at the newest. A version row and the pointer move together in one
/// single-partition batch, conditional on the pointer's ETag, so concurrent publishers can never move the pointer
/// backwards, never leave a half-published version, and each version number names exactly one text.
/// </summary>
/// <remarks>
/// Only point reads and batches, no partition queries: Azure.Data.Tables materialises query results through a
/// reflection binder that Native AOT cannot run. Each version row names the version it replaced, so history is a
/// walk back from the current one.
/// </remarks>
public sealed class RoutingRulesStore(IStateStore store, TimeProvider timeProvider)
{
    public const string Partition = "routing-rules";
    private const string CurrentRow = "current";
    private const string VersionPrefix = "v";

    /// <summary>A Table Storage string holds 32K UTF-16 characters.</summary>
    private const int ChunkLength = StateProperties.MaxStringLength;

    /// <summary>15 full chunks (~960 KiB as UTF-16) keep a version row under Table Storage's 1 MiB entity limit.</summary>
    private const int MaxChunks = 15;

    /// <summary>The longest rules text a version can hold, in UTF-16 characters.</summary>
    public const int MaxTextLength = ChunkLength * MaxChunks;

    public const int MaxListLimit = 100;
    private const int MaxSourceLength = 512;

    /// <summary>Validates <paramref name="text"/> and, if its version is higher than the current one, makes it current.</summary>
    /// <param name="source">Who published it, for history and logs (a file path, "PUT /api/routing/rules").</param>
    public async Task<RulesPublishResult> PublishAsync(string text, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        source = source.Length <= MaxSourceLength ? source : source[..(MaxSourceLength - 1)] + "…";
        RoutingRules rules;
        try
        {
            rules = RoutingRules.Parse(text);
        }
        catch (RulesValidationException ex)
        {
            return new(RulesPublishOutcome.Invalid, null, null, $"refused: {ex.Errors.Count} error(s); nothing was published", ex.Errors);
        }
        var chunks = Split(text);
        if (chunks.Count > MaxChunks)
        {
            return new(RulesPublishOutcome.Invalid, rules, null, "refused: the rules are too long to store",
                [new RulesError(1, 1, "", $"The rules are {text.Length} characters; the store holds at most {MaxTextLength}.")]);
        }

        // Each lost race means another publisher moved the pointer forward, so this ends: either ours gets in, or
        // the pointer reaches our version and we are refused (or find our own text there).
        for (var attempt = 0; ; attempt++)
        {
            var pointer = await ReadPointerAsync(cancellationToken);
            if (pointer is { Info.Version: var currentVersion } && currentVersion >= rules.Version)
            {
                return await NotHigherAsync(rules, text, pointer.Info, cancellationToken);
            }
            var info = new RulesVersionInfo(rules.Version, source, timeProvider.GetUtcNow());
            var previous = pointer?.Info.Version ?? 0;
            var operations = new List<StateOperation>(2);
            // A version above the pointer has no row, unless written outside this class: never overwrite one.
            if (await GetVersionAsync(rules.Version, cancellationToken) is { } existing)
            {
                if (existing.Text != text)
                {
                    return new(RulesPublishOutcome.NotNewer, rules, pointer?.Info,
                        $"refused: version {rules.Version} is already stored with different rules; raise the version", []);
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
                return new(RulesPublishOutcome.Published, rules, info, $"published version {rules.Version} from {source}", []);
            }
            catch (StateStoreException) when (attempt < 100)
            {
                // Another publisher wrote first (409 on insert, 412 on the pointer): read the pointer again and decide afresh.
            }
        }
    }

    /// <summary>The current version, without its text: one small point read, cheap enough to poll.</summary>
    public async Task<RulesVersionInfo?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        (await ReadPointerAsync(cancellationToken))?.Info;

    /// <summary>A published version and its text, or null if it was never published.</summary>
    /// <exception cref="InvalidDataException">The stored row is damaged (a chunk missing, the text not what was written).</exception>
    public async Task<StoredRules?> GetVersionAsync(int version, CancellationToken cancellationToken = default)
    {
        if (version < 1)
        {
            return null;
        }
        var entity = await store.GetAsync(TableNames.Operations, Partition, VersionRow(version), cancellationToken);
        return entity is null ? null : ReadVersion(entity);
    }

    /// <summary>The versions that have been current, newest (the current one) first.</summary>
    public async Task<IReadOnlyList<RulesVersionInfo>> ListVersionsAsync(int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxListLimit);
        var versions = new List<RulesVersionInfo>(limit);
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

    private async Task<RulesPublishResult> NotHigherAsync(RoutingRules rules, string text, RulesVersionInfo current, CancellationToken cancellationToken)
    {
        if (current.Version == rules.Version && (await GetVersionAsync(rules.Version, cancellationToken))?.Text == text)
        {
            return new(RulesPublishOutcome.Unchanged, rules, current, $"unchanged: version {rules.Version} is already published with this text", []);
        }
        var why = current.Version == rules.Version
            ? $"version {rules.Version} is already published with different rules"
            : $"version {rules.Version} is older than the current version {current.Version}";
        return new(RulesPublishOutcome.NotNewer, rules, current, $"refused: {why}; raise the version above {current.Version}", []);
    }

    private async Task<Pointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(TableNames.Operations, Partition, CurrentRow, cancellationToken);
        return entity is null ? null : new Pointer(Info(entity), entity.ETag!);
    }

    /// <summary>Inverted, fixed-width version numbers: storage tools list rows in ascending key order, so the newest comes first.</summary>
    private static string VersionRow(int version) => VersionPrefix + (int.MaxValue - version).ToString("D10", CultureInfo.InvariantCulture);

    private static StateEntity PointerEntity(RulesVersionInfo info) => new(Partition, CurrentRow, new Dictionary<string, object?>
    {
        ["Version"] = (long)info.Version,
        ["Source"] = info.Source,
        ["PublishedAt"] = info.PublishedAt,
    });

    private static StateEntity VersionEntity(RulesVersionInfo info, int previous, string text, List<string> chunks)
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

    private static StoredRules ReadVersion(StateEntity entity)
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
        return new StoredRules(info, value);
    }

    private static InvalidDataException Damaged(RulesVersionInfo info, string why) =>
        new($"Stored routing rules version {info.Version} are damaged: {why}.");

    private static RulesVersionInfo Info(StateEntity entity) => new(
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

    private sealed record Pointer(RulesVersionInfo Info, string ETag);
}
