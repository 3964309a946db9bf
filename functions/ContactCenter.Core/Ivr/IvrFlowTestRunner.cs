using System.Globalization;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Ivr;

/// <summary>How one journey went: on failure, the first step that did not match and what happened instead.</summary>
public sealed record IvrJourneyResult(string Name, bool Passed, string Message)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Message}";
}

/// <summary>
/// Plays scripted callers through the real <see cref="IvrEngine"/>, offline. Plays complete by themselves; an
/// expectation is checked against the next action of its kind, so a journey only spells out what it cares about.
/// </summary>
public sealed class IvrFlowTestRunner(IvrFlows flows, IQueueCatalog? queues = null)
{
    private readonly IvrEngine _engine = new(flows, queues);

    /// <summary>Parses and runs a journey file; a file that does not parse is a failure naming its line.</summary>
    public IvrJourneyResult Run(string journeyJson, string name)
    {
        IvrJourney journey;
        try
        {
            journey = IvrJourney.Parse(journeyJson, name);
        }
        catch (FormatException ex)
        {
            return new IvrJourneyResult(name, false, $"journey file is invalid: {ex.Message}");
        }
        return Run(journey);
    }

    public IvrJourneyResult Run(IvrJourney journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        if (flows.Find(journey.FlowId) is null)
        {
            return new IvrJourneyResult(journey.Name, false, $"flow '{journey.FlowId}' is not defined (flows: {string.Join(", ", flows.Flows.Select(f => f.Id))}).");
        }
        var call = new Call(_engine, journey.At);
        call.Apply(_engine.Start(journey.FlowId, journey.At));
        for (var i = 0; i < journey.Steps.Count; i++)
        {
            var step = journey.Steps[i];
            var failure = step switch
            {
                ExpectStep expect => call.Expect(expect),
                CallerStep caller => call.Act(caller),
                _ => null,
            };
            if (failure is not null)
            {
                return new IvrJourneyResult(journey.Name, false, $"step {i + 1} (line {step.Line}, {step}): {failure}");
            }
        }
        return new IvrJourneyResult(journey.Name, true, $"{journey.Steps.Count} steps; {call.Session.Outcome ?? $"still at node '{call.Session.NodeId}'"}");
    }

    /// <summary>One call in progress: the session and the actions not yet matched by an expectation.</summary>
    private sealed class Call(IvrEngine engine, DateTimeOffset at)
    {
        private readonly Queue<IvrAction> _pending = new();
        private readonly List<string> _seen = [];

        public IvrSession Session { get; private set; } = null!;

        public void Apply(IvrStep step)
        {
            Session = step.Session;
            foreach (var action in step.Actions)
            {
                _pending.Enqueue(action);
            }
        }

        public string? Expect(ExpectStep expect)
        {
            _seen.Clear();
            while (true)
            {
                if (_pending.Count == 0 && Session.Waiting == IvrWaiting.PlayCompleted)
                {
                    Apply(engine.Handle(Session, new PlayCompleted(at)));
                }
                if (!_pending.TryDequeue(out var action))
                {
                    if (expect.What == Expected.End && Session.Ended)
                    {
                        return null;
                    }
                    var state = Session.Ended ? $"the call ended ({Session.Outcome})" : $"the flow waits for the caller at node '{Session.NodeId}'";
                    return $"expected {ExpectStep.Name(expect.What)} but {state}{Seen()}.";
                }
                _seen.Add(Describe(action));
                if (Kind(action) == expect.What)
                {
                    return Compare(expect, action);
                }
            }
        }

        public string? Act(CallerStep step)
        {
            // Whatever the caller did not check is passed over; plays run to their end before the caller acts.
            _pending.Clear();
            while (Session.Waiting == IvrWaiting.PlayCompleted)
            {
                Apply(engine.Handle(Session, new PlayCompleted(at)));
                _pending.Clear();
            }
            if (Session.Ended)
            {
                return $"the call had already ended ({Session.Outcome}).";
            }
            if (step.Does != CallerDoes.HangUp && Session.Waiting != IvrWaiting.CallerInput)
            {
                return $"the flow is not waiting for the caller (node '{Session.NodeId}').";
            }
            IvrInput input = step.Does switch
            {
                CallerDoes.Press => new DigitsReceived(step.Value, at),
                CallerDoes.Say => new SpeechRecognized(step.Value, at),
                CallerDoes.Silence => new RecognizeFailed(RecognizeFailure.Timeout, at),
                CallerDoes.NoMatch => new RecognizeFailed(RecognizeFailure.NoMatch, at),
                _ => new CallerHungUp(at),
            };
            Apply(engine.Handle(Session, input));
            return null;
        }

        private string Seen() => _seen.Count == 0 ? "" : $"; passed over: {string.Join("; ", _seen)}";

        private static string? Compare(ExpectStep expect, IvrAction action)
        {
            var (value, contact) = action switch
            {
                Play play => (play.Prompt.ToString(), null),
                Recognize recognize => (string.Join(" ", recognize.Prompts), null),
                QueueCall queue => (queue.QueueId, queue.Contact),
                RequestCallback callback => (callback.QueueId, callback.Contact),
                RecordVoicemail voicemail => (voicemail.QueueId, voicemail.Contact),
                Transfer transfer => (transfer.Target, (ContactAnnotations?)null),
                HangUp hangUp => (hangUp.Goodbye?.ToString() ?? "", null),
                _ => ("", null),
            };
            var contains = expect.What is Expected.Play or Expected.Prompt or Expected.HangUp;
            if (expect.Value is { } wanted && !(contains ? value.Contains(wanted, StringComparison.OrdinalIgnoreCase) : value == wanted))
            {
                return $"expected {ExpectStep.Name(expect.What)} {(contains ? "containing " : "")}\"{wanted}\" but got {Describe(action)}.";
            }
            if (contact is null)
            {
                return null;
            }
            if (expect.Priority is { } priority && contact.Priority != priority)
            {
                return $"expected priority {priority} but got {Describe(action)}.";
            }
            foreach (var (skill, minimum) in expect.Skills ?? new Dictionary<string, int>())
            {
                if (contact.Skills.GetValueOrDefault(skill) != minimum)
                {
                    return $"expected skill {skill}:{minimum} but got {Describe(action)}.";
                }
            }
            foreach (var (variable, text) in expect.Variables ?? new Dictionary<string, string>())
            {
                if (contact.Variables.GetValueOrDefault(variable) != text)
                {
                    return $"expected variable {variable}={text} but got {Describe(action)}.";
                }
            }
            return null;
        }

        private static Expected? Kind(IvrAction action) => action switch
        {
            Play => Expected.Play,
            Recognize => Expected.Prompt,
            QueueCall => Expected.Queue,
            RequestCallback => Expected.Callback,
            RecordVoicemail => Expected.Voicemail,
            Transfer => Expected.Transfer,
            HangUp => Expected.HangUp,
            _ => null,
        };

        private static string Describe(IvrAction action) => action switch
        {
            Play play => $"play \"{play.Prompt}\"",
            Recognize recognize => $"prompt \"{string.Join(" ", recognize.Prompts)}\"",
            QueueCall queue => $"queue '{queue.QueueId}'{Describe(queue.Contact)}",
            RequestCallback callback => $"callback '{callback.QueueId}'{Describe(callback.Contact)}",
            RecordVoicemail voicemail => $"voicemail '{voicemail.QueueId}'{Describe(voicemail.Contact)}",
            Transfer transfer => $"transfer to {transfer.Target}",
            HangUp hangUp => hangUp.Goodbye is null ? "hangup" : $"hangup \"{hangUp.Goodbye}\"",
            _ => action.GetType().Name,
        };

        private static string Describe(ContactAnnotations contact)
        {
            var parts = new List<string>();
            if (contact.Priority is { } priority)
            {
                parts.Add($"priority {priority.ToString(CultureInfo.InvariantCulture)}");
            }
            if (contact.Skills.Count > 0)
            {
                parts.Add("skills " + string.Join(",", contact.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}")));
            }
            if (contact.Variables.Count > 0)
            {
                parts.Add("variables " + string.Join(",", contact.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")));
            }
            return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
        }
    }
}
