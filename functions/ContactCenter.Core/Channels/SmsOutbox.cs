namespace ContactCenter.Core.Channels;

/// <summary>The texts sent in answer to the keywords, and the length limit. Each reply must itself fit the limit.</summary>
public sealed record SmsOutboxOptions
{
    /// <summary>The one confirmation carriers require after STOP; nothing else is sent to the number afterwards.</summary>
    public string OptOutConfirmation { get; init; } = "You are unsubscribed and will receive no more messages from this number. Reply START to resubscribe.";

    public string OptInConfirmation { get; init; } = "You are subscribed again. Reply HELP for help, STOP to unsubscribe. Msg & data rates may apply.";

    public string HelpReply { get; init; } = "Contact center messages. Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.";

    /// <summary>The most segments one text may take (<see cref="SmsText.DefaultMaxSegments"/> unless set).</summary>
    public int MaxSegments { get; init; } = SmsText.DefaultMaxSegments;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public SmsOutboxOptions Validate()
    {
        if (MaxSegments < 1)
        {
            throw new ArgumentException($"MaxSegments must be at least 1, not {MaxSegments}.");
        }
        foreach (var (name, text) in new[] { (nameof(OptOutConfirmation), OptOutConfirmation), (nameof(OptInConfirmation), OptInConfirmation), (nameof(HelpReply), HelpReply) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException($"{name} must not be empty.");
            }
            try
            {
                SmsText.EnsureSendable(text, MaxSegments);
            }
            catch (SmsTooLongException ex)
            {
                throw new ArgumentException($"{name}: {ex.Message}", ex);
            }
        }
        return this;
    }
}

/// <summary>
/// What a keyword text did: the keyword; <see cref="Changed"/> when the opt-out state now stored is the one this text
/// set (also true for a redelivery of that same text), false when it repeated the current state or came after a newer
/// change; and the reply sent (null when none).
/// </summary>
public sealed record SmsKeywordResult(SmsKeyword Keyword, bool Changed, SmsSendResult? Reply)
{
    /// <summary>The text of <see cref="Reply"/>, so it can be shown where the customer's keyword is recorded.</summary>
    public string? ReplyText { get; init; }
}

/// <summary>The customer opted out of texts from this number (or from all ours): nothing was sent.</summary>
public sealed class SmsRecipientOptedOutException(string from, string to, DateTimeOffset since)
    : Exception($"{to} has opted out of texts from {from} (since {since:u}); nothing was sent.")
{
    public string From { get; } = from;
    public string To { get; } = to;
    public DateTimeOffset Since { get; } = since;
}

/// <summary>
/// Sending texts and answering the SMS keywords. Every text but the keyword replies goes through
/// <see cref="SendAsync"/>, which refuses opted-out numbers and oversize texts before anything reaches the provider.
/// </summary>
public sealed class SmsOutbox
{
    private readonly ISmsProvider _provider;
    private readonly SmsOptOutRegistry _optOuts;
    private readonly SmsOutboxOptions _options;

    public SmsOutbox(ISmsProvider provider, SmsOptOutRegistry optOuts, SmsOutboxOptions? options = null)
    {
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _optOuts = optOuts ?? throw new ArgumentNullException(nameof(optOuts));
        _options = (options ?? new SmsOutboxOptions()).Validate();
    }

    /// <summary>
    /// Sends one text. Throws <see cref="SmsRecipientOptedOutException"/> when the customer opted out,
    /// <see cref="SmsTooLongException"/> when it is over the limit, <see cref="ArgumentException"/> when it is empty;
    /// the provider's refusal of the number is a result with Accepted false; transient provider failures throw.
    /// </summary>
    public async Task<SmsSendResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        if (string.IsNullOrWhiteSpace(sms.Text))
        {
            throw new ArgumentException("An empty text is not sent.", nameof(sms));
        }
        SmsText.EnsureSendable(sms.Text, _options.MaxSegments);
        if (await OptedOutSinceAsync(sms.From, sms.To, cancellationToken).ConfigureAwait(false) is { } since)
        {
            throw new SmsRecipientOptedOutException(sms.From, sms.To, since);
        }
        return await _provider.SendAsync(sms, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Acts on a keyword text (<see cref="SmsKeywords"/>): STOP records the opt-out and sends the one confirmation, START
    /// records the opt-in and confirms it, HELP answers with the help text (also to opted-out numbers, as carriers
    /// require). A keyword that changes nothing (a repeat, a late or duplicated event) sends nothing; a confirmation
    /// that failed is sent when the event is retried. Returns <see cref="SmsKeyword.None"/> for ordinary messages,
    /// which are left to the conversation.
    /// </summary>
    public async Task<SmsKeywordResult> HandleKeywordAsync(InboundSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var keyword = SmsKeywords.Classify(sms.Text);
        // The customer wrote from their number to ours: the reply goes back the other way.
        var (customer, ours) = (sms.From, sms.To);
        switch (keyword)
        {
            case SmsKeyword.OptOut:
            case SmsKeyword.OptIn:
                var optOut = keyword == SmsKeyword.OptOut;
                var reason = "keyword " + sms.Text.Trim().ToUpperInvariant();
                var state = optOut
                    ? await _optOuts.OptOutAsync(customer, ours, sms.ReceivedAt, reason, cancellationToken).ConfigureAwait(false)
                    : await _optOuts.OptInAsync(customer, ours, sms.ReceivedAt, reason, cancellationToken).ConfigureAwait(false);
                var changedNow = state.OptedOut == optOut && SmsOptOutRegistry.SameTime(state.ChangedAt, sms.ReceivedAt);
                if (!changedNow || state.ConfirmedAt is not null)
                {
                    return new SmsKeywordResult(keyword, changedNow, null);
                }
                var text = optOut ? _options.OptOutConfirmation : _options.OptInConfirmation;
                // Not through SendAsync: the STOP confirmation goes to a number that has just opted out.
                var reply = await _provider.SendAsync(new OutgoingSms(ours, customer, text) { Tag = optOut ? "sms-opt-out" : "sms-opt-in" }, cancellationToken).ConfigureAwait(false);
                if (reply.Accepted)
                {
                    await _optOuts.MarkConfirmedAsync(customer, ours, state.ChangedAt, cancellationToken).ConfigureAwait(false);
                }
                return new SmsKeywordResult(keyword, true, reply) { ReplyText = text };
            case SmsKeyword.Help:
                var help = await _provider.SendAsync(new OutgoingSms(ours, customer, _options.HelpReply) { Tag = "sms-help" }, cancellationToken).ConfigureAwait(false);
                return new SmsKeywordResult(keyword, false, help) { ReplyText = _options.HelpReply };
            default:
                return new SmsKeywordResult(SmsKeyword.None, false, null);
        }
    }

    /// <summary>When the customer opted out of texts from <paramref name="ourNumber"/> (or all ours); null when they may be texted.</summary>
    public async Task<DateTimeOffset?> OptedOutSinceAsync(string ourNumber, string customerNumber, CancellationToken cancellationToken = default)
    {
        var ours = SmsOptOutRegistry.Number(ourNumber, nameof(ourNumber));
        DateTimeOffset? since = null;
        await foreach (var state in _optOuts.ListAsync(customerNumber, cancellationToken).ConfigureAwait(false))
        {
            if (state.OptedOut && (state.OurNumber is null || state.OurNumber == ours) && (since is null || state.ChangedAt < since))
            {
                since = state.ChangedAt;
            }
        }
        return since;
    }
}
