using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>The people on simulated calls and what the app hears back from them (mid-call events).</summary>
public sealed partial class CallAutomationSimulator
{
    private static readonly string[] ToneNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>A caller dials the contact center: the call rings until the app answers, rejects or redirects it.</summary>
    public SimulatedIncomingCall PlaceIncomingCall(string from, string to, string? callerDisplayName)
    {
        lock (_gate)
        {
            var call = NewCall(CallDirection.Inbound, SimulatorIdentifiers.Normalize(from), SimulatorIdentifiers.Normalize(to),
                customer: SimulatorIdentifiers.Normalize(from), callerDisplayName, incomingCallContext: $"simulator.{Guid.NewGuid():N}");
            call.Participants[0].State = "connected";
            Log(call, "system", $"Calling {to}; ringing.");
            return new SimulatedIncomingCall(call.Id, call.IncomingCallContext!, call.ServerCallId, call.CorrelationId);
        }
    }

    /// <summary>How a party answers from now on; keys are raw ids ("8:acs:...") or E.164 numbers.</summary>
    public void SetParty(string rawIdOrNumber, PartyBehaviour behaviour)
    {
        lock (_gate)
        {
            _parties[SimulatorIdentifiers.Normalize(rawIdOrNumber)] = behaviour;
        }
    }

    public JsonObject DescribeParties()
    {
        lock (_gate)
        {
            var configured = new JsonObject();
            foreach (var (key, behaviour) in _parties)
            {
                configured[key] = Behaviour(behaviour);
            }
            return new JsonObject
            {
                ["configured"] = configured,
                ["defaults"] = new JsonObject
                {
                    ["communicationUser"] = Behaviour(BehaviourOf("8:acs:default")),
                    ["microsoftTeamsUser"] = Behaviour(BehaviourOf("8:orgid:default")),
                    ["phoneNumber"] = Behaviour(BehaviourOf("4:+10000000000")),
                },
                ["invitationTimeoutSeconds"] = _options.InvitationTimeout.TotalSeconds,
            };
        }

        static JsonObject Behaviour(PartyBehaviour b) => new() { ["answer"] = Name(b.Answer), ["afterSeconds"] = b.After.TotalSeconds };
    }

    /// <summary>The simulated person presses keys ("0"-"9", "*", "#", "A"-"D"). False if there is no such live call.</summary>
    public bool Press(string callId, string tones)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Ended)
            {
                return false;
            }
            foreach (var tone in tones)
            {
                if (ToneName(tone) is not { } name)
                {
                    continue;
                }
                Log(call, "caller", "pressed " + tone);
                if (call.CurrentMedia is { Kind: MediaKind.Recognize } recognize && call.AppConnected)
                {
                    OnTone(call, recognize, tone, name);
                }
            }
            return true;
        }
    }

    /// <summary>The simulated person says a phrase. False if there is no such live call.</summary>
    public bool Say(string callId, string phrase)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Ended)
            {
                return false;
            }
            Log(call, "caller", "said \"" + phrase + "\"");
            if (call.CurrentMedia is { Kind: MediaKind.Recognize } recognize && call.AppConnected)
            {
                OnSpeech(call, recognize, phrase.Trim());
            }
            return true;
        }
    }

    /// <summary>The simulated person hangs up. False if there is no such live call.</summary>
    public bool HangUpCaller(string callId)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var call) || call.Ended)
            {
                return false;
            }
            Log(call, "caller", "hung up");
            End(call, call.State == "ringing" ? "abandoned" : "disconnected", "The caller hung up.");
            return true;
        }
    }

    public JsonObject? Describe(string callId)
    {
        lock (_gate)
        {
            return _calls.TryGetValue(callId, out var call) ? View(call, detailed: true) : null;
        }
    }

    public JsonArray List()
    {
        lock (_gate)
        {
            return [.. _calls.Values.OrderBy(c => c.CreatedAt).Select(c => (JsonNode)View(c, detailed: false))];
        }
    }

    private JsonObject View(SimulatedCallState call, bool detailed)
    {
        var view = new JsonObject
        {
            ["id"] = call.Id,
            ["direction"] = call.Direction == CallDirection.Inbound ? "inbound" : "outbound",
            ["from"] = call.From,
            ["to"] = call.To,
            ["state"] = call.State,
            ["endReason"] = call.EndReason,
            ["callConnectionId"] = call.CallConnectionId,
            ["appConnected"] = call.AppConnected,
            ["agentJoined"] = call.Participants.Any(p => p.Role != "customer" && p.State == "connected"),
            ["createdAt"] = Time(call.CreatedAt),
        };
        if (!detailed)
        {
            return view;
        }
        view["serverCallId"] = call.ServerCallId;
        view["correlationId"] = call.CorrelationId;
        view["incomingCallContext"] = call.IncomingCallContext;
        view["heard"] = new JsonArray([.. call.Heard.Select(h => h.DeepClone())]);
        view["transcript"] = new JsonArray([.. call.Transcript.Select(t => t.DeepClone())]);
        view["participants"] = new JsonArray([.. call.Participants.Select(p => (JsonNode)new JsonObject
        {
            ["rawId"] = p.RawId,
            ["role"] = p.Role,
            ["state"] = p.State,
            ["behaviour"] = p.Behaviour,
            ["joinedAt"] = p.JoinedAt is { } joined ? Time(joined) : null,
        })]);
        view["pendingRecognize"] = call.CurrentMedia is { Kind: MediaKind.Recognize } r ? new JsonObject
        {
            ["inputType"] = r.InputType,
            ["operationContext"] = r.OperationContext,
            ["tonesSoFar"] = r.Tones.ToString(),
            ["choices"] = r.Choices is null ? null : new JsonArray([.. r.Choices.Select(c => (JsonNode?)(c?["label"]?.DeepClone()))]),
            ["promptPlaying"] = !r.PromptDone,
            ["timesOutAt"] = r.TimesOutAt is { } at ? Time(at) : null,
        } : null;
        view["mediaQueued"] = call.Media.Count;
        return view;
    }

    private SimulatedCallState NewCall(CallDirection direction, string from, string to, string customer, string? displayName, string? incomingCallContext)
    {
        var call = new SimulatedCallState
        {
            Id = "sim-" + Guid.NewGuid().ToString("N")[..12],
            Direction = direction,
            From = from,
            To = to,
            Customer = customer,
            CallerDisplayName = displayName,
            IncomingCallContext = incomingCallContext,
            ServerCallId = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            CorrelationId = Guid.NewGuid().ToString(),
            CreatedAt = _time.GetUtcNow(),
        };
        call.Participants.Add(new SimulatedParticipant { RawId = customer, Role = "customer" });
        _calls[call.Id] = call;
        if (incomingCallContext is not null)
        {
            _byContext[incomingCallContext] = call;
        }
        return call;
    }

    private PartyBehaviour BehaviourOf(string rawId)
    {
        if (_parties.TryGetValue(rawId, out var configured))
        {
            return configured;
        }
        // Agents (ACS and Teams users) pick up quickly; people on phone numbers take a few rings.
        return SimulatorIdentifiers.IsPhone(rawId)
            ? new PartyBehaviour(PartyAnswer.Person, TimeSpan.FromSeconds(3))
            : new PartyBehaviour(PartyAnswer.Person, TimeSpan.FromSeconds(1));
    }

    public static string Name(PartyAnswer answer) => answer switch
    {
        PartyAnswer.Person => "person",
        PartyAnswer.Voicemail => "voicemail",
        PartyAnswer.NoAnswer => "no-answer",
        PartyAnswer.Busy => "busy",
        _ => "decline",
    };

    public static PartyAnswer? ParseAnswer(string? name) => name?.ToLowerInvariant() switch
    {
        "person" => PartyAnswer.Person,
        "voicemail" => PartyAnswer.Voicemail,
        "no-answer" => PartyAnswer.NoAnswer,
        "busy" => PartyAnswer.Busy,
        "decline" => PartyAnswer.Decline,
        _ => null,
    };

    private static string Describe(PartyBehaviour behaviour) =>
        $"{Name(behaviour.Answer)} after {behaviour.After.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";

    /// <summary>When and how a party that does not answer says so: busy and decline at once (after their delay), no answer at the timeout.</summary>
    private static (TimeSpan Delay, int Code, string Message) Refusal(PartyBehaviour behaviour, TimeSpan invitationTimeout) => behaviour.Answer switch
    {
        PartyAnswer.Busy => (behaviour.After, 486, "The callee is busy."),
        PartyAnswer.Decline => (behaviour.After, 603, "The callee declined the call."),
        _ => (invitationTimeout, 408, "The callee did not answer within the invitation timeout."),
    };

    /// <summary>Runs <paramref name="action"/> under the lock after <paramref name="delay"/> of the injected TimeProvider.</summary>
    private ITimer? After(SimulatedCallState call, TimeSpan delay, Action action)
    {
        if (delay <= TimeSpan.Zero)
        {
            action();
            return null;
        }
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    action();
                }
            }
        }, null, delay, Timeout.InfiniteTimeSpan);
        call.Timers.Add(timer);
        return timer;
    }

    // ---- media ----

    private (int, JsonObject?) Play(SimulatedCallState call, JsonObject body)
    {
        if (body["playSources"] is not JsonArray { Count: > 0 } sources || Prompt(sources[0]) is not { } prompt)
        {
            return (400, Error("BadRequest", "playSources must hold a text, ssml or file source."));
        }
        if (call.State != "connected")
        {
            return (400, Error("8501", "Action is not valid when the call is not established."));
        }
        var loop = body["playOptions"]?["loop"] is JsonValue l && l.TryGetValue<bool>(out var b) && b;
        Enqueue(call, new MediaOperation
        {
            Kind = MediaKind.Play,
            OperationContext = Text(body, "operationContext"),
            Prompt = prompt,
            PromptDuration = DurationOf(prompt),
            Loop = loop,
        });
        return (202, null);
    }

    private (int, JsonObject?) Recognize(SimulatedCallState call, JsonObject body)
    {
        if (Require(body, "recognizeInputType", "recognizeOptions") is { } missing)
        {
            return missing;
        }
        var inputType = Text(body, "recognizeInputType");
        if (inputType is not ("dtmf" or "choices" or "speech" or "speechOrDtmf"))
        {
            return (400, Error("BadRequest", "recognizeInputType must be dtmf, choices, speech or speechOrDtmf."));
        }
        var options = body["recognizeOptions"] as JsonObject ?? [];
        if (options["targetParticipant"] is null)
        {
            return (400, Error("BadRequest", "recognizeOptions.targetParticipant is required."));
        }
        var choices = options["choices"] as JsonArray;
        if (inputType == "choices" && choices is not { Count: > 0 })
        {
            return (400, Error("BadRequest", "recognizeOptions.choices is required for choices recognition."));
        }
        JsonObject? prompt = null;
        if (body["playPrompt"] is { } playPrompt && (prompt = Prompt(playPrompt)) is null)
        {
            return (400, Error("BadRequest", "playPrompt must be a text, ssml or file source."));
        }
        if (call.State != "connected")
        {
            return (400, Error("8501", "Action is not valid when the call is not established."));
        }
        var dtmf = options["dtmfOptions"] as JsonObject;
        Enqueue(call, new MediaOperation
        {
            Kind = MediaKind.Recognize,
            OperationContext = Text(body, "operationContext"),
            Prompt = prompt,
            PromptDuration = prompt is null ? TimeSpan.Zero : DurationOf(prompt),
            InputType = inputType,
            InitialSilenceTimeout = TimeSpan.FromSeconds(Int(options["initialSilenceTimeoutInSeconds"]) ?? 5),
            InterToneTimeout = TimeSpan.FromSeconds(Int(dtmf?["interToneTimeoutInSeconds"]) ?? 2),
            MaxTones = Int(dtmf?["maxTonesToCollect"]) ?? 1,
            StopTones = (dtmf?["stopTones"] as JsonArray)?.Select(t => SimulatorIdentifiers.Text(t) ?? "").ToHashSet(StringComparer.Ordinal) ?? [],
            Choices = choices?.DeepClone().AsArray(),
        });
        return (202, null);

        static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
    }

    private (int, JsonObject?) CancelAllMedia(SimulatedCallState call)
    {
        CancelMedia(call, emit: true);
        return (202, null);
    }

    private static JsonObject? Prompt(JsonNode? source) => SimulatorIdentifiers.Text(source?["kind"]) switch
    {
        "text" when SimulatorIdentifiers.Text(source!["text"]?["text"]) is { } text => new JsonObject { ["kind"] = "text", ["text"] = text },
        "ssml" when SimulatorIdentifiers.Text(source!["ssml"]?["ssmlText"]) is { } ssml => new JsonObject { ["kind"] = "ssml", ["text"] = ssml },
        "file" when SimulatorIdentifiers.Text(source!["file"]?["uri"]) is { } uri => new JsonObject { ["kind"] = "file", ["url"] = uri },
        _ => null,
    };

    private TimeSpan DurationOf(JsonObject prompt)
    {
        if (prompt["url"] is not null)
        {
            return _options.AudioFilePromptDuration;
        }
        var length = SimulatorIdentifiers.Text(prompt["text"])?.Length ?? 0;
        var spoken = TimeSpan.FromSeconds(length / Math.Max(_options.PromptCharactersPerSecond, 0.001));
        return spoken > _options.MinimumPromptDuration ? spoken : _options.MinimumPromptDuration;
    }

    private void Enqueue(SimulatedCallState call, MediaOperation operation)
    {
        call.Media.AddLast(operation);
        if (call.CurrentMedia is null)
        {
            StartNextMedia(call);
        }
    }

    private void StartNextMedia(SimulatedCallState call)
    {
        if (call.CurrentMedia is not null || call.Media.First is not { } next || !call.AppConnected)
        {
            return;
        }
        call.Media.RemoveFirst();
        var operation = next.Value;
        call.CurrentMedia = operation;
        if (operation.Prompt is { } prompt)
        {
            Hear(call, prompt, operation);
        }
        if (operation.Kind == MediaKind.Play)
        {
            Emit(call, "PlayStarted", new JsonObject { ["operationContext"] = operation.OperationContext }, Result(200, 0, "Action completed successfully."));
            if (!operation.Loop)
            {
                operation.Timer = After(call, operation.PromptDuration, () =>
                {
                    if (call.CurrentMedia != operation)
                    {
                        return;
                    }
                    Emit(call, "PlayCompleted", new JsonObject { ["operationContext"] = operation.OperationContext }, Result(200, 0, "Action completed successfully."));
                    FinishMedia(call);
                });
            }
            return;
        }
        operation.Timer = After(call, operation.PromptDuration, () =>
        {
            if (call.CurrentMedia != operation)
            {
                return;
            }
            operation.PromptDone = true;
            if (operation.Tones.Length == 0)
            {
                WaitForInput(call, operation, operation.InitialSilenceTimeout, () =>
                    Fail(call, operation, 8510, "Action failed, initial silence timeout reached."));
            }
        });
    }

    private void WaitForInput(SimulatedCallState call, MediaOperation operation, TimeSpan timeout, Action onTimeout)
    {
        operation.Timer?.Dispose();
        operation.TimesOutAt = _time.GetUtcNow() + timeout;
        operation.Timer = After(call, timeout, () =>
        {
            if (call.CurrentMedia == operation)
            {
                onTimeout();
            }
        });
    }

    private void OnTone(SimulatedCallState call, MediaOperation recognize, char tone, string name)
    {
        switch (recognize.InputType)
        {
            case "choices":
                var choice = recognize.Choices?.FirstOrDefault(c => SimulatorIdentifiers.Text(c?["tone"]) == name);
                if (choice is null)
                {
                    Fail(call, recognize, 8534, "Action failed, incorrect tone detected.");
                    return;
                }
                Complete(call, recognize, 8545, "choices", new JsonObject
                {
                    ["choiceResult"] = new JsonObject { ["label"] = choice["label"]?.DeepClone() },
                });
                return;
            case "dtmf" or "speechOrDtmf":
                if (recognize.StopTones.Contains(name))
                {
                    CompleteTones(call, recognize, 8514, "Action completed, stop tone detected.");
                    return;
                }
                recognize.Tones.Append(tone);
                recognize.ToneNames.Add(name);
                if (recognize.ToneNames.Count >= recognize.MaxTones)
                {
                    CompleteTones(call, recognize, 8531, "Action completed, max digits received.");
                    return;
                }
                WaitForInput(call, recognize, recognize.InterToneTimeout, () =>
                    CompleteTones(call, recognize, 8532, "Action completed, inter-digit silence timeout reached."));
                return;
        }
        // A speech-only recognizer does not hear keys.
    }

    private void OnSpeech(SimulatedCallState call, MediaOperation recognize, string phrase)
    {
        switch (recognize.InputType)
        {
            case "choices":
                var choice = recognize.Choices?.FirstOrDefault(c => c?["phrases"] is JsonArray phrases
                    && phrases.Any(p => string.Equals(SimulatorIdentifiers.Text(p), phrase, StringComparison.OrdinalIgnoreCase)));
                if (choice is null)
                {
                    Fail(call, recognize, 8547, "Action failed, speech option not matched.");
                    return;
                }
                Complete(call, recognize, 8545, "choices", new JsonObject
                {
                    ["choiceResult"] = new JsonObject { ["label"] = choice["label"]?.DeepClone(), ["recognizedPhrase"] = phrase },
                });
                return;
            case "speech" or "speechOrDtmf":
                Complete(call, recognize, 8568, "speech", new JsonObject { ["speechResult"] = new JsonObject { ["speech"] = phrase } });
                return;
        }
        // A DTMF-only recognizer does not hear words.
    }

    private void CompleteTones(SimulatedCallState call, MediaOperation recognize, int subCode, string message)
    {
        if (recognize.ToneNames.Count == 0)
        {
            Fail(call, recognize, 8510, "Action failed, initial silence timeout reached.");
            return;
        }
        Complete(call, recognize, subCode, "dtmf", new JsonObject
        {
            ["dtmfResult"] = new JsonObject { ["tones"] = new JsonArray([.. recognize.ToneNames.Select(n => (JsonNode)n)]) },
        });
    }

    private void Complete(SimulatedCallState call, MediaOperation recognize, int subCode, string recognitionType, JsonObject result)
    {
        var data = new JsonObject { ["operationContext"] = recognize.OperationContext, ["recognitionType"] = recognitionType };
        foreach (var (key, value) in result)
        {
            data[key] = value?.DeepClone();
        }
        Emit(call, "RecognizeCompleted", data, Result(200, subCode, "Action completed."));
        FinishMedia(call);
    }

    private void Fail(SimulatedCallState call, MediaOperation recognize, int subCode, string message)
    {
        Log(call, "system", "Recognize failed: " + message);
        Emit(call, "RecognizeFailed", new JsonObject { ["operationContext"] = recognize.OperationContext }, Result(400, subCode, message));
        FinishMedia(call);
    }

    private void FinishMedia(SimulatedCallState call)
    {
        call.CurrentMedia?.Timer?.Dispose();
        call.CurrentMedia = null;
        StartNextMedia(call);
    }

    private void CancelMedia(SimulatedCallState call, bool emit)
    {
        var cancelled = new List<MediaOperation>();
        if (call.CurrentMedia is { } current)
        {
            current.Timer?.Dispose();
            cancelled.Add(current);
        }
        cancelled.AddRange(call.Media);
        call.Media.Clear();
        call.CurrentMedia = null;
        if (!emit)
        {
            return;
        }
        foreach (var operation in cancelled)
        {
            Emit(call, operation.Kind == MediaKind.Play ? "PlayCanceled" : "RecognizeCanceled",
                new JsonObject { ["operationContext"] = operation.OperationContext }, Result(400, 8508, "Action failed, the operation was canceled."));
        }
    }

    private void Hear(SimulatedCallState call, JsonObject prompt, MediaOperation operation)
    {
        var heard = (JsonObject)prompt.DeepClone();
        heard["at"] = Time(_time.GetUtcNow());
        heard["loop"] = operation.Loop;
        heard["operationContext"] = operation.OperationContext;
        heard["durationSeconds"] = operation.PromptDuration.TotalSeconds;
        call.Heard.Add(heard);
        Log(call, "app", SimulatorIdentifiers.Text(prompt["text"]) ?? "(audio) " + SimulatorIdentifiers.Text(prompt["url"]));
    }

    private static string? ToneName(char tone) => tone switch
    {
        >= '0' and <= '9' => ToneNames[tone - '0'],
        '*' => "asterisk",
        '#' => "pound",
        'A' or 'a' => "a",
        'B' or 'b' => "b",
        'C' or 'c' => "c",
        'D' or 'd' => "d",
        _ => null,
    };

    // ---- leaving and ending ----

    /// <summary>The app is out of the call (hung up or transferred away): one CallDisconnected, then no more events.</summary>
    private void LeaveApp(SimulatedCallState call)
    {
        if (!call.AppConnected)
        {
            return;
        }
        Emit(call, "CallDisconnected", [], null);
        call.AppConnected = false;
    }

    private void End(SimulatedCallState call, string state, string reason)
    {
        if (call.Ended)
        {
            return;
        }
        CancelMedia(call, emit: false);
        foreach (var participant in call.Participants)
        {
            participant.Pending?.Dispose();
            participant.State = participant.State is "connected" ? "left" : participant.State is "ringing" ? "failed" : participant.State;
        }
        LeaveApp(call);
        call.State = state;
        call.EndReason = reason;
        foreach (var timer in call.Timers)
        {
            timer.Dispose();
        }
        call.Timers.Clear();
        if (call.IncomingCallContext is not null)
        {
            _byContext.Remove(call.IncomingCallContext);
        }
    }

    // ---- events ----

    private void EmitParticipants(SimulatedCallState call)
    {
        var participants = new JsonArray([.. call.Participants.Where(p => p.State == "connected").Select(p => (JsonNode)new JsonObject
        {
            ["identifier"] = SimulatorIdentifiers.Identifier(p.RawId),
            ["isMuted"] = false,
            ["isOnHold"] = false,
        })]);
        Emit(call, "ParticipantsUpdated", new JsonObject { ["participants"] = participants, ["sequenceNumber"] = ++call.ParticipantsSequence }, null);
    }

    private static JsonObject ParticipantData(string rawId, string? operationContext) =>
        new() { ["operationContext"] = operationContext, ["participant"] = SimulatorIdentifiers.Identifier(rawId) };

    private static JsonObject Result(int code, int subCode, string message) =>
        new() { ["code"] = code, ["subCode"] = subCode, ["message"] = message };

    /// <summary>
    /// A CloudEvent 1.0 as ACS posts it to the callback URI, handed to the sink in the order it happened: the attributes
    /// (id, source "calling/callConnections/&lt;id&gt;", type, data, time, specversion, datacontenttype, subject) and data
    /// fields of the recorded events in Azure/azure-sdk-for-java sdk/communication/azure-communication-callautomation/
    /// src/test/java/com/azure/communication/callautomation/CallAutomationEventParserUnitTests.java.
    /// </summary>
    private void Emit(SimulatedCallState call, string type, JsonObject specific, JsonObject? resultInformation)
    {
        if (!call.AppConnected || call.CallbackUri is null || call.CallConnectionId is null)
        {
            return;
        }
        var data = new JsonObject
        {
            ["callConnectionId"] = call.CallConnectionId,
            ["serverCallId"] = call.ServerCallId,
            ["correlationId"] = call.CorrelationId,
        };
        foreach (var (key, value) in specific)
        {
            if (value is not null)
            {
                data[key] = value.DeepClone();
            }
        }
        if (resultInformation is not null)
        {
            data["resultInformation"] = resultInformation;
        }
        var source = "calling/callConnections/" + call.CallConnectionId;
        var cloudEvent = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = source,
            ["type"] = "Microsoft.Communication." + type,
            ["data"] = data,
            ["time"] = Time(_time.GetUtcNow()),
            ["specversion"] = "1.0",
            ["datacontenttype"] = "application/json",
            ["subject"] = source,
        };
        _callbacks.Send(call.CallConnectionId, call.CallbackUri, cloudEvent);
    }

    private void Log(SimulatedCallState call, string who, string text) =>
        call.Transcript.Add(new JsonObject { ["at"] = Time(_time.GetUtcNow()), ["who"] = who, ["text"] = text });

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>What the IncomingCall event needs from a newly placed simulated call.</summary>
public sealed record SimulatedIncomingCall(string CallId, string IncomingCallContext, string ServerCallId, string CorrelationId);
