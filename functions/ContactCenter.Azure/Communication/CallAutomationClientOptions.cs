using Azure.Core;

namespace ContactCenter.Azure.Communication;

public sealed class CallAutomationClientOptions : ClientOptions
{
    /// <summary>The Call Automation REST API versions this client speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>The newest GA version of the published specification (azure-rest-api-specs, CallAutomation/stable/2025-06-15).</summary>
        V2025_06_15 = 1,
    }

    internal const ServiceVersion LatestVersion = ServiceVersion.V2025_06_15;

    public CallAutomationClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2025_06_15 => "2025-06-15",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Call Automation API version."),
        };
        CommunicationPipeline.ApplyDefaults(this);
    }

    /// <summary>The api-version query value sent with every request.</summary>
    public string Version { get; }
}
