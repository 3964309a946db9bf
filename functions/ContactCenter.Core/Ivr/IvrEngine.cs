using System.Text.RegularExpressions;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Ivr;

/// <summary>
/// Runs IVR flows as a pure state machine: given a session and what just happened on the call, it returns the new
/// session and what the telephony adapter should do. No I/O, no clock of its own (time comes with each input), and it
/// never throws on anything a caller does: unexpected input is ignored, bad input follows the retry and fallback paths.
/// </summary>
public sealed class IvrEngine(IvrFlows flows, IQueueCatalog? queues = null)
{
    // Validation refuses loops that never wait for the caller; this only guards flows built in code.
    private const int MaxStepsPerInput = 256;

    public IvrFlows Flows { get; } = flows ?? throw new ArgumentNullException(nameof(flows));

    /// <summary>A new call in <paramref name="flowId"/>: enters the flow at its entry.</summary>
    public IvrStep Start(string flowId, DateTimeOffset at)
    {
        var flow = Flows.Find(flowId);
        return flow is null
            ? new IvrStep(new IvrSession(flowId, "") { Waiting = IvrWaiting.Ended, Outcome = $"no flow '{flowId}'" }, [new HangUp(null)])
            : Handle(new IvrSession(flowId, flow.Entry), new CallStarted(at));
    }

    public IvrStep Handle(IvrSession session, IvrInput input)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(input);
        if (session.Ended)
        {
            return new IvrStep(session, []);
        }
        if (input is CallerHungUp)
        {
            return new IvrStep(session with { Waiting = IvrWaiting.Ended, Outcome = "caller hung up" }, []);
        }
        if (Flows.Find(session.FlowId)?.Nodes.GetValueOrDefault(session.NodeId) is not { } node)
        {
            // The flows were replaced during the call and this node is gone: end politely rather than guess.
            return new IvrStep(session with { Waiting = IvrWaiting.Ended, Outcome = $"node '{session.FlowId}/{session.NodeId}' no longer exists" }, [new HangUp(null)]);
        }
        var actions = new List<IvrAction>();
        var next = (session.Waiting, input) switch
        {
            (IvrWaiting.Start, CallStarted) => Enter(session, session.FlowId, session.NodeId, input.At, actions),
            (IvrWaiting.PlayCompleted, PlayCompleted) when node is PlayNode play => Enter(session, session.FlowId, play.Next, input.At, actions),
            (IvrWaiting.CallerInput, DigitsReceived or SpeechRecognized or RecognizeFailed) => Answer(session, node, input, actions),
            _ => session,
        };
        return new IvrStep(next, actions);
    }

    private IvrSession Answer(IvrSession session, IvrNode node, IvrInput input, List<IvrAction> actions)
    {
        var at = input.At;
        switch (node)
        {
            case MenuNode menu:
            {
                var chosen = input switch
                {
                    DigitsReceived d => menu.Options.FirstOrDefault(o => o.Digit is { } digit && d.Digits.Trim() == digit),
                    SpeechRecognized s => menu.Options.FirstOrDefault(o => o.Phrases.Contains(IvrFlowReader.NormalizePhrase(s.Phrase))),
                    _ => null,
                };
                return chosen is not null ? Enter(session, session.FlowId, chosen.Next, at, actions) : Retry(session, menu.Retry, input, MenuRecognize(menu), actions, at);
            }
            case SpeechChoicesNode speech:
            {
                var chosen = input is SpeechRecognized s ? speech.Choices.FirstOrDefault(c => c.Phrases.Contains(IvrFlowReader.NormalizePhrase(s.Phrase))) : null;
                return chosen is not null ? Enter(session, session.FlowId, chosen.Next, at, actions) : Retry(session, speech.Retry, input, SpeechRecognize(speech), actions, at);
            }
            case CollectDigitsNode collect:
            {
                if (input is DigitsReceived d && Accept(collect, d.Digits) is { } value)
                {
                    var variables = new Dictionary<string, string>(session.Variables, StringComparer.Ordinal) { [collect.Variable] = value };
                    return Enter(session with { Variables = variables }, session.FlowId, collect.Next, at, actions);
                }
                // Speech or a malformed entry both count as "no match": the caller tried and got it wrong.
                return Retry(session, collect.Retry, input is RecognizeFailed ? input : new RecognizeFailed(RecognizeFailure.NoMatch, at), DigitsRecognize(collect), actions, at);
            }
            case OfferCallbackNode offer:
            {
                if (input is DigitsReceived d && d.Digits.Trim().Length > 0 && d.Digits.Trim()[0] == offer.AcceptDigit)
                {
                    actions.Add(new RequestCallback(offer.QueueId, session.Annotations));
                    return Enter(session, session.FlowId, offer.Accepted, at, actions);
                }
                // Silence or any other answer is a "no": the caller keeps their place on the normal path.
                return Enter(session, session.FlowId, offer.Declined, at, actions);
            }
            default:
                return session;
        }
    }

    /// <summary>
    /// Another try at the same question, with the no-input or no-match prompt first, or the fallback once the retries
    /// are used up.
    /// </summary>
    private IvrSession Retry(IvrSession session, Retry retry, IvrInput input, Recognize question, List<IvrAction> actions, DateTimeOffset at)
    {
        if (session.Retries >= retry.MaxRetries)
        {
            return Enter(session, session.FlowId, retry.Fallback, at, actions);
        }
        var apology = input is RecognizeFailed { Reason: RecognizeFailure.Timeout } ? retry.NoInput : retry.NoMatch;
        actions.Add(question with { Prompts = apology is null ? question.Prompts : [apology, .. question.Prompts] });
        return session with { Retries = session.Retries + 1 };
    }

    /// <summary>Moves to a node and runs every node that needs no caller until one does, or the call leaves the IVR.</summary>
    private IvrSession Enter(IvrSession session, string flowId, string nodeId, DateTimeOffset at, List<IvrAction> actions)
    {
        for (var step = 0; step < MaxStepsPerInput; step++)
        {
            session = session with { FlowId = flowId, NodeId = nodeId, Retries = 0 };
            if (Flows.Find(flowId)?.Nodes.GetValueOrDefault(nodeId) is not { } node)
            {
                actions.Add(new HangUp(null));
                return session with { Waiting = IvrWaiting.Ended, Outcome = $"node '{flowId}/{nodeId}' does not exist" };
            }
            switch (node)
            {
                case PlayNode play:
                    actions.Add(new Play(play.Prompt));
                    return session with { Waiting = IvrWaiting.PlayCompleted };
                case MenuNode menu:
                    actions.Add(MenuRecognize(menu));
                    return session with { Waiting = IvrWaiting.CallerInput };
                case SpeechChoicesNode speech:
                    actions.Add(SpeechRecognize(speech));
                    return session with { Waiting = IvrWaiting.CallerInput };
                case CollectDigitsNode collect:
                    actions.Add(DigitsRecognize(collect));
                    return session with { Waiting = IvrWaiting.CallerInput };
                case OfferCallbackNode offer:
                    actions.Add(new Recognize(RecognizeKind.Dtmf, [offer.Prompt], offer.Timeout));
                    return session with { Waiting = IvrWaiting.CallerInput };
                case BusinessHoursNode hours:
                    nodeId = IsOpen(hours, at) ? hours.Open : hours.Closed;
                    break;
                case SetSkillsNode set:
                    session = session with { Skills = Merge(session.Skills, set.Skills) };
                    nodeId = set.Next;
                    break;
                case SetPriorityNode set:
                    session = session with { Priority = set.Priority };
                    nodeId = set.Next;
                    break;
                case GotoNode go:
                    if (Flows.Find(go.FlowId) is not { } target)
                    {
                        // Only flows built in code get here: validation refuses a goto to a flow the file lacks.
                        actions.Add(new HangUp(null));
                        return End(session, $"flow '{go.FlowId}' does not exist");
                    }
                    (flowId, nodeId) = (target.Id, target.Entry);
                    break;
                case QueueNode queue:
                {
                    var ended = session with { Skills = Merge(session.Skills, queue.Skills), Priority = queue.Priority ?? session.Priority };
                    actions.Add(new QueueCall(queue.QueueId, ended.Annotations));
                    return End(ended, $"queued to {queue.QueueId}");
                }
                case TransferNode transfer:
                    actions.Add(new Transfer(transfer.Kind, transfer.Target));
                    return End(session, $"transferred to {transfer.Target}");
                case VoicemailNode voicemail:
                    actions.Add(new RecordVoicemail(voicemail.Prompt, voicemail.MaxSeconds, voicemail.QueueId, session.Annotations));
                    return End(session, $"voicemail for {voicemail.QueueId}");
                default:
                    actions.Add(new HangUp((node as HangUpNode)?.Goodbye));
                    return End(session, "hung up by the flow");
            }
        }
        actions.Add(new HangUp(null));
        return End(session, $"stopped after {MaxStepsPerInput} steps without waiting for the caller");
    }

    private static IvrSession End(IvrSession session, string outcome) => session with { Waiting = IvrWaiting.Ended, Outcome = outcome };

    private bool IsOpen(BusinessHoursNode node, DateTimeOffset at)
    {
        // A queue without hours (or not known here) is always open, as it is to the ACD.
        var hours = node.Hours ?? (node.QueueId is { } queueId ? queues?.Find(queueId)?.Hours : null);
        return hours?.IsOpen(at) ?? true;
    }

    private static Dictionary<string, int> Merge(IReadOnlyDictionary<string, int> current, IReadOnlyDictionary<string, int> added)
    {
        var merged = new Dictionary<string, int>(current, StringComparer.Ordinal);
        foreach (var (skill, minimum) in added)
        {
            merged[skill] = minimum;
        }
        return merged;
    }

    private static string? Accept(CollectDigitsNode node, string entered)
    {
        var digits = entered.Trim();
        if (node.Terminator is { } terminator && digits.EndsWith(terminator))
        {
            digits = digits[..^1];
        }
        if (digits.Length < node.MinDigits || digits.Length > node.MaxDigits || !digits.All(IvrFlowReader.IsDtmf))
        {
            return null;
        }
        if (node.Pattern is null)
        {
            return digits;
        }
        return DigitPatterns.Get(node.Pattern).IsMatch(digits) ? digits : null;
    }

    private static Recognize MenuRecognize(MenuNode menu)
    {
        var digits = menu.Options.Any(o => o.Digit is not null);
        var phrases = menu.Options.SelectMany(o => o.Phrases).ToList();
        var kind = digits && phrases.Count > 0 ? RecognizeKind.DtmfOrChoices : digits ? RecognizeKind.Dtmf : RecognizeKind.Choices;
        return new Recognize(kind, [menu.Prompt], menu.Retry.Timeout) { Choices = phrases };
    }

    private static Recognize SpeechRecognize(SpeechChoicesNode node) =>
        new(RecognizeKind.Choices, [node.Prompt], node.Retry.Timeout) { Choices = node.Choices.SelectMany(c => c.Phrases).ToList() };

    private static Recognize DigitsRecognize(CollectDigitsNode node) =>
        new(RecognizeKind.Dtmf, [node.Prompt], node.Retry.Timeout) { MinDigits = node.MinDigits, MaxDigits = node.MaxDigits, Terminator = node.Terminator };
}
