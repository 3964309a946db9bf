using ContactCenter.Core.Conversations;
using ContactCenter.Core.Voice;

namespace ContactCenter.Functions.Security;

/// <summary>
/// Access rules that depend on data, for handlers of workspace functions: the conversation or call must be
/// assigned to the caller (supervisors pass every check). Each throws <see cref="WorkspaceForbiddenException"/>,
/// which <see cref="WorkspaceEndpoint"/> answers with 403 problem+json. Unknown ids pass, so the handler answers 404.
/// </summary>
public static class WorkspaceGuard
{
    /// <summary>The caller must be <paramref name="agentId"/> (a body's agentId, for example) or a supervisor.</summary>
    public static void RequireActingAs(this HttpContext context, string agentId)
    {
        var user = context.GetWorkspaceUser();
        if (!user.MayActFor(agentId))
        {
            throw new WorkspaceForbiddenException($"You are signed in as '{user.AgentId}' and cannot act as '{agentId}'.");
        }
    }

    /// <summary>The case's agent (the one handling it now, or last) must be the caller.</summary>
    public static async Task RequireAssignedConversationAsync(this HttpContext context, string conversationId)
    {
        if (context.GetWorkspaceUser() is { IsSupervisor: false } user)
        {
            ConversationRecord? conversation = null;
            try
            {
                conversation = await context.RequestServices.GetRequiredService<ConversationService>().GetConversationAsync(conversationId, context.RequestAborted);
            }
            catch (UnknownConversationException)
            {
            }
            if (conversation is not null && conversation.AgentId != user.AgentId)
            {
                throw new WorkspaceForbiddenException($"Conversation '{conversationId}' is not assigned to you.");
            }
        }
    }

    /// <summary>The call's agent must be the caller.</summary>
    public static async Task RequireAssignedCallAsync(this HttpContext context, string callId)
    {
        if (context.GetWorkspaceUser() is { IsSupervisor: false } user
            && await context.RequestServices.GetRequiredService<VoiceService>().GetAsync(callId, context.RequestAborted) is { } stored
            && stored.Call.AgentId != user.AgentId)
        {
            throw new WorkspaceForbiddenException($"Call '{callId}' is not assigned to you.");
        }
    }
}
