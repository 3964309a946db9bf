using Azure.Core;

namespace ContactCenter.Azure.Communication;

public sealed class EmailClientOptions : ClientOptions
{
    /// <summary>The ACS Email REST API versions this client speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>The first GA version (azure-rest-api-specs, Email/stable/2023-03-31).</summary>
        V2023_03_31 = 1,
    }

    internal const ServiceVersion LatestVersion = ServiceVersion.V2023_03_31;

    public EmailClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2023_03_31 => "2023-03-31",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown ACS Email API version."),
        };
        Retry.MaxRetries = 3;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        Diagnostics.LoggedHeaderNames.Add("Operation-Id");
        Diagnostics.LoggedHeaderNames.Add("Operation-Location");
        Diagnostics.LoggedHeaderNames.Add("x-ms-date");
        Diagnostics.LoggedQueryParameters.Add("api-version");
    }

    /// <summary>The api-version query value sent with every request.</summary>
    public string Version { get; }

    /// <summary>Reply-To addresses put on every email (e.g. a shared mailbox that Graph watches); none by default.</summary>
    public IList<string> ReplyTo { get; } = [];

    /// <summary>Ask ACS not to track opens and clicks (userEngagementTrackingDisabled); on by default for a contact center.</summary>
    public bool DisableEngagementTracking { get; set; } = true;
}
