using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Ivr;

/// <summary>The IVR's HTTP functions: the flows, as a versioned document like the routing rules. Function keys guard them.</summary>
public static class IvrFunctions
{
    private const string Key = "function";

    public static readonly FunctionDefinition IvrFlows = new("IvrFlows", new HttpTrigger("ivr/flows", ["get", "put"], Key));
    public static readonly FunctionDefinition IvrFlowsVersions = new("IvrFlowsVersions", new HttpTrigger("ivr/flows/versions", ["get"], Key));
    public static readonly FunctionDefinition IvrFlowsVersion = new("IvrFlowsVersion", new HttpTrigger("ivr/flows/versions/{version}", ["get"], Key));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [IvrFlows, IvrFlowsVersions, IvrFlowsVersion];
}
