using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Functions.Hosting;

/// <summary>A function as the Functions host knows it: a name, one trigger and its output bindings.</summary>
public sealed partial record FunctionDefinition
{
    public FunctionDefinition(string name, FunctionBinding trigger, params FunctionBinding[] outputs)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"Function name '{name}' must be 1-128 letters, digits, '-' or '_' and start with a letter.", nameof(name));
        }
        if (!trigger.IsTrigger)
        {
            throw new ArgumentException($"Function '{name}' needs a trigger binding, not '{trigger.Type}'.", nameof(trigger));
        }
        if (outputs.Any(o => o.IsTrigger || o.Direction != "out"))
        {
            throw new ArgumentException($"Function '{name}' may only add output bindings besides its trigger.", nameof(outputs));
        }
        // The host forwards an HTTP request as-is only when the function has exactly an httpTrigger and an http output
        // (FunctionMetadataExtensions.IsHttpInAndOutFunction in Azure/azure-functions-host); with any other output it
        // would send the {Data, Metadata} payload instead, which the forwarded routes do not read.
        if (trigger is HttpTrigger && outputs.Any(o => o is not HttpOutput))
        {
            throw new ArgumentException($"Function '{name}' is HTTP-triggered: its only output may be the http output, or the host stops forwarding the request.", nameof(outputs));
        }
        Name = name;
        Trigger = trigger;
        Outputs = trigger is HttpTrigger && outputs.Length == 0 ? [new HttpOutput()] : outputs;
        var names = new[] { trigger.Name }.Concat(Outputs.Select(o => o.Name)).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
        {
            throw new ArgumentException($"Function '{name}' has two bindings with the same name.", nameof(outputs));
        }
    }

    public string Name { get; }
    public FunctionBinding Trigger { get; }
    public IReadOnlyList<FunctionBinding> Outputs { get; }

    public bool IsHttp => Trigger is HttpTrigger;

    /// <summary>
    /// For workspace functions: who may call, checked by the app on the caller's bearer token (and every change
    /// audited). Null for system functions, which the Functions host guards with function keys. A workspace
    /// function's HTTP trigger must be anonymous to the host: agents' browsers cannot hold function keys.
    /// </summary>
    public Security.WorkspaceAccess? Access
    {
        get => _access;
        init
        {
            if (value is not null && Trigger is not HttpTrigger { AuthLevel: "anonymous" })
            {
                throw new ArgumentException($"Function '{Name}' declares workspace access, so its trigger must be an anonymous HTTP trigger (the bearer token authenticates).", nameof(Access));
            }
            _access = value;
        }
    }

    private readonly Security.WorkspaceAccess? _access;

    /// <summary>Where the handler serves it: the forwarded HTTP path, or the host's POST /{Name} invocation path.</summary>
    public string HandlerPath => Trigger is HttpTrigger http ? $"/{FunctionAppLayout.HttpRoutePrefix}/{http.Route}" : $"/{Name}";

    public JsonObject ToFunctionJson() => new()
    {
        ["bindings"] = new JsonArray(new[] { Trigger }.Concat(Outputs).Select(b => (JsonNode)b.ToJson()).ToArray()),
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex ValidName();
}
