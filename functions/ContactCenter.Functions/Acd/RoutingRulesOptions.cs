using ContactCenter.Core.Routing;
using ContactCenter.Functions.Documents;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Acd;

/// <summary>
/// Where the deployed routing rules file is, and how often this instance checks the shared store for newer rules.
/// The file is published to the store when its version is higher; every instance applies the store's current version.
/// </summary>
public sealed class RoutingRulesOptions
{
    public const string Section = "Routing";
    public const string DefaultFileName = "routing-rules.json";

    /// <summary>Absolute, or relative to the app's folder. Defaults to the embedded routing-rules.json.</summary>
    public string? RulesPath { get; set; }

    /// <summary>How often the file is checked even without a change notification (network file systems miss some).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the store's current version is read (one small point read), so a change reaches every instance within it.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    public string ResolvedPath => Path.GetFullPath(string.IsNullOrWhiteSpace(RulesPath) ? DefaultFileName : RulesPath, AppContext.BaseDirectory);

    internal DocumentFileSettings Settings => new($"{Section}:{nameof(RulesPath)}", ResolvedPath, PollInterval, SyncInterval);
}

/// <summary>The rules file must exist and validate before the app starts: every error is listed with its line.</summary>
public sealed class RoutingRulesOptionsValidator : IValidateOptions<RoutingRulesOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingRulesOptions options)
    {
        var path = options.ResolvedPath;
        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Routing:RulesPath: the routing rules file '{path}' does not exist.");
        }
        if (options.PollInterval < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail($"Routing:PollInterval is {options.PollInterval}; it must be at least 00:00:01.");
        }
        if (options.SyncInterval < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail($"Routing:SyncInterval is {options.SyncInterval}; it must be at least 00:00:01.");
        }
        try
        {
            RoutingRules.Parse(File.ReadAllText(path));
            return ValidateOptionsResult.Success;
        }
        catch (RulesValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Errors.Select(e => $"Routing rules '{path}' {e}"));
        }
    }
}
