using ContactCenter.Core.Documents;
using ContactCenter.Core.State;

namespace ContactCenter.Core.Routing;

/// <summary>What became of a proposed rules text.</summary>
public enum RulesPublishOutcome
{
    /// <summary>The text is now the current version.</summary>
    Published = DocumentPublishOutcome.Published,

    /// <summary>The same text was already published at this version: nothing changed (a retry, or a second instance).</summary>
    Unchanged = DocumentPublishOutcome.Unchanged,

    /// <summary>The text does not validate; nothing was stored.</summary>
    Invalid = DocumentPublishOutcome.Invalid,

    /// <summary>The version is not higher than the current one (or is taken by a different text); nothing was stored.</summary>
    NotNewer = DocumentPublishOutcome.NotNewer,
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
/// The routing rules every instance shares: the "routing-rules" kind of <see cref="VersionedDocumentStore{TDocument}"/>
/// (immutable version rows and an ETag-swapped "current" pointer), with the routing rules' own result types.
/// </summary>
public sealed class RoutingRulesStore(IStateStore store, TimeProvider timeProvider)
{
    public const string Partition = "routing-rules";

    /// <summary>The longest rules text a version can hold, in UTF-16 characters.</summary>
    public const int MaxTextLength = VersionedDocumentStore<RoutingRules>.MaxTextLength;

    public const int MaxListLimit = VersionedDocumentStore<RoutingRules>.MaxListLimit;

    public static DocumentKind<RoutingRules> Kind { get; } = new(Partition, "routing rules", Validate);

    /// <summary>The same store, in the shape every versioned document shares (sync, watcher and HTTP API use it).</summary>
    public VersionedDocumentStore<RoutingRules> Documents { get; } = new(store, timeProvider, Kind);

    /// <summary>Validates <paramref name="text"/> and, if its version is higher than the current one, makes it current.</summary>
    /// <param name="source">Who published it, for history and logs (a file path, "PUT /api/routing/rules").</param>
    public async Task<RulesPublishResult> PublishAsync(string text, string source, CancellationToken cancellationToken = default)
    {
        var result = await Documents.PublishAsync(text, source, cancellationToken);
        return new RulesPublishResult((RulesPublishOutcome)result.Outcome, result.Document, Map(result.Current), result.Message,
            result.Errors.Select(e => new RulesError(e.Line, e.Column, e.Pointer, e.Message)).ToList());
    }

    /// <summary>The current version, without its text: one small point read, cheap enough to poll.</summary>
    public async Task<RulesVersionInfo?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        Map(await Documents.GetCurrentAsync(cancellationToken));

    /// <summary>A published version and its text, or null if it was never published.</summary>
    /// <exception cref="InvalidDataException">The stored row is damaged (a chunk missing, the text not what was written).</exception>
    public async Task<StoredRules?> GetVersionAsync(int version, CancellationToken cancellationToken = default) =>
        await Documents.GetVersionAsync(version, cancellationToken) is { } stored ? new StoredRules(Map(stored.Info)!, stored.Text) : null;

    /// <summary>The versions that have been current, newest (the current one) first.</summary>
    public async Task<IReadOnlyList<RulesVersionInfo>> ListVersionsAsync(int limit = 20, CancellationToken cancellationToken = default) =>
        (await Documents.ListVersionsAsync(limit, cancellationToken)).Select(v => Map(v)!).ToList();

    /// <summary>Parses rules text for the store: errors become <see cref="DocumentError"/>s.</summary>
    public static DocumentParse<RoutingRules> Validate(string text)
    {
        try
        {
            var rules = RoutingRules.Parse(text);
            return DocumentParse<RoutingRules>.Valid(rules, rules.Version);
        }
        catch (RulesValidationException ex)
        {
            return DocumentParse<RoutingRules>.Invalid(ex.Errors.Select(e => new DocumentError(e.Line, e.Column, e.Pointer, e.Message)));
        }
    }

    private static RulesVersionInfo? Map(DocumentVersionInfo? info) => info is null ? null : new(info.Version, info.Source, info.PublishedAt);
}
