using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// The real <see cref="CallAutomationClient"/>, created on first use against the simulator on the app's own address
/// (which exists only once the server listens), with the simulator's access key: local mode signs, sends and parses
/// exactly as production does.
/// </summary>
internal sealed class SimulatorCallControl(IServiceProvider provider) : ICallControl
{
    private readonly Lazy<CallAutomationClient> _client = new(() =>
        new CallAutomationClient(SimulatorConnection.Of(provider), timeProvider: provider.GetRequiredService<TimeProvider>()));

    private CallAutomationClient Client => _client.Value;

    public Task<CallConnection> AnswerAsync(AnswerCallRequest request, CancellationToken cancellationToken = default) => Client.AnswerAsync(request, cancellationToken);

    public Task RejectAsync(string incomingCallContext, CallRejectReason reason = CallRejectReason.None, CancellationToken cancellationToken = default) =>
        Client.RejectAsync(incomingCallContext, reason, cancellationToken);

    public Task RedirectAsync(string incomingCallContext, CallTarget target, CancellationToken cancellationToken = default) =>
        Client.RedirectAsync(incomingCallContext, target, cancellationToken);

    public Task<CallConnection> CreateCallAsync(CreateCallRequest request, CancellationToken cancellationToken = default) => Client.CreateCallAsync(request, cancellationToken);

    public Task PlayAsync(string callConnectionId, PlayRequest request, CancellationToken cancellationToken = default) =>
        Client.PlayAsync(callConnectionId, request, cancellationToken);

    public Task RecognizeAsync(string callConnectionId, RecognizeRequest request, CancellationToken cancellationToken = default) =>
        Client.RecognizeAsync(callConnectionId, request, cancellationToken);

    public Task CancelAllMediaOperationsAsync(string callConnectionId, CancellationToken cancellationToken = default) =>
        Client.CancelAllMediaOperationsAsync(callConnectionId, cancellationToken);

    public Task TransferAsync(string callConnectionId, TransferRequest request, CancellationToken cancellationToken = default) =>
        Client.TransferAsync(callConnectionId, request, cancellationToken);

    public Task<AddParticipantResult> AddParticipantAsync(string callConnectionId, AddParticipantRequest request, CancellationToken cancellationToken = default) =>
        Client.AddParticipantAsync(callConnectionId, request, cancellationToken);

    public Task RemoveParticipantAsync(string callConnectionId, CallTarget participant, string? operationContext = null, CancellationToken cancellationToken = default) =>
        Client.RemoveParticipantAsync(callConnectionId, participant, operationContext, cancellationToken);

    public Task HangUpAsync(string callConnectionId, bool forEveryone, CancellationToken cancellationToken = default) =>
        Client.HangUpAsync(callConnectionId, forEveryone, cancellationToken);

    public Task<RecordingStarted> StartRecordingAsync(StartRecordingRequest request, CancellationToken cancellationToken = default) =>
        Client.StartRecordingAsync(request, cancellationToken);

    public Task StopRecordingAsync(string recordingId, CancellationToken cancellationToken = default) => Client.StopRecordingAsync(recordingId, cancellationToken);
}
