using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Acd;
using ContactCenter.Functions.Documents;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Ivr;

/// <summary>
/// Where the deployed IVR flows file is, and how often this instance checks the shared store for newer flows. Like the
/// routing rules: the file is published to the store when its version is higher; every instance applies the store's
/// current version.
/// </summary>
public sealed class IvrFlowsOptions
{
    public const string Section = "Ivr";
    public const string DefaultFileName = "ivr-flows.json";

    /// <summary>Absolute, or relative to the app's folder. Defaults to the ivr-flows.json shipped beside the app.</summary>
    public string? FlowsPath { get; set; }

    /// <summary>How often the file is checked even without a change notification (network file systems miss some).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the store's current version is read (one small point read).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    public string ResolvedPath => Path.GetFullPath(string.IsNullOrWhiteSpace(FlowsPath) ? DefaultFileName : FlowsPath, AppContext.BaseDirectory);

    internal DocumentFileSettings Settings => new($"{Section}:{nameof(FlowsPath)}", ResolvedPath, PollInterval, SyncInterval);
}

/// <summary>
/// The flows file must exist and validate before the app starts, every queue it names defined in the deployed routing
/// rules: every error is listed with its line.
/// </summary>
public sealed class IvrFlowsOptionsValidator(IOptions<RoutingRulesOptions> routing) : IValidateOptions<IvrFlowsOptions>
{
    public ValidateOptionsResult Validate(string? name, IvrFlowsOptions options)
    {
        var path = options.ResolvedPath;
        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Ivr:FlowsPath: the IVR flows file '{path}' does not exist.");
        }
        if (options.PollInterval < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail($"Ivr:PollInterval is {options.PollInterval}; it must be at least 00:00:01.");
        }
        if (options.SyncInterval < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail($"Ivr:SyncInterval is {options.SyncInterval}; it must be at least 00:00:01.");
        }
        try
        {
            IvrFlowReader.Parse(File.ReadAllText(path), DeployedQueueIds());
            return ValidateOptionsResult.Success;
        }
        catch (IvrFlowValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Errors.Select(e => $"IVR flows '{path}' {e}"));
        }
    }

    /// <summary>The deployed rules' queues; when those are broken their own validator says so, and queues go unchecked here.</summary>
    private IReadOnlyCollection<string>? DeployedQueueIds()
    {
        try
        {
            return RoutingRules.Parse(File.ReadAllText(routing.Value.ResolvedPath)).Queues.Select(q => q.Id).ToList();
        }
        catch (Exception ex) when (ex is RulesValidationException or IOException or UnauthorizedAccessException or OptionsValidationException)
        {
            return null;
        }
    }
}
