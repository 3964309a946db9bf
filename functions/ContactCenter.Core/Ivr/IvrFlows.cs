using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Ivr;

/// <summary>A validated, versioned set of IVR flows. <see cref="IvrFlowReader"/> produces these.</summary>
public sealed record IvrFlows(int Version, IReadOnlyList<IvrFlow> Flows)
{
    public IvrFlow? Find(string flowId) => Flows.FirstOrDefault(f => f.Id == flowId);

    /// <summary>Parses and validates a flows file; see <see cref="IvrFlowReader.Parse"/>.</summary>
    public static IvrFlows Parse(string json, IReadOnlyCollection<string>? knownQueueIds = null) => IvrFlowReader.Parse(json, knownQueueIds);
}

/// <summary>One call flow: named nodes and the node a call starts at.</summary>
public sealed record IvrFlow(string Id, string Entry, IReadOnlyDictionary<string, IvrNode> Nodes);

/// <summary>What the caller hears: text to speech (with an optional voice and language) or a recorded audio file.</summary>
public sealed record IvrPrompt(string? Text, string? AudioUrl = null, string? Voice = null, string? Language = null)
{
    public override string ToString() => Text ?? AudioUrl ?? "";
}

/// <summary>One step of a flow. <see cref="Exits"/> lists the nodes it can lead to, by the property naming each.</summary>
public abstract record IvrNode(string Id)
{
    /// <summary>Nodes that wait for the caller to press or say something; only these may close a loop.</summary>
    public virtual bool WaitsForCaller => false;

    public virtual IEnumerable<(string Property, string Target)> Exits => [];
}

public sealed record PlayNode(string Id, IvrPrompt Prompt, string Next) : IvrNode(Id)
{
    public override IEnumerable<(string, string)> Exits => [("next", Next)];
}

/// <summary>Shared by nodes that ask and wait: how long, how many more tries, and what to say before each retry.</summary>
public sealed record Retry(TimeSpan Timeout, int MaxRetries, IvrPrompt? NoInput, IvrPrompt? NoMatch, string Fallback);

public sealed record MenuOption(string? Digit, IReadOnlyList<string> Phrases, string Next);

public sealed record MenuNode(string Id, IvrPrompt Prompt, IReadOnlyList<MenuOption> Options, Retry Retry) : IvrNode(Id)
{
    public override bool WaitsForCaller => true;

    public override IEnumerable<(string, string)> Exits =>
        Options.Select((o, i) => ($"options/{i}/next", o.Next)).Append(("fallback", Retry.Fallback));
}

public sealed record CollectDigitsNode(string Id, IvrPrompt Prompt, int MinDigits, int MaxDigits, char? Terminator, string Variable,
    string? Pattern, Retry Retry, string Next) : IvrNode(Id)
{
    public override bool WaitsForCaller => true;

    public override IEnumerable<(string, string)> Exits => [("next", Next), ("fallback", Retry.Fallback)];
}

public sealed record SpeechChoice(IReadOnlyList<string> Phrases, string Next);

public sealed record SpeechChoicesNode(string Id, IvrPrompt Prompt, IReadOnlyList<SpeechChoice> Choices, Retry Retry) : IvrNode(Id)
{
    public override bool WaitsForCaller => true;

    public override IEnumerable<(string, string)> Exits =>
        Choices.Select((c, i) => ($"choices/{i}/next", c.Next)).Append(("fallback", Retry.Fallback));
}

/// <summary>Branches on opening hours: its own, or those of an ACD queue (a queue without hours is always open).</summary>
public sealed record BusinessHoursNode(string Id, BusinessHours? Hours, string? QueueId, string Open, string Closed) : IvrNode(Id)
{
    public override IEnumerable<(string, string)> Exits => [("open", Open), ("closed", Closed)];
}

/// <summary>Adds skill requirements (lower-case skill to minimum proficiency) the ACD will match agents against.</summary>
public sealed record SetSkillsNode(string Id, IReadOnlyDictionary<string, int> Skills, string Next) : IvrNode(Id)
{
    public override IEnumerable<(string, string)> Exits => [("next", Next)];
}

public sealed record SetPriorityNode(string Id, int Priority, string Next) : IvrNode(Id)
{
    public override IEnumerable<(string, string)> Exits => [("next", Next)];
}

/// <summary>Ends the IVR: the call waits in an ACD queue.</summary>
public sealed record QueueNode(string Id, string QueueId, int? Priority, IReadOnlyDictionary<string, int> Skills) : IvrNode(Id);

/// <summary>Asks whether the caller wants a call back instead of waiting; pressing the accept digit books one.</summary>
public sealed record OfferCallbackNode(string Id, IvrPrompt Prompt, char AcceptDigit, string QueueId, TimeSpan Timeout, string Accepted, string Declined) : IvrNode(Id)
{
    public override bool WaitsForCaller => true;

    public override IEnumerable<(string, string)> Exits => [("accepted", Accepted), ("declined", Declined)];
}

public enum TransferKind
{
    PhoneNumber,
    Agent,
}

public sealed record TransferNode(string Id, TransferKind Kind, string Target) : IvrNode(Id);

/// <summary>Records a message that becomes a task in an ACD queue, like an email.</summary>
public sealed record VoicemailNode(string Id, IvrPrompt Prompt, int MaxSeconds, string QueueId) : IvrNode(Id);

public sealed record HangUpNode(string Id, IvrPrompt? Goodbye) : IvrNode(Id);

/// <summary>Continues at the entry of another flow (shared sub-menus, a common after-hours path).</summary>
public sealed record GotoNode(string Id, string FlowId) : IvrNode(Id);
