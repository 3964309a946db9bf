using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// Azure Communication Services Call Automation, simulated: the REST API (api-version 2025-06-15, HMAC-SHA256 access-key
/// authentication checked as ACS checks it, repeatability headers honoured, ACS-shaped errors, failures on demand), the
/// mid-call CloudEvents posted to each call's callback URI, and the people on the calls — a caller who presses keys or
/// says phrases, agents and customers who answer, decline or let it ring — all on the injected TimeProvider. Local
/// mode serves it under /simulator/acs; the integration tests host the same engine on their own Kestrel.
/// </summary>
public sealed partial class CallAutomationSimulator : IDisposable
{
    public const string OpenIdConfigurationPath = "/calling/.well-known/acsopenidconfiguration";
    public const string KeysPath = "/calling/keys";
    private const string Calls = "/calling/callConnections";

    private readonly CallAutomationSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ICallbackSink _callbacks;
    private readonly Lock _gate = new();
    private readonly SimulatedAcsApi _api;
    private readonly Dictionary<string, SimulatedCallState> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedCallState> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedCallState> _byContext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SimulatedCallState Call, bool Active)> _recordings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PartyBehaviour> _parties = new(StringComparer.OrdinalIgnoreCase);
    private bool _disposed;

    public CallAutomationSimulator(CallAutomationSimulatorOptions options, TimeProvider time, ICallbackSink callbacks, CallbackTokenIssuer tokens)
    {
        _options = options;
        _time = time;
        _callbacks = callbacks;
        Tokens = tokens;
        _api = new SimulatedAcsApi(new AcsAuthentication(options.AccessKey, options.AllowedClockSkew, options.AcceptedBearerToken), time, _gate);
    }

    public CallbackTokenIssuer Tokens { get; }

    public CallAutomationSimulatorOptions Options => _options;

    /// <summary>Every REST request, in arrival order, with the status it got.</summary>
    public ConcurrentQueue<SimulatedAcsRequest> Requests => _api.Requests;

    /// <summary>Operations actually carried out (replays and failures injected before execution do not count).</summary>
    public int Executions => _api.Executions;

    /// <summary>
    /// The next <paramref name="count"/> requests (for <paramref name="operation"/> only when named: Answer, CreateCall,
    /// Play, Recognize, AddParticipant, ... as the client names them) answer <paramref name="status"/>, with an ACS error
    /// body when a code is given. With <paramref name="afterExecuting"/> the operation is carried out first, as when a
    /// response is lost on the way back.
    /// </summary>
    public void InjectFailure(int status, int count = 1, string? operation = null, string? code = null, string? message = null, bool afterExecuting = false) =>
        _api.InjectFailure(status, count, operation, code, message, afterExecuting);

    /// <summary>Serves one HTTP request whose path is relative to the simulator's base (PathBase holds the base).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && path == OpenIdConfigurationPath)
        {
            var jwks = $"{request.Scheme}://{request.Host}{request.PathBase}{KeysPath}";
            await WriteAsync(context, 200, Tokens.OpenIdConfiguration(jwks));
            return;
        }
        if (HttpMethods.IsGet(request.Method) && path == KeysPath)
        {
            await WriteAsync(context, 200, Tokens.KeySet());
            return;
        }
        await _api.HandleAsync(context, CallAutomationSimulatorOptions.ApiVersion, OperationOf(request.Method, path),
            (http, body) => Execute(http.Method, http.Path.Value ?? "", body));
    }

    private static Task WriteAsync(HttpContext context, int status, JsonObject? body) =>
        SimulatedAcsApi.WriteAsync(context, new AcsReply(status, body));

    /// <summary>The operation names the client uses for its spans, so failures can be injected per operation.</summary>
    internal static string? OperationOf(string method, string path)
    {
        if (path.StartsWith(Calls + "/", StringComparison.Ordinal))
        {
            var (_, action) = SplitCallPath(path);
            return (method, action) switch
            {
                ("DELETE", "") => "HangUpCall",
                ("GET", "") => "GetCall",
                ("POST", ":terminate") => "TerminateCall",
                ("POST", ":play") => "Play",
                ("POST", ":recognize") => "Recognize",
                ("POST", ":cancelAllMediaOperations") => "CancelAllMediaOperations",
                ("POST", ":transferToParticipant") => "TransferToParticipant",
                ("POST", "/participants:add") => "AddParticipant",
                ("POST", "/participants:remove") => "RemoveParticipant",
                _ => null,
            };
        }
        return (method, path) switch
        {
            ("POST", Calls + ":answer") => "Answer",
            ("POST", Calls + ":reject") => "Reject",
            ("POST", Calls + ":redirect") => "Redirect",
            ("POST", Calls) => "CreateCall",
            ("POST", "/calling/recordings") => "StartRecording",
            ("DELETE", _) when path.StartsWith("/calling/recordings/", StringComparison.Ordinal) => "StopRecording",
            _ => null,
        };
    }

    private static (string Id, string Action) SplitCallPath(string path)
    {
        var rest = path[(Calls.Length + 1)..];
        var cut = rest.IndexOfAny([':', '/']);
        return cut < 0 ? (Uri.UnescapeDataString(rest), "") : (Uri.UnescapeDataString(rest[..cut]), rest[cut..]);
    }

    private (int, JsonObject?) Execute(string method, string path, JsonObject body)
    {
        if (path.StartsWith(Calls + "/", StringComparison.Ordinal))
        {
            var (id, action) = SplitCallPath(path);
            if (!_byConnection.TryGetValue(id, out var call) || !call.AppConnected)
            {
                return (404, Error("8522", "Call connection not found."));
            }
            return (method, action) switch
            {
                ("GET", "") => (200, Properties(call)),
                ("DELETE", "") => HangUp(call, forEveryone: false),
                ("POST", ":terminate") => HangUp(call, forEveryone: true),
                ("POST", ":play") => Play(call, body),
                ("POST", ":recognize") => Recognize(call, body),
                ("POST", ":cancelAllMediaOperations") => CancelAllMedia(call),
                ("POST", ":transferToParticipant") => Transfer(call, body),
                ("POST", "/participants:add") => AddParticipant(call, body),
                ("POST", "/participants:remove") => RemoveParticipant(call, body),
                _ => (404, Error("NotFound", $"No operation {method} {path}.")),
            };
        }
        return (method, path) switch
        {
            ("POST", Calls + ":answer") => Answer(body),
            ("POST", Calls + ":reject") => Reject(body),
            ("POST", Calls + ":redirect") => Redirect(body),
            ("POST", Calls) => CreateCall(body),
            ("POST", "/calling/recordings") => StartRecording(body),
            ("DELETE", _) when path.StartsWith("/calling/recordings/", StringComparison.Ordinal) =>
                StopRecording(Uri.UnescapeDataString(path["/calling/recordings/".Length..])),
            _ => (404, Error("NotFound", $"No operation {method} {path}.")),
        };
    }

    private (int, JsonObject?) Answer(JsonObject body)
    {
        if (Require(body, "incomingCallContext", "callbackUri") is { } missing)
        {
            return missing;
        }
        if (Callback(body) is not { } callback)
        {
            return (400, Error("BadRequest", "callbackUri must be an absolute http(s) URI."));
        }
        if (IncomingCall(Text(body, "incomingCallContext")!) is not { } call)
        {
            return (400, Error("BadRequest", "The incoming call context is unknown or has expired."));
        }
        if (call.State != "ringing")
        {
            return (400, Error("BadRequest", $"The call cannot be answered: it is {call.State}."));
        }
        Connect(call, callback);
        Log(call, "system", "Call answered by the contact center.");
        EmitConnected(call, Text(body, "operationContext"));
        return (200, Properties(call));
    }

    private (int, JsonObject?) Reject(JsonObject body)
    {
        if (Require(body, "incomingCallContext") is { } missing)
        {
            return missing;
        }
        if (IncomingCall(Text(body, "incomingCallContext")!) is not { State: "ringing" } call)
        {
            return (400, Error("BadRequest", "The incoming call context is unknown, expired or already answered."));
        }
        End(call, "rejected", "Rejected by the contact center (" + (Text(body, "callRejectReason") ?? "none") + ").");
        return (204, null);
    }

    private (int, JsonObject?) Redirect(JsonObject body)
    {
        if (Require(body, "incomingCallContext", "target") is { } missing)
        {
            return missing;
        }
        if (SimulatorIdentifiers.RawId(body["target"]) is not { } target)
        {
            return (400, Error("BadRequest", "target is not a communication identifier."));
        }
        if (IncomingCall(Text(body, "incomingCallContext")!) is not { State: "ringing" } call)
        {
            return (400, Error("BadRequest", "The incoming call context is unknown, expired or already answered."));
        }
        End(call, "redirected", "Redirected to " + target + ".");
        return (204, null);
    }

    private (int, JsonObject?) CreateCall(JsonObject body)
    {
        if (Require(body, "targets", "callbackUri") is { } missing)
        {
            return missing;
        }
        if (Callback(body) is not { } callback)
        {
            return (400, Error("BadRequest", "callbackUri must be an absolute http(s) URI."));
        }
        if (body["targets"] is not JsonArray { Count: > 0 } targets || SimulatorIdentifiers.RawId(targets[0]) is not { } target)
        {
            return (400, Error("BadRequest", "targets must hold at least one communication identifier."));
        }
        var callerId = SimulatorIdentifiers.Text(body["sourceCallerIdNumber"]?["value"]);
        var call = NewCall(CallDirection.Outbound, callerId is null ? "contact-center" : "4:" + callerId, target, customer: target,
            Text(body, "sourceDisplayName"), incomingCallContext: null);
        Connect(call, callback);
        call.State = "connecting";
        call.AppConnected = true;
        var customer = call.Participants[0];
        customer.State = "ringing";
        var operationContext = Text(body, "operationContext");
        Log(call, "system", $"Calling {target} from {call.From}.");
        var behaviour = BehaviourOf(target);
        customer.Behaviour = Describe(behaviour);
        switch (behaviour.Answer)
        {
            case PartyAnswer.Person or PartyAnswer.Voicemail:
                After(call, behaviour.After, () =>
                {
                    if (call.State != "connecting")
                    {
                        return;
                    }
                    Log(call, "system", behaviour.Answer == PartyAnswer.Voicemail ? $"{target}'s voicemail answered." : $"{target} answered.");
                    EmitConnected(call, operationContext);
                });
                break;
            default:
                var (delay, code, message) = Refusal(behaviour, _options.InvitationTimeout);
                After(call, delay, () =>
                {
                    if (call.State != "connecting")
                    {
                        return;
                    }
                    customer.State = "failed";
                    Emit(call, "CreateCallFailed", new JsonObject { ["operationContext"] = operationContext }, Result(code, 0, message));
                    End(call, "failed", message);
                });
                break;
        }
        return (201, Properties(call));
    }

    private (int, JsonObject?) Transfer(SimulatedCallState call, JsonObject body)
    {
        if (Require(body, "targetParticipant") is { } missing)
        {
            return missing;
        }
        if (SimulatorIdentifiers.RawId(body["targetParticipant"]) is not { } target)
        {
            return (400, Error("BadRequest", "targetParticipant is not a communication identifier."));
        }
        if (call.State != "connected")
        {
            return (400, Error("8501", "Action is not valid when the call is not established."));
        }
        var operationContext = Text(body, "operationContext");
        var transferee = SimulatorIdentifiers.RawId(body["transferee"]) ?? call.Customer;
        var behaviour = BehaviourOf(target);
        var participant = new SimulatedParticipant { RawId = target, Role = "transferTarget", Behaviour = Describe(behaviour), OperationContext = operationContext };
        call.Participants.Add(participant);
        Log(call, "system", $"Transferring to {target}.");
        var data = new JsonObject
        {
            ["operationContext"] = operationContext,
            ["transferTarget"] = SimulatorIdentifiers.Identifier(target),
            ["transferee"] = SimulatorIdentifiers.Identifier(transferee),
        };
        if (behaviour.Answer is PartyAnswer.Person or PartyAnswer.Voicemail)
        {
            participant.Pending = After(call, behaviour.After, () =>
            {
                if (!call.AppConnected || participant.State != "ringing")
                {
                    return;
                }
                participant.State = "connected";
                participant.JoinedAt = _time.GetUtcNow();
                Log(call, "system", $"{target} took the transferred call.");
                Emit(call, "CallTransferAccepted", (JsonObject)data.DeepClone(), Result(200, 7015, "The transfer operation completed successfully."));
                CancelMedia(call, emit: false);
                // The app hands the call over and leaves it; the caller stays with the transfer target.
                LeaveApp(call);
            });
        }
        else
        {
            var (delay, code, message) = Refusal(behaviour, _options.InvitationTimeout);
            participant.Pending = After(call, delay, () =>
            {
                if (!call.AppConnected || participant.State != "ringing")
                {
                    return;
                }
                participant.State = "failed";
                Log(call, "system", $"Transfer to {target} failed: {message}");
                Emit(call, "CallTransferFailed", (JsonObject)data.DeepClone(), Result(code, 0, message));
            });
        }
        return (202, new JsonObject { ["operationContext"] = operationContext });
    }

    private (int, JsonObject?) AddParticipant(SimulatedCallState call, JsonObject body)
    {
        if (Require(body, "participantToAdd") is { } missing)
        {
            return missing;
        }
        if (SimulatorIdentifiers.RawId(body["participantToAdd"]) is not { } target)
        {
            return (400, Error("BadRequest", "participantToAdd is not a communication identifier."));
        }
        if (call.State != "connected")
        {
            return (400, Error("8501", "Action is not valid when the call is not established."));
        }
        var operationContext = Text(body, "operationContext");
        var timeout = body["invitationTimeoutInSeconds"] is JsonValue seconds && seconds.TryGetValue<int>(out var s) ? TimeSpan.FromSeconds(s) : _options.InvitationTimeout;
        var behaviour = BehaviourOf(target);
        var participant = new SimulatedParticipant
        {
            RawId = target,
            Role = "agent",
            Behaviour = Describe(behaviour),
            InvitationId = Guid.NewGuid().ToString(),
            OperationContext = operationContext,
        };
        call.Participants.Add(participant);
        Log(call, "system", $"Inviting {target}.");
        if (behaviour.Answer is PartyAnswer.Person or PartyAnswer.Voicemail && behaviour.After <= timeout)
        {
            participant.Pending = After(call, behaviour.After, () =>
            {
                if (!call.AppConnected || participant.State != "ringing")
                {
                    return;
                }
                participant.State = "connected";
                participant.JoinedAt = _time.GetUtcNow();
                Log(call, "system", $"{target} joined the call.");
                Emit(call, "AddParticipantSucceeded", ParticipantData(target, operationContext), Result(200, 0, "addParticipants completed successfully."));
                EmitParticipants(call);
            });
        }
        else
        {
            var (delay, code, message) = Refusal(behaviour, timeout);
            participant.Pending = After(call, delay, () =>
            {
                if (!call.AppConnected || participant.State != "ringing")
                {
                    return;
                }
                participant.State = "failed";
                Log(call, "system", $"{target} did not join: {message}");
                Emit(call, "AddParticipantFailed", ParticipantData(target, operationContext), Result(code, 0, message));
            });
        }
        return (202, new JsonObject
        {
            ["participant"] = new JsonObject { ["identifier"] = SimulatorIdentifiers.Identifier(target), ["isMuted"] = false, ["isOnHold"] = false },
            ["operationContext"] = operationContext,
            ["invitationId"] = participant.InvitationId,
        });
    }

    private (int, JsonObject?) RemoveParticipant(SimulatedCallState call, JsonObject body)
    {
        if (Require(body, "participantToRemove") is { } missing)
        {
            return missing;
        }
        if (SimulatorIdentifiers.RawId(body["participantToRemove"]) is not { } target)
        {
            return (400, Error("BadRequest", "participantToRemove is not a communication identifier."));
        }
        var operationContext = Text(body, "operationContext");
        var participant = call.Participants.LastOrDefault(p => p.RawId == target && p.State is "connected" or "ringing");
        if (participant is null)
        {
            // Accepted, then reported as failed on the callback, as the removal is asynchronous.
            Emit(call, "RemoveParticipantFailed", ParticipantData(target, operationContext), Result(400, 0, "The participant is not in the call."));
            return (202, new JsonObject { ["operationContext"] = operationContext });
        }
        participant.Pending?.Dispose();
        participant.State = "left";
        Log(call, "system", $"{target} was removed from the call.");
        Emit(call, "RemoveParticipantSucceeded", ParticipantData(target, operationContext), Result(200, 0, "removeParticipant completed successfully."));
        EmitParticipants(call);
        if (target == call.Customer)
        {
            End(call, "disconnected", "The caller was removed from the call.");
        }
        return (202, new JsonObject { ["operationContext"] = operationContext });
    }

    private (int, JsonObject?) HangUp(SimulatedCallState call, bool forEveryone)
    {
        var agentsStay = call.Participants.Any(p => p.Role != "customer" && p.State == "connected")
            && call.Participants.Any(p => p.Role == "customer" && p.State == "connected");
        if (forEveryone || !agentsStay)
        {
            Log(call, "system", forEveryone ? "The contact center ended the call." : "The contact center hung up.");
            End(call, "disconnected", forEveryone ? "Terminated by the contact center." : "The contact center hung up.");
        }
        else
        {
            Log(call, "system", "The contact center left the call; the caller and the agent stay connected.");
            CancelMedia(call, emit: false);
            LeaveApp(call);
        }
        return (204, null);
    }

    private (int, JsonObject?) StartRecording(JsonObject body)
    {
        if (Require(body, "callConnectionId") is { } missing)
        {
            return missing;
        }
        if (!_byConnection.TryGetValue(Text(body, "callConnectionId")!, out var call) || !call.AppConnected)
        {
            return (404, Error("8522", "Call connection not found."));
        }
        var recordingId = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        _recordings[recordingId] = (call, true);
        Log(call, "system", "Recording started.");
        Emit(call, "RecordingStateChanged", RecordingData(recordingId, "active"), null);
        return (200, new JsonObject { ["recordingId"] = recordingId, ["recordingState"] = "active", ["recordingKind"] = "azureCommunicationServices" });
    }

    private (int, JsonObject?) StopRecording(string recordingId)
    {
        if (!_recordings.TryGetValue(recordingId, out var recording) || !recording.Active)
        {
            return (404, Error("8522", "Recording not found."));
        }
        _recordings[recordingId] = (recording.Call, false);
        Log(recording.Call, "system", "Recording stopped.");
        Emit(recording.Call, "RecordingStateChanged", RecordingData(recordingId, "inactive"), null);
        return (204, null);
    }

    private JsonObject RecordingData(string recordingId, string state) => new()
    {
        ["recordingId"] = recordingId,
        ["state"] = state,
        ["startDateTime"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        ["recordingKind"] = "azureCommunicationServices",
    };

    private SimulatedCallState? IncomingCall(string incomingCallContext)
    {
        if (_byContext.TryGetValue(incomingCallContext, out var call))
        {
            return call;
        }
        if (!_options.AcceptUnknownIncomingCallContexts)
        {
            return null;
        }
        call = NewCall(CallDirection.Inbound, "4:+10000000000", "4:+10000000001", customer: "4:+10000000000", null, incomingCallContext);
        call.Participants[0].State = "connected";
        return call;
    }

    private void Connect(SimulatedCallState call, Uri callback)
    {
        call.CallConnectionId = Guid.NewGuid().ToString();
        call.CallbackUri = callback;
        call.AppConnected = true;
        call.State = "connecting";
        _byConnection[call.CallConnectionId] = call;
    }

    private void EmitConnected(SimulatedCallState call, string? operationContext)
    {
        call.State = "connected";
        var customer = call.Participants.First(p => p.Role == "customer");
        customer.State = "connected";
        customer.JoinedAt ??= _time.GetUtcNow();
        Emit(call, "CallConnected", new JsonObject { ["operationContext"] = operationContext }, null);
        EmitParticipants(call);
    }

    private JsonObject Properties(SimulatedCallState call) => new()
    {
        ["callConnectionId"] = call.CallConnectionId,
        ["serverCallId"] = call.ServerCallId,
        ["targets"] = new JsonArray(SimulatorIdentifiers.Identifier(call.Direction == CallDirection.Outbound ? call.To : call.From)),
        ["callConnectionState"] = call.State is "connected" ? "connected" : call.Ended ? "disconnected" : "connecting",
        ["callbackUri"] = call.CallbackUri?.AbsoluteUri,
        ["source"] = SimulatorIdentifiers.Identifier(call.Direction == CallDirection.Outbound ? call.From : call.To),
        ["correlationId"] = call.CorrelationId,
    };

    private static Uri? Callback(JsonObject body) =>
        Uri.TryCreate(Text(body, "callbackUri"), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static string? Text(JsonObject body, string name) => SimulatorIdentifiers.Text(body[name]);

    private static (int, JsonObject?)? Require(JsonObject body, params string[] fields) =>
        fields.All(f => body[f] is not null) ? null : (400, Error("BadRequest", $"Required: {string.Join(", ", fields)}."));

    /// <summary>ACS's CommunicationErrorResponse.</summary>
    public static JsonObject Error(string code, string message) => SimulatedAcsApi.Error(code, message);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _calls.Values.SelectMany(c => c.Timers))
            {
                timer.Dispose();
            }
        }
    }
}
