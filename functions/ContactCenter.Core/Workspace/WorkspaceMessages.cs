using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Conversations;
using ContactCenter.Core.Routing;

namespace ContactCenter.Core.Workspace;

/// <summary>The message types agents' workspaces receive; SSE <c>event:</c> names and SignalR targets alike.</summary>
public static class WorkspaceMessageTypes
{
    public const string Offer = "offer";
    public const string OfferWithdrawn = "offerWithdrawn";
    public const string ContactAssigned = "contactAssigned";
    public const string ContactEnded = "contactEnded";
    public const string Timeline = "timeline";
    public const string Agent = "agent";
    public const string Board = "board";
}

/// <summary>Why an offer left the agent's screen.</summary>
public static class OfferWithdrawnReasons
{
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Expired = "expired";
    public const string Reassigned = "reassigned";
}

public sealed record OfferNotice(string ContactId, Channel Channel, string QueueId, string? CustomerId, string? ConversationId, DateTimeOffset ExpiresAt);

public sealed record OfferWithdrawnNotice(string ContactId, string Reason);

public sealed record ContactAssignedNotice(string ContactId, Channel Channel, string? CustomerId, string? ConversationId);

public sealed record ContactEndedNotice(string ContactId);

public sealed record TimelineNotice(string CustomerId, string? ConversationId, TimelineEntry Entry);

/// <summary>Supervisors: something on the board changed; read it again.</summary>
public sealed record BoardNotice;

/// <summary>
/// One notification on its way to workspaces: its type, its one JSON object, and who gets it — one agent (the SignalR
/// user id), the <see cref="SupervisorsGroup"/>, or both. This is also the body of a <c>workspace-notifications</c>
/// queue message.
/// </summary>
public sealed record WorkspaceMessage(string Type, JsonElement Data)
{
    /// <summary>The SignalR group (and local hub group) supervisors' connections join.</summary>
    public const string SupervisorsGroup = "supervisors";

    public string? AgentId { get; init; }
    public bool Supervisors { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, WorkspaceJsonContext.Default.WorkspaceMessage);

    public static WorkspaceMessage FromJson(string json)
    {
        WorkspaceMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, WorkspaceJsonContext.Default.WorkspaceMessage);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"A workspace notification is not valid JSON: {ex.Message}", nameof(json), ex);
        }
        if (message is null || string.IsNullOrWhiteSpace(message.Type) || message.Data.ValueKind != JsonValueKind.Object
            || message.AgentId is null && !message.Supervisors)
        {
            throw new ArgumentException("A workspace notification needs a type, a data object and an agentId or supervisors: true.", nameof(json));
        }
        return message;
    }

    public static WorkspaceMessage Offer(string agentId, OfferNotice notice) =>
        new(WorkspaceMessageTypes.Offer, Element(notice, WorkspaceJsonContext.Default.OfferNotice)) { AgentId = agentId, Supervisors = true };

    public static WorkspaceMessage OfferWithdrawn(string agentId, OfferWithdrawnNotice notice) =>
        new(WorkspaceMessageTypes.OfferWithdrawn, Element(notice, WorkspaceJsonContext.Default.OfferWithdrawnNotice)) { AgentId = agentId };

    public static WorkspaceMessage ContactAssigned(string agentId, ContactAssignedNotice notice) =>
        new(WorkspaceMessageTypes.ContactAssigned, Element(notice, WorkspaceJsonContext.Default.ContactAssignedNotice)) { AgentId = agentId };

    /// <param name="agentId">The agent who had it, if anyone did.</param>
    public static WorkspaceMessage ContactEnded(string? agentId, ContactEndedNotice notice) =>
        new(WorkspaceMessageTypes.ContactEnded, Element(notice, WorkspaceJsonContext.Default.ContactEndedNotice)) { AgentId = agentId, Supervisors = true };

    public static WorkspaceMessage Timeline(string agentId, TimelineNotice notice) =>
        new(WorkspaceMessageTypes.Timeline, Element(notice, WorkspaceJsonContext.Default.TimelineNotice)) { AgentId = agentId };

    public static WorkspaceMessage Agent(AgentState agent) =>
        new(WorkspaceMessageTypes.Agent, Element(agent, WorkspaceJsonContext.Default.AgentState)) { AgentId = agent.Id };

    public static WorkspaceMessage Board() =>
        new(WorkspaceMessageTypes.Board, Element(new BoardNotice(), WorkspaceJsonContext.Default.BoardNotice)) { Supervisors = true };

    /// <summary>Reads the data back as the notice its type names (Teams reads offers this way).</summary>
    public OfferNotice? AsOffer() => Type == WorkspaceMessageTypes.Offer ? Data.Deserialize(WorkspaceJsonContext.Default.OfferNotice) : null;

    private static JsonElement Element<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToElement(value, typeInfo);
}

/// <summary>
/// Workspace JSON: camelCase with enums as strings, the same shape the HTTP API answers (an <c>agent</c> message carries
/// the agent exactly as GET /api/agents/{id} returns it).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(WorkspaceMessage))]
[JsonSerializable(typeof(OfferNotice))]
[JsonSerializable(typeof(OfferWithdrawnNotice))]
[JsonSerializable(typeof(ContactAssignedNotice))]
[JsonSerializable(typeof(ContactEndedNotice))]
[JsonSerializable(typeof(TimelineNotice))]
[JsonSerializable(typeof(BoardNotice))]
[JsonSerializable(typeof(AgentState))]
public sealed partial class WorkspaceJsonContext : JsonSerializerContext;
