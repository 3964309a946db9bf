namespace ContactCenter.Core.Ivr;

/// <summary>What happened on the call, as the telephony adapter reports it. <see cref="At"/> is the clock's time of it.</summary>
public abstract record IvrInput(DateTimeOffset At);

public sealed record CallStarted(DateTimeOffset At) : IvrInput(At);

public sealed record PlayCompleted(DateTimeOffset At) : IvrInput(At);

public sealed record DigitsReceived(string Digits, DateTimeOffset At) : IvrInput(At);

public sealed record SpeechRecognized(string Phrase, DateTimeOffset At) : IvrInput(At);

public enum RecognizeFailure
{
    /// <summary>The caller said and pressed nothing in time.</summary>
    Timeout,

    /// <summary>The caller said something the recognizer could not match.</summary>
    NoMatch,
}

public sealed record RecognizeFailed(RecognizeFailure Reason, DateTimeOffset At) : IvrInput(At);

public sealed record CallerHungUp(DateTimeOffset At) : IvrInput(At);

/// <summary>What the telephony adapter should do next, independent of any provider (ACS Call Automation, a simulator...).</summary>
public abstract record IvrAction;

/// <summary>Play a prompt; the flow continues when the adapter reports <see cref="PlayCompleted"/>.</summary>
public sealed record Play(IvrPrompt Prompt) : IvrAction;

public enum RecognizeKind
{
    Dtmf,
    Choices,
    DtmfOrChoices,
}

/// <summary>
/// Play the prompts (a retry's apology first, then the question) and listen for keys and/or the listed phrases; the
/// adapter answers with <see cref="DigitsReceived"/>, <see cref="SpeechRecognized"/> or <see cref="RecognizeFailed"/>.
/// </summary>
public sealed record Recognize(RecognizeKind Kind, IReadOnlyList<IvrPrompt> Prompts, TimeSpan Timeout) : IvrAction
{
    public int MinDigits { get; init; } = 1;
    public int MaxDigits { get; init; } = 1;
    public char? Terminator { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];
}

/// <summary>What the IVR learned about the caller, handed to the ACD with the contact.</summary>
public sealed record ContactAnnotations(int? Priority, IReadOnlyDictionary<string, int> Skills, IReadOnlyDictionary<string, string> Variables);

/// <summary>The IVR is done: the call waits in an ACD queue.</summary>
public sealed record QueueCall(string QueueId, ContactAnnotations Contact) : IvrAction;

/// <summary>The caller asked to be called back: the ACD should route a callback task to this queue.</summary>
public sealed record RequestCallback(string QueueId, ContactAnnotations Contact) : IvrAction;

public sealed record Transfer(TransferKind Kind, string Target) : IvrAction;

/// <summary>Play the prompt, record up to MaxSeconds, then end the call; the recording becomes a task in the queue.</summary>
public sealed record RecordVoicemail(IvrPrompt Prompt, int MaxSeconds, string QueueId, ContactAnnotations Contact) : IvrAction;

/// <summary>Say goodbye (if there is a prompt) and end the call.</summary>
public sealed record HangUp(IvrPrompt? Goodbye) : IvrAction;

/// <summary>The session to store until the next callback, and what to do now.</summary>
public sealed record IvrStep(IvrSession Session, IReadOnlyList<IvrAction> Actions);
