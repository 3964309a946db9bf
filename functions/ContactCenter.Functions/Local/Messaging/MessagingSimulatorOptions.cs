namespace ContactCenter.Functions.Local.Messaging;

/// <summary>How long the simulated networks take to deliver (virtual time: the injected TimeProvider).</summary>
public sealed class MessagingSimulatorOptions
{
    public const string Section = "Local:Messaging";

    /// <summary>The SMS API version served, the one ACS's SMS REST API publishes as stable.</summary>
    public const string SmsApiVersion = "2021-03-07";

    /// <summary>The Email API version served.</summary>
    public const string EmailApiVersion = "2023-03-31";

    /// <summary>From a text's acceptance to its delivery report.</summary>
    public TimeSpan SmsDeliveryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>From an email's acceptance (operation Running) to Succeeded and its delivery reports.</summary>
    public TimeSpan EmailDeliveryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
