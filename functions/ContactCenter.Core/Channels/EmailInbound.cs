namespace ContactCenter.Core.Channels;

/// <summary>
/// Where an inbound email goes once it is parsed and its attachments are stored: the conversation/timeline core
/// threads it (see <see cref="EmailThreading"/>) and files it. Called again for a redelivered email, so it must be
/// idempotent on <see cref="InboundEmail.MessageId"/>.
/// </summary>
public interface IInboundEmailSink
{
    Task ReceiveAsync(InboundEmail email, CancellationToken cancellationToken = default);
}

/// <summary>Message-IDs (and subject tokens) we know, and the conversation each belongs to.</summary>
public interface IEmailThreadIndex
{
    /// <summary>The conversation of the first id, in the order given, that is known; null when none is.</summary>
    Task<string?> FindConversationAsync(IEnumerable<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Remembers which conversation a Message-ID belongs to (idempotent: remembering it again changes nothing).</summary>
    Task RememberAsync(string messageId, string conversationId, CancellationToken cancellationToken = default);
}
