using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactCenter.Core.Voice;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Azure Communication Services Call Automation over its REST API, on Azure.Core's HttpPipeline: access-key (HMAC) or
/// Entra ID authentication, retries of transient failures (408, 429, 5xx, network), logging without secrets, failures
/// as <see cref="RequestFailedException"/> carrying ACS's error code. Written by hand because
/// Azure.Communication.CallAutomation is not served here; the shapes follow the published specification
/// (<see cref="CallAutomationClientOptions.ServiceVersion"/>).
/// Non-idempotent operations that the specification lets repeat carry Repeatability-Request-ID/-First-Sent, set once
/// per call and kept on every retry, so a retried answer or transfer is executed once by the service.
/// </summary>
public class CallAutomationClient : ICallControl
{
    /// <summary>The Entra ID scope ACS accepts tokens for (the double slash is ACS's resource id plus "/.default").</summary>
    public const string Scope = CommunicationPipeline.Scope;

    internal const string ActivitySourceName = "ContactCenter.Communication";
    private static readonly ActivitySource Activities = new(ActivitySourceName);
    private static readonly CallAutomationJsonContext Json = CallAutomationJsonContext.Default;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _apiVersion;
    private readonly TimeProvider _timeProvider;

    /// <summary>Entra ID (managed identity): the resource endpoint, e.g. https://contoso.communication.azure.com. HTTPS only.</summary>
    public CallAutomationClient(Uri endpoint, TokenCredential credential, CallAutomationClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new CallAutomationClientOptions();
        _endpoint = CommunicationPipeline.Root(endpoint);
        _apiVersion = options.Version;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = CommunicationPipeline.Build(options, credential);
    }

    /// <summary>A connection string from the resource's Keys blade: endpoint=https://contoso.communication.azure.com/;accesskey=BASE64.</summary>
    public CallAutomationClient(string connectionString, CallAutomationClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        var (endpoint, key) = CommunicationPipeline.ParseConnectionString(connectionString);
        options ??= new CallAutomationClientOptions();
        _endpoint = endpoint;
        _apiVersion = options.Version;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = CommunicationPipeline.Build(options, key, _timeProvider);
    }

    /// <summary>For mocking.</summary>
    protected CallAutomationClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        _apiVersion = null!;
        _timeProvider = TimeProvider.System;
    }

    public virtual async Task<CallConnection> AnswerAsync(AnswerCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new AnswerCallRequestModel
        {
            IncomingCallContext = request.IncomingCallContext,
            CallbackUri = request.CallbackUri.AbsoluteUri,
            OperationContext = request.OperationContext,
        };
        using var response = await SendAsync("Answer", RequestMethod.Post, "/calling/callConnections:answer", body, Json.AnswerCallRequestModel,
            repeatable: true, null, [200], cancellationToken).ConfigureAwait(false);
        return Connection(response);
    }

    public virtual async Task RejectAsync(string incomingCallContext, CallRejectReason reason = CallRejectReason.None, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incomingCallContext);
        var body = new RejectCallRequestModel { IncomingCallContext = incomingCallContext, CallRejectReason = CallAutomationMapping.RejectReason(reason) };
        using var _ = await SendAsync("Reject", RequestMethod.Post, "/calling/callConnections:reject", body, Json.RejectCallRequestModel,
            repeatable: true, null, [204], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task RedirectAsync(string incomingCallContext, CallTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incomingCallContext);
        ArgumentNullException.ThrowIfNull(target);
        var body = new RedirectCallRequestModel { IncomingCallContext = incomingCallContext, Target = CallAutomationMapping.Identifier(target) };
        using var _ = await SendAsync("Redirect", RequestMethod.Post, "/calling/callConnections:redirect", body, Json.RedirectCallRequestModel,
            repeatable: true, null, [204], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task<CallConnection> CreateCallAsync(CreateCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateCallRequestModel
        {
            Targets = [CallAutomationMapping.Identifier(request.Target)],
            SourceCallerIdNumber = request.CallerId is null ? null : CallAutomationMapping.Phone(request.CallerId),
            SourceDisplayName = request.CallerDisplayName,
            OperationContext = request.OperationContext,
            CallbackUri = request.CallbackUri.AbsoluteUri,
        };
        using var response = await SendAsync("CreateCall", RequestMethod.Post, "/calling/callConnections", body, Json.CreateCallRequestModel,
            repeatable: true, null, [201], cancellationToken).ConfigureAwait(false);
        return Connection(response);
    }

    // Play, recognize and cancel define no repeatability headers in the specification; a retry after a lost response
    // can repeat them, which the IVR tolerates (a prompt heard twice, a recognize refused while one runs).
    public virtual async Task PlayAsync(string callConnectionId, PlayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var _ = await SendAsync("Play", RequestMethod.Post, CallPath(callConnectionId, ":play"), CallAutomationMapping.Play(request),
            Json.PlayRequestModel, repeatable: false, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task RecognizeAsync(string callConnectionId, RecognizeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var _ = await SendAsync("Recognize", RequestMethod.Post, CallPath(callConnectionId, ":recognize"), CallAutomationMapping.Recognize(request),
            Json.RecognizeRequestModel, repeatable: false, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task CancelAllMediaOperationsAsync(string callConnectionId, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync<object>("CancelAllMediaOperations", RequestMethod.Post, CallPath(callConnectionId, ":cancelAllMediaOperations"),
            null, null, repeatable: false, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task TransferAsync(string callConnectionId, TransferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new TransferToParticipantRequestModel
        {
            TargetParticipant = CallAutomationMapping.Identifier(request.Target),
            Transferee = request.Transferee is null ? null : CallAutomationMapping.Identifier(request.Transferee),
            OperationContext = request.OperationContext,
        };
        using var _ = await SendAsync("TransferToParticipant", RequestMethod.Post, CallPath(callConnectionId, ":transferToParticipant"), body,
            Json.TransferToParticipantRequestModel, repeatable: true, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task<AddParticipantResult> AddParticipantAsync(string callConnectionId, AddParticipantRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new AddParticipantRequestModel
        {
            ParticipantToAdd = CallAutomationMapping.Identifier(request.Participant),
            SourceCallerIdNumber = request.CallerId is null ? null : CallAutomationMapping.Phone(request.CallerId),
            InvitationTimeoutInSeconds = request.InvitationTimeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : null,
            OperationContext = request.OperationContext,
        };
        using var response = await SendAsync("AddParticipant", RequestMethod.Post, CallPath(callConnectionId, "/participants:add"), body,
            Json.AddParticipantRequestModel, repeatable: true, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
        var result = Read(response, Json.AddParticipantResponseModel);
        return new AddParticipantResult(result?.InvitationId);
    }

    public virtual async Task RemoveParticipantAsync(string callConnectionId, CallTarget participant, string? operationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var body = new RemoveParticipantRequestModel { ParticipantToRemove = CallAutomationMapping.Identifier(participant), OperationContext = operationContext };
        using var _ = await SendAsync("RemoveParticipant", RequestMethod.Post, CallPath(callConnectionId, "/participants:remove"), body,
            Json.RemoveParticipantRequestModel, repeatable: true, callConnectionId, [202], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task HangUpAsync(string callConnectionId, bool forEveryone, CancellationToken cancellationToken = default)
    {
        // Terminate ends the call for all; DELETE only takes Call Automation out of it.
        using var _ = forEveryone
            ? await SendAsync<object>("TerminateCall", RequestMethod.Post, CallPath(callConnectionId, ":terminate"), null, null,
                repeatable: true, callConnectionId, [204], cancellationToken).ConfigureAwait(false)
            : await SendAsync<object>("HangUpCall", RequestMethod.Delete, CallPath(callConnectionId, ""), null, null,
                repeatable: false, callConnectionId, [204], cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task<RecordingStarted> StartRecordingAsync(StartRecordingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync("StartRecording", RequestMethod.Post, "/calling/recordings", CallAutomationMapping.Recording(request),
            Json.StartCallRecordingRequestModel, repeatable: true, request.CallConnectionId, [200, 202], cancellationToken).ConfigureAwait(false);
        var state = Read(response, Json.RecordingStateResponseModel);
        return state?.RecordingId is { Length: > 0 } id
            ? new RecordingStarted(id, state.RecordingState)
            : throw new RequestFailedException(response.Status, "The start recording response carried no recordingId.");
    }

    public virtual async Task StopRecordingAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordingId);
        using var _ = await SendAsync<object>("StopRecording", RequestMethod.Delete, "/calling/recordings/" + Uri.EscapeDataString(recordingId), null, null,
            repeatable: false, null, [204], cancellationToken).ConfigureAwait(false);
    }

    private static string CallPath(string callConnectionId, string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callConnectionId);
        return "/calling/callConnections/" + Uri.EscapeDataString(callConnectionId) + action;
    }

    private async Task<Response> SendAsync<T>(string operation, RequestMethod method, string path, T? body, JsonTypeInfo<T>? typeInfo,
        bool repeatable, string? callConnectionId, int[] expected, CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity("CallAutomationClient." + operation, ActivityKind.Client);
        activity?.SetTag("az.namespace", "Microsoft.Communication");
        if (callConnectionId is not null)
        {
            activity?.SetTag("contactcenter.call_connection_id", callConnectionId);
        }
        using var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(path.TrimStart('/'), escape: false);
        request.Uri.AppendQuery("api-version", _apiVersion, escapeValue: true);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (body is not null && typeInfo is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, typeInfo));
        }
        if (repeatable)
        {
            // Set once here, not in a per-retry policy: every retry must present the same id and first-sent time.
            request.Headers.Add("Repeatability-Request-ID", Guid.NewGuid().ToString());
            request.Headers.Add("Repeatability-First-Sent", _timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        }
        try
        {
            var response = await _pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            if (Array.IndexOf(expected, response.Status) < 0)
            {
                using (response)
                {
                    throw new RequestFailedException(response);
                }
            }
            return response;
        }
        catch (RequestFailedException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.ErrorCode ?? ex.Status.ToString(CultureInfo.InvariantCulture));
            throw;
        }
    }

    private static CallConnection Connection(Response response)
    {
        var properties = Read(response, Json.CallConnectionPropertiesModel);
        return properties?.CallConnectionId is { Length: > 0 } id
            ? new CallConnection(id) { ServerCallId = properties.ServerCallId, CorrelationId = properties.CorrelationId }
            : throw new RequestFailedException(response.Status, "The call connection response carried no callConnectionId.");
    }

    private static T? Read<T>(Response response, JsonTypeInfo<T> typeInfo) where T : class
    {
        var content = response.Content;
        return content is null || content.ToMemory().IsEmpty ? null : JsonSerializer.Deserialize(content.ToMemory().Span, typeInfo);
    }
}
