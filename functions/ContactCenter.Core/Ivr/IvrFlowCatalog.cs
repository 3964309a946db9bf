namespace ContactCenter.Core.Ivr;

/// <summary>What happened to a proposed flows file.</summary>
public sealed record IvrFlowsUpdate(bool Applied, int ActiveVersion, string Outcome, IReadOnlyList<IvrFlowError> Errors);

/// <summary>
/// The active IVR flows, replaced as a whole and atomically, like the routing rules: a call sees the old flows or the
/// new ones, never a mix. A file that does not validate, or does not raise the version, is refused and the active
/// flows stay.
/// </summary>
public sealed class IvrFlowCatalog(IvrFlows initial, string source = "initial")
{
    private volatile Active _active = new(initial ?? throw new ArgumentNullException(nameof(initial)), source);
    private readonly Lock _gate = new();

    public IvrFlows Current => _active.Flows;

    /// <summary>Where the active flows came from (a file path, "embedded defaults"...).</summary>
    public string Source => _active.Source;

    /// <summary>Validates and, if it raises the version, activates a flows file; queues are checked when ids are given.</summary>
    /// <param name="replaceSameVersion">
    /// Also replace flows of the same version. Only for text from the shared store, which is authoritative: there a
    /// version names one text, while flows read from a local file before they were published may differ.
    /// </param>
    public IvrFlowsUpdate TryApply(string json, string source, IReadOnlyCollection<string>? knownQueueIds = null, bool replaceSameVersion = false)
    {
        IvrFlows proposed;
        try
        {
            proposed = IvrFlowReader.Parse(json, knownQueueIds);
        }
        catch (IvrFlowValidationException ex)
        {
            return new IvrFlowsUpdate(false, _active.Flows.Version, $"refused: {ex.Errors.Count} error(s); version {_active.Flows.Version} stays active", ex.Errors);
        }
        lock (_gate)
        {
            var current = _active.Flows;
            if (proposed.Version < current.Version)
            {
                return new IvrFlowsUpdate(false, current.Version, $"refused: version {proposed.Version} is older than the active version {current.Version}", []);
            }
            if (proposed.Version == current.Version && !replaceSameVersion)
            {
                return new IvrFlowsUpdate(false, current.Version, $"unchanged: version {current.Version} is already active (raise the version to change the flows)", []);
            }
            _active = new Active(proposed, source);
            return new IvrFlowsUpdate(true, proposed.Version, $"applied version {proposed.Version} from {source}", []);
        }
    }

    private sealed record Active(IvrFlows Flows, string Source);
}
