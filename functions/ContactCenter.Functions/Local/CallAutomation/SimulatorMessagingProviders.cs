using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>The simulator's connection string, known once the server listens: the real clients then sign and send as in production.</summary>
internal static class SimulatorConnection
{
    public static string Of(IServiceProvider provider) =>
        $"endpoint={provider.GetRequiredService<LocalCallAutomationRegistration.SimulatorAddress>().Endpoint};accesskey={provider.GetRequiredService<CallAutomationSimulatorOptions>().AccessKey}";
}

/// <summary>The real <see cref="SmsClient"/> against local mode's simulated ACS SMS API.</summary>
internal sealed class SimulatorSmsProvider(IServiceProvider provider) : ISmsProvider
{
    private readonly Lazy<SmsClient> _client = new(() => new SmsClient(SimulatorConnection.Of(provider), timeProvider: provider.GetRequiredService<TimeProvider>()));

    public Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default) => _client.Value.SendAsync(sms, cancellationToken);
}

/// <summary>The real <see cref="EmailClient"/> against local mode's simulated ACS Email API.</summary>
internal sealed class SimulatorEmailProvider(IServiceProvider provider) : IEmailProvider
{
    private readonly Lazy<EmailClient> _client = new(() => new EmailClient(SimulatorConnection.Of(provider), timeProvider: provider.GetRequiredService<TimeProvider>()));

    public Task<EmailSendResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default) => _client.Value.SendAsync(email, cancellationToken);

    public Task<EmailSendResult> GetStatusAsync(string operationId, CancellationToken cancellationToken = default) => _client.Value.GetStatusAsync(operationId, cancellationToken);
}
