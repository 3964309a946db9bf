namespace ContactCenter.Core.Voice;

/// <summary>What to play: synthesized speech or a prerecorded audio file.</summary>
public abstract record PlaySource
{
    private PlaySource()
    {
    }

    /// <summary>Text-to-speech. <see cref="VoiceName"/> (e.g. "en-US-JennyNeural") and <see cref="Language"/> (e.g. "en-US") are optional.</summary>
    public sealed record TextToSpeech : PlaySource
    {
        public TextToSpeech(string text)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(text);
            Text = text;
        }

        public string Text { get; }
        public string? VoiceName { get; init; }
        public string? Language { get; init; }
    }

    /// <summary>An audio file the provider fetches (for ACS: WAV, mono, 16 kHz).</summary>
    public sealed record AudioFile : PlaySource
    {
        public AudioFile(Uri url)
        {
            Url = CallUris.RequireAbsolute(url, nameof(url));
        }

        public Uri Url { get; }
    }
}

public sealed record PlayRequest(PlaySource Source)
{
    public PlaySource Source { get; } = Source ?? throw new ArgumentNullException(nameof(Source));

    /// <summary>Play to this participant only; null plays to everyone in the call.</summary>
    public CallTarget? To { get; init; }

    /// <summary>Repeat until cancelled (hold music, queue announcements).</summary>
    public bool Loop { get; init; }

    public string? OperationContext { get; init; }
}

public enum DtmfTone
{
    Zero,
    One,
    Two,
    Three,
    Four,
    Five,
    Six,
    Seven,
    Eight,
    Nine,
    A,
    B,
    C,
    D,
    Pound,
    Asterisk,
}

public static class DtmfTones
{
    /// <summary>The tone of a keypad character: 0-9, *, #, A-D.</summary>
    public static bool TryFromChar(char key, out DtmfTone tone)
    {
        tone = char.ToUpperInvariant(key) switch
        {
            >= '0' and <= '9' => (DtmfTone)(key - '0'),
            'A' => DtmfTone.A,
            'B' => DtmfTone.B,
            'C' => DtmfTone.C,
            'D' => DtmfTone.D,
            '#' => DtmfTone.Pound,
            '*' => DtmfTone.Asterisk,
            _ => (DtmfTone)(-1),
        };
        return (int)tone >= 0;
    }
}

/// <summary>What kind of input to collect.</summary>
public abstract record RecognizeInput
{
    private RecognizeInput()
    {
    }

    /// <summary>Keypad digits: up to <see cref="MaxTones"/>, ending early on a stop tone or a pause longer than <see cref="InterToneTimeout"/>.</summary>
    public sealed record Dtmf : RecognizeInput
    {
        public Dtmf(int maxTones)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxTones, 1);
            MaxTones = maxTones;
        }

        public int MaxTones { get; }

        /// <summary>1–60 s (the providers' range).</summary>
        public TimeSpan? InterToneTimeout
        {
            get;
            init => field = value is { } t && (t < TimeSpan.FromSeconds(1) || t > TimeSpan.FromSeconds(60))
                ? throw new ArgumentOutOfRangeException(nameof(InterToneTimeout), "Between 1 and 60 seconds.")
                : value;
        }

        public IReadOnlyList<DtmfTone> StopTones { get; init; } = [];
    }

    /// <summary>Free speech, transcribed.</summary>
    public sealed record Speech : RecognizeInput
    {
        public string? Language { get; init; }

        /// <summary>Silence after speech that ends the utterance.</summary>
        public TimeSpan? EndSilenceTimeout { get; init; }
    }

    /// <summary>A menu: each choice is matched by one of its phrases, or by its key if it has one.</summary>
    public sealed record Choices : RecognizeInput
    {
        public Choices(IReadOnlyList<RecognizeChoice> options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.Count == 0)
            {
                throw new ArgumentException("At least one choice is needed.", nameof(options));
            }
            Options = options;
        }

        public IReadOnlyList<RecognizeChoice> Options { get; }
        public string? Language { get; init; }
    }
}

public sealed record RecognizeChoice
{
    public RecognizeChoice(string label, IReadOnlyList<string> phrases, DtmfTone? tone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(phrases);
        if (phrases.Count == 0 || phrases.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A choice needs at least one non-empty phrase.", nameof(phrases));
        }
        Label = label;
        Phrases = phrases;
        Tone = tone;
    }

    public string Label { get; }
    public IReadOnlyList<string> Phrases { get; }
    public DtmfTone? Tone { get; }
}

/// <summary>Collect input from one participant, optionally after a prompt.</summary>
public sealed record RecognizeRequest(CallTarget Participant, RecognizeInput Input)
{
    public CallTarget Participant { get; } = Participant ?? throw new ArgumentNullException(nameof(Participant));
    public RecognizeInput Input { get; } = Input ?? throw new ArgumentNullException(nameof(Input));

    public PlaySource? Prompt { get; init; }

    /// <summary>Let the caller barge in over the prompt.</summary>
    public bool InterruptPrompt { get; init; } = true;

    /// <summary>How long to wait for the first input after the prompt: 0–300 s.</summary>
    public TimeSpan? InitialSilenceTimeout
    {
        get;
        init => field = value is { } t && (t < TimeSpan.Zero || t > TimeSpan.FromSeconds(300))
            ? throw new ArgumentOutOfRangeException(nameof(InitialSilenceTimeout), "Between 0 and 300 seconds.")
            : value;
    }

    public string? OperationContext { get; init; }
}
