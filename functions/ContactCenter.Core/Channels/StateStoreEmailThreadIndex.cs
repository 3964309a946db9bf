using ContactCenter.Core.State;

namespace ContactCenter.Core.Channels;

/// <summary>
/// <see cref="IEmailThreadIndex"/> on the state store: table <see cref="TableNames.EmailThreads"/>, a partition per
/// Message-ID (hashed when it is not a valid key: Message-IDs may hold '/' or '#'), one row naming the conversation.
/// Upserts, so remembering twice (a redelivered event) is harmless.
/// </summary>
public sealed class StateStoreEmailThreadIndex(IStateStore store) : IEmailThreadIndex
{
    private const string Row = "thread";
    private const string ConversationProperty = "ConversationId";
    private const string MessageIdProperty = "MessageId";

    public async Task<string?> FindConversationAsync(IEnumerable<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        foreach (var id in messageIds)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                continue;
            }
            var entity = await store.GetAsync(TableNames.EmailThreads, Key(id), Row, cancellationToken).ConfigureAwait(false);
            if (entity?.GetString(ConversationProperty) is { Length: > 0 } conversationId)
            {
                return conversationId;
            }
        }
        return null;
    }

    public Task RememberAsync(string messageId, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return store.UpsertAsync(TableNames.EmailThreads, new StateEntity(Key(messageId), Row, new Dictionary<string, object?>
        {
            [ConversationProperty] = conversationId,
            [MessageIdProperty] = messageId.Length <= 1024 ? messageId : null,
        }), cancellationToken);
    }

    // Message-IDs compare exactly (RFC 5322 leaves their case meaningful), after the brackets/whitespace are normalized.
    private static string Key(string messageId) => StateKeys.ToSafeKey(EmailThreading.NormalizeMessageId(messageId) ?? messageId);
}
