using System.Globalization;

namespace ContactCenter.Functions.Configuration;

public enum HostingMode
{
    /// <summary>No Functions host: the app plays the host itself (dispatcher, timers, ACS simulator).</summary>
    Local,

    /// <summary>Started by the Azure Functions host as a custom handler.</summary>
    FunctionsHost,
}

/// <summary>How this process was started, decided once from FUNCTIONS_CUSTOMHANDLER_PORT.</summary>
public sealed record HostingEnvironment(HostingMode Mode, string? CustomHandlerPort)
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Where local mode listens when nothing else is configured (the port `func start` uses).</summary>
    public const string DefaultLocalUrl = "http://localhost:7071";

    public static HostingEnvironment From(IConfiguration configuration)
    {
        var port = configuration[CustomHandlerPortVariable];
        return string.IsNullOrWhiteSpace(port) ? new(HostingMode.Local, null) : new(HostingMode.FunctionsHost, port.Trim());
    }

    /// <summary>The handler port when it is a valid one; validation reports the invalid case at start-up.</summary>
    public int? ParsedPort =>
        int.TryParse(CustomHandlerPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
}
