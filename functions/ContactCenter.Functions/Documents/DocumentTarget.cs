using ContactCenter.Core.Documents;

namespace ContactCenter.Functions.Documents;

/// <summary>What happened to a document this instance tried to apply or publish.</summary>
public sealed record DocumentUpdate(bool Applied, int ActiveVersion, string Outcome, IReadOnlyList<DocumentError> Errors);

/// <summary>Where a versioned document takes effect on this instance: its catalog (routing rules, IVR flows).</summary>
public interface IDocumentTarget
{
    int ActiveVersion { get; }

    /// <param name="replaceSameVersion">True for the shared store's text, which is authoritative for its version.</param>
    DocumentUpdate TryApply(string text, string source, bool replaceSameVersion);
}

/// <summary>
/// Where a document's deployed file is and how often it is checked: <paramref name="PathSetting"/> names the setting in
/// messages ("Routing:RulesPath").
/// </summary>
public sealed record DocumentFileSettings(string PathSetting, string ResolvedPath, TimeSpan PollInterval, TimeSpan SyncInterval);
