using System.Net.Mail;
using System.Text.Json.Serialization;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;

namespace ContactCenter.Core.Conversations;

/// <summary>
/// A way we know a customer: "phone:+14255550100" or "email:ann@contoso.com" — normalised, so the same number or
/// address written differently is the same identity — or, when the provider names a sender we cannot read as either
/// (an SMS "from" that is no phone number, a caller of an identifier kind we do not know), "raw:&lt;text as sent&gt;", so
/// the message is still filed on one customer instead of being lost.
/// </summary>
public sealed record CustomerIdentity
{
    private CustomerIdentity(string kind, string value) => (Kind, Value) = (kind, value);

    public string Kind { get; }
    public string Value { get; }

    public override string ToString() => $"{Kind}:{Value}";

    public static CustomerIdentity Phone(string number) =>
        CallAddresses.TryParse(number, out var target) && target is CallTarget.PhoneNumber phone
            ? new("phone", phone.Value)
            : throw new FormatException($"'{number}' is not an E.164 phone number.");

    /// <summary>A sender kept exactly as the provider named it (trimmed); never fails for non-empty text.</summary>
    public static CustomerIdentity Raw(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new("raw", text.Trim());
    }

    /// <summary>The phone identity when <paramref name="text"/> is a phone number, else the raw one.</summary>
    public static CustomerIdentity PhoneOrRaw(string text) =>
        TryParse(text, out var identity) && identity.Kind == "phone" ? identity : Raw(text);

    public static CustomerIdentity Email(string address)
    {
        try
        {
            return new("email", new MailAddress(address.Trim()).Address.ToLowerInvariant());
        }
        catch (FormatException)
        {
            throw new FormatException($"'{address}' is not an email address.");
        }
    }

    /// <summary>Reads "phone:+1..." / "email:..." (or a bare number or address).</summary>
    public static CustomerIdentity Parse(string text)
    {
        var value = text.Trim();
        return value.StartsWith("phone:", StringComparison.OrdinalIgnoreCase) ? Phone(value[6..])
            : value.StartsWith("email:", StringComparison.OrdinalIgnoreCase) ? Email(value[6..])
            : value.StartsWith("raw:", StringComparison.OrdinalIgnoreCase) && value.Length > 4 ? Raw(value[4..])
            : value.Contains('@', StringComparison.Ordinal) ? Email(value)
            : Phone(value);
    }

    public static bool TryParse(string? text, out CustomerIdentity identity)
    {
        identity = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        try
        {
            identity = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public Channel DefaultChannel => Kind == "email" ? Channel.Email : Channel.Sms;
}

/// <summary>One customer, however many ways they reach us. Identities are kept as "kind:value" strings.</summary>
public sealed record CustomerRecord
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string> Identities { get; init; } = [];

    /// <summary>The case in progress, if any: new messages and calls join it.</summary>
    public string? OpenConversationId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Set when this record was merged into another (the survivor): the record stays as a tombstone so its id still
    /// leads somewhere. It keeps its identities and open case so an interrupted merge can be finished by running it again.
    /// </summary>
    public string? MergedInto { get; init; }

    public DateTimeOffset? MergedAt { get; init; }

    /// <summary>The customers merged into this one, oldest first.</summary>
    public IReadOnlyList<string> MergedFrom { get; init; } = [];

    public string? IdentityOf(string kind) => Identities.FirstOrDefault(i => i.StartsWith(kind + ":", StringComparison.Ordinal))?[(kind.Length + 1)..];
}

[JsonConverter(typeof(JsonStringEnumConverter<ConversationStatus>))]
public enum ConversationStatus
{
    Open,
    Resolved,
}

/// <summary>
/// A case: what one customer wants, across every channel they use, until an agent resolves it. Replies go out on
/// <see cref="LastChannel"/> (the channel the customer used last) unless the agent chooses another.
/// </summary>
public sealed record ConversationRecord
{
    public required string Id { get; init; }
    public required string CustomerId { get; init; }
    public ConversationStatus Status { get; init; } = ConversationStatus.Open;

    /// <summary>Short reference put in email subjects, "[#C-4F2A9B]", so replies find the case even without headers.</summary>
    public required string Token { get; init; }

    public string? Subject { get; init; }
    public required Channel LastChannel { get; init; }

    /// <summary>The customer's address on <see cref="LastChannel"/> (E.164 or email) and ours they wrote to.</summary>
    public string? CustomerAddress { get; init; }
    public string? OurAddress { get; init; }

    /// <summary>The agent who handled it last: preferred when the customer comes back (sticky routing).</summary>
    public string? AgentId { get; init; }

    /// <summary>The ACD contact handling it now, and how many there have been ("{Id}~{n}").</summary>
    public string? ContactId { get; init; }
    public int ContactCount { get; init; }

    /// <summary>Message-IDs of the email thread, oldest first: replies name the last in In-Reply-To and all in References.</summary>
    public IReadOnlyList<string> EmailThread { get; init; } = [];

    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<Direction>))]
public enum Direction
{
    Inbound,
    Outbound,

    /// <summary>Neither from nor to the customer: a note of ours, such as a merge of two records.</summary>
    Internal,
}

/// <summary>What a timeline entry is: something exchanged with the customer, or an agent's internal record of the case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimelineEntryKind>))]
public enum TimelineEntryKind
{
    /// <summary>A text, email or call with the customer.</summary>
    Communication,

    /// <summary>An agent's internal note on the case: never sent to the customer.</summary>
    Note,

    /// <summary>An agent's wrap-up of a contact: its disposition code and notes; internal too.</summary>
    WrapUp,
}

/// <summary>
/// One thing on a customer's timeline: a text, an email, a call, in or out, with its delivery status — or an agent's
/// internal note or wrap-up (<see cref="Kind"/>), which only agents see.
/// </summary>
public sealed record TimelineEntry
{
    public TimelineEntryKind Kind { get; init; } = TimelineEntryKind.Communication;

    /// <summary>Agents only: never sent to the customer.</summary>
    public bool Internal => Kind != TimelineEntryKind.Communication;

    public required string Id { get; init; }
    public required string CustomerId { get; init; }
    public string? ConversationId { get; init; }
    /// <summary>Null for notes that belong to no channel (a merge).</summary>
    public required Channel? Channel { get; init; }

    public required Direction Direction { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The text of a message (bounded), or what happened on a call.</summary>
    public string? Text { get; init; }

    public string? Subject { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? AgentId { get; init; }
    public string? ContactId { get; init; }

    /// <summary>The provider's id (SMS message id, email operation id, RFC Message-ID, call id): correlates reports.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>received, queued, sent, delivered, failed, bounced, opted-out ... as far as we know.</summary>
    public string? Status { get; init; }
    public string? StatusDetails { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];

    public const int MaxText = 16_000;
}
