using ContactCenter.Azure.Communication;
using ContactCenter.Core.Events;
using ContactCenter.Core.Outbound;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Local.CallAutomation;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Voice;

/// <summary>The core's event reader on ACS's payloads; a refused payload is a <see cref="FormatException"/> with ACS's reason.</summary>
public sealed class AcsCallEventReader : ICallEventReader
{
    public IReadOnlyList<CallEvent> Read(string payload)
    {
        try
        {
            return CallAutomationEventParser.Parse(payload);
        }
        catch (InvalidCallEventException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public CallEventBatch ReadBatch(string payload)
    {
        try
        {
            return CallAutomationEventParser.ParseBatch(payload);
        }
        catch (InvalidCallEventException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public IncomingCall ReadIncomingCall(InboundEvent inboundEvent)
    {
        try
        {
            return CallAutomationEventParser.ParseIncomingCall(inboundEvent);
        }
        catch (InvalidCallEventException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }
}

/// <summary>
/// Callback URIs signed for their call, on the app's public address: <c>Voice:PublicBaseUri</c>, else
/// https://{WEBSITE_HOSTNAME} under the Functions host, else (local mode) the address the app listens on.
/// </summary>
public sealed class SignedCallbackUris(CallbackAuthentication authentication, IOptions<VoiceOptions> options, IConfiguration configuration,
    HostingEnvironment hosting, IServiceProvider services) : ICallbackUris
{
    public Uri For(string callId) => authentication.CallbackUri(BaseUri(), callId);

    private Uri BaseUri()
    {
        if (options.Value.PublicBaseUri is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }
        if (configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host)
        {
            return new Uri($"https://{host}");
        }
        return hosting.Mode == HostingMode.Local
            ? services.GetRequiredService<LocalCallAutomationRegistration.SimulatorAddress>().AppBase
            : throw new InvalidOperationException("Voice:PublicBaseUri is not set and WEBSITE_HOSTNAME is unknown: ACS would have nowhere to send call events.");
    }
}

/// <summary>
/// The campaign dialer as the voice service's outcome sink, resolved on first use: the dialer needs the voice service
/// (to place calls) and the voice service needs the dialer (to report how they ended).
/// </summary>
internal sealed class LazyOutcomeSink(IServiceProvider services) : IOutboundOutcomeSink
{
    public Task RecordOutcomeAsync(string campaignId, string entryId, string callConnectionId, OutboundOutcome outcome, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<IOutboundOutcomeSink>().RecordOutcomeAsync(campaignId, entryId, callConnectionId, outcome, cancellationToken);
}
