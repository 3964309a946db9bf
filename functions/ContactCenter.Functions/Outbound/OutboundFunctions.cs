using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Outbound;

/// <summary>Outbound campaigns: the HTTP API (function keys under the Functions host) and the dialer timer.</summary>
public static class OutboundFunctions
{
    private const string Key = "function";

    /// <summary>Every 15 seconds: often enough that a due entry waits little, and each run is a few reads when idle.</summary>
    public const string DialerSchedule = "*/15 * * * * *";

    public static readonly FunctionDefinition Campaigns = new("Campaigns", new HttpTrigger("campaigns", ["post"], Key));
    public static readonly FunctionDefinition Campaign = new("Campaign", new HttpTrigger("campaigns/{campaignId}", ["get"], Key));
    public static readonly FunctionDefinition CampaignStatus = new("CampaignStatus", new HttpTrigger("campaigns/{campaignId}/status", ["put"], Key));
    public static readonly FunctionDefinition CampaignEntries = new("CampaignEntries", new HttpTrigger("campaigns/{campaignId}/entries", ["post"], Key));
    public static readonly FunctionDefinition DoNotCall = new("DoNotCall", new HttpTrigger("dnc/{phoneNumber}", ["get", "put", "delete"], Key));

    /// <summary>Places calls to due entries of running campaigns, within calling hours and pacing.</summary>
    public static readonly FunctionDefinition Dialer = new("CampaignDialer", new TimerTrigger(DialerSchedule));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [Campaigns, Campaign, CampaignStatus, CampaignEntries, DoNotCall, Dialer];
}
