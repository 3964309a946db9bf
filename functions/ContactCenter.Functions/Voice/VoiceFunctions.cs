using ContactCenter.Functions.Hosting;

namespace ContactCenter.Functions.Voice;

/// <summary>The voice functions. HTTP ones take a function key under the Functions host (Event Grid passes it as ?code=).</summary>
public static class VoiceFunctions
{
    private const string Key = "function";

    /// <summary>
    /// Event Grid webhook for ACS events (IncomingCall, SMS...): an alternative to the AcsEvents Event Grid trigger for
    /// subscriptions that deliver to a URL. Does the subscription validation handshakes itself.
    /// </summary>
    public static readonly FunctionDefinition AcsEventGridWebhook = new("AcsEventGridWebhook", new HttpTrigger("events/acs", ["post", "options"], Key));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [AcsEventGridWebhook];
}
