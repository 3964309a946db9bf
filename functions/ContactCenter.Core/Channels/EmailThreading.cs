using System.Text.RegularExpressions;

namespace ContactCenter.Core.Channels;

/// <summary>How an inbound email was matched to a conversation.</summary>
public enum EmailThreadMatchKind
{
    InReplyTo,
    References,
    SubjectToken,
}

public sealed record EmailThreadMatch(string ConversationId, EmailThreadMatchKind By, string MatchedOn);

/// <summary>
/// Email threading: finds the conversation a customer's email continues, and shapes our outgoing emails so the
/// customer's reply can be found again. Matching order: In-Reply-To, then References newest first (mail clients
/// append, so the last one is the message replied to), then a subject token such as "[#CASE-123]" we put in our
/// subjects — the fallback for clients that drop the headers (and for replies to forwarded copies).
/// Subject tokens live in the same <see cref="IEmailThreadIndex"/> under <see cref="SubjectTokenKey"/>, so only tokens
/// we issued match: a made-up "[#CASE-999]" finds nothing.
/// </summary>
public sealed partial class EmailThreading
{
    private readonly string _domain;

    /// <param name="domain">The domain of our Message-IDs, e.g. the sending domain "contoso.com".</param>
    public EmailThreading(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        if (!DomainPattern().IsMatch(domain))
        {
            throw new ArgumentException($"'{domain}' is not a domain name for Message-IDs.", nameof(domain));
        }
        _domain = domain.Trim().ToLowerInvariant();
    }

    public string Domain => _domain;

    /// <summary>A new Message-ID for an email we send: "&lt;guid@domain&gt;" (the RFC 5322 form ACS accepts).</summary>
    public string NewMessageId() => $"<{Guid.NewGuid():N}@{_domain}>";

    /// <summary>Finds the conversation <paramref name="email"/> continues, or null: then it starts a new one.</summary>
    public static async Task<EmailThreadMatch?> FindConversationAsync(InboundEmail email, IEmailThreadIndex index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(index);
        if (NormalizeMessageId(email.InReplyTo) is { } inReplyTo
            && await index.FindConversationAsync([inReplyTo], cancellationToken).ConfigureAwait(false) is { } byReply)
        {
            return new EmailThreadMatch(byReply, EmailThreadMatchKind.InReplyTo, inReplyTo);
        }
        foreach (var reference in email.References.Reverse())
        {
            if (NormalizeMessageId(reference) is { } id && await index.FindConversationAsync([id], cancellationToken).ConfigureAwait(false) is { } byReference)
            {
                return new EmailThreadMatch(byReference, EmailThreadMatchKind.References, id);
            }
        }
        if (FindSubjectToken(email.Subject) is { } token
            && await index.FindConversationAsync([SubjectTokenKey(token)], cancellationToken).ConfigureAwait(false) is { } byToken)
        {
            return new EmailThreadMatch(byToken, EmailThreadMatchKind.SubjectToken, token);
        }
        return null;
    }

    /// <summary>
    /// Remembers an email of a conversation — one we sent, or a customer's we filed — so replies to it thread:
    /// its Message-ID, and the subject token when it carries one.
    /// </summary>
    public static async Task RememberAsync(IEmailThreadIndex index, string conversationId, string? messageId, string? subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        if (NormalizeMessageId(messageId) is { } id)
        {
            await index.RememberAsync(id, conversationId, cancellationToken).ConfigureAwait(false);
        }
        if (subject is not null && FindSubjectToken(subject) is { } token)
        {
            await index.RememberAsync(SubjectTokenKey(token), conversationId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The token of a "[#TOKEN]" in the subject (the last one, as a reply may quote an older one first), or null.</summary>
    public static string? FindSubjectToken(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }
        var matches = SubjectToken().Matches(subject);
        return matches.Count == 0 ? null : matches[^1].Groups["token"].Value;
    }

    /// <summary>The index key of a subject token; it cannot collide with a Message-ID, which has no '[' .</summary>
    public static string SubjectTokenKey(string token)
    {
        ValidateToken(token);
        return $"[#{token}]";
    }

    /// <summary>
    /// The subject of our reply: "Re: " once (not "Re: Re: Re:", nor "Re: AW:"), the customer's subject, and our token
    /// once at the end, even when the subject already carried it.
    /// </summary>
    public static string ReplySubject(string? originalSubject, string token)
    {
        ValidateToken(token);
        var subject = (originalSubject ?? string.Empty).Trim();
        subject = SubjectToken().Replace(subject, " ");
        while (ReplyPrefix().Match(subject) is { Success: true } prefix)
        {
            subject = subject[prefix.Length..];
        }
        subject = Whitespace().Replace(subject, " ").Trim();
        return subject.Length == 0 ? $"Re: [#{token}]" : $"Re: {subject} [#{token}]";
    }

    /// <summary>The subject of a first email we send about a conversation (no "Re:").</summary>
    public static string NewSubject(string subject, string token)
    {
        ValidateToken(token);
        var clean = Whitespace().Replace(SubjectToken().Replace(subject ?? string.Empty, " "), " ").Trim();
        return clean.Length == 0 ? $"[#{token}]" : $"{clean} [#{token}]";
    }

    /// <summary>A Message-ID as "&lt;local@domain&gt;", whitespace and folding removed; null when there is none.</summary>
    public static string? NormalizeMessageId(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return null;
        }
        var inner = Whitespace().Replace(messageId, string.Empty).Trim('<', '>');
        return inner.Length == 0 ? null : $"<{inner}>";
    }

    /// <summary>The Message-IDs of a References or In-Reply-To header value, in order ("&lt;a@x&gt; &lt;b@y&gt;").</summary>
    public static IReadOnlyList<string> ParseMessageIdList(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return [];
        }
        var ids = AngleAddr().Matches(headerValue).Select(m => $"<{m.Groups["id"].Value}>").ToList();
        // Some senders leave the angle brackets out: then the value is whitespace-separated ids.
        return ids.Count > 0 ? ids : headerValue.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(v => $"<{v.Trim('<', '>')}>").ToList();
    }

    private static void ValidateToken(string token)
    {
        if (string.IsNullOrEmpty(token) || !TokenOnly().IsMatch(token))
        {
            throw new ArgumentException($"Subject token '{token}' must be 1-64 letters, digits, '-' or '_' starting with a letter or digit.", nameof(token));
        }
    }

    [GeneratedRegex(@"\[#(?<token>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\]", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectToken();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenOnly();

    // "Re:", "RE :", "Re[2]:", "Aw:" (German), "Sv:" (Nordic), "Antw:" (Dutch), "Ref:"; repeated prefixes are stripped one by one.
    [GeneratedRegex(@"^\s*(re|aw|sv|antw|ref)\s*(\[\d+\])?\s*:\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<(?<id>[^<>\s]+)>")]
    private static partial Regex AngleAddr();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$")]
    private static partial Regex DomainPattern();
}
