using Azure.Core;

namespace ContactCenter.Azure.Communication;

public sealed class SmsClientOptions : ClientOptions
{
    /// <summary>The SMS REST API versions this client speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>The GA version with per-recipient repeatability and delivery-report tags (azure-rest-api-specs, Sms/stable/2021-03-07).</summary>
        V2021_03_07 = 1,
    }

    internal const ServiceVersion LatestVersion = ServiceVersion.V2021_03_07;

    public SmsClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2021_03_07 => "2021-03-07",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown SMS API version."),
        };
        CommunicationPipeline.ApplyDefaults(this);
    }

    /// <summary>The api-version query value sent with every request.</summary>
    public string Version { get; }
}
