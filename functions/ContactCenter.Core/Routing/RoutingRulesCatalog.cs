namespace ContactCenter.Core.Routing;

/// <summary>What happened to a proposed rules file.</summary>
public sealed record RulesUpdate(bool Applied, int ActiveVersion, string Outcome, IReadOnlyList<RulesError> Errors);

/// <summary>
/// The active routing rules, replaced as a whole and atomically: readers see the old rules or the new ones, never a
/// mix. A file that does not validate, or does not raise the version, is refused and the active rules stay.
/// </summary>
public sealed class RoutingRulesCatalog : IQueueCatalog
{
    private volatile Active _active;
    private readonly Lock _gate = new();

    public RoutingRulesCatalog(RoutingRules initial, string source = "initial")
    {
        ArgumentNullException.ThrowIfNull(initial);
        _active = new Active(initial, source, Index(initial));
    }

    public RoutingRules Current => _active.Rules;

    /// <summary>Where the active rules came from (a file path, "embedded defaults"...).</summary>
    public string Source => _active.Source;

    public QueueDefinition? Find(string queueId) => _active.Queues.GetValueOrDefault(queueId);

    public IReadOnlyCollection<string> QueueIds => _active.Queues.Keys;

    /// <param name="replaceSameVersion">
    /// Also replace rules of the same version. Only for text from the shared store, which is authoritative: there a
    /// version names one text, while rules read from a local file before they were published may differ.
    /// </param>
    public RulesUpdate TryApply(string json, string source, bool replaceSameVersion = false)
    {
        RoutingRules proposed;
        try
        {
            proposed = RoutingRules.Parse(json);
        }
        catch (RulesValidationException ex)
        {
            return new RulesUpdate(false, _active.Rules.Version, $"refused: {ex.Errors.Count} error(s); version {_active.Rules.Version} stays active", ex.Errors);
        }
        lock (_gate)
        {
            var current = _active.Rules;
            if (proposed.Version < current.Version)
            {
                return new RulesUpdate(false, current.Version, $"refused: version {proposed.Version} is older than the active version {current.Version}", []);
            }
            if (proposed.Version == current.Version && !replaceSameVersion)
            {
                return new RulesUpdate(false, current.Version, $"unchanged: version {current.Version} is already active (raise the version to change the rules)", []);
            }
            _active = new Active(proposed, source, Index(proposed));
            return new RulesUpdate(true, proposed.Version, $"applied version {proposed.Version} from {source}", []);
        }
    }

    private static Dictionary<string, QueueDefinition> Index(RoutingRules rules) => rules.Queues.ToDictionary(q => q.Id, StringComparer.Ordinal);

    private sealed record Active(RoutingRules Rules, string Source, Dictionary<string, QueueDefinition> Queues);
}
