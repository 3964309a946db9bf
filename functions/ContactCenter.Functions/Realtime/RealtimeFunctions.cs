using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Azure.SignalR;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Workspace;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local;

namespace ContactCenter.Functions.Realtime;

/// <summary>Real-time push to agents' workspaces: negotiate and the queue-triggered sender (and local mode's SSE stream).</summary>
public static class RealtimeFunctions
{
    public const string Hub = "workspace";
    public const string SignalRMessagesOutput = "signalRMessages";

    /// <summary>Any signed-in agent or supervisor (bearer token); not audited: it opens a connection and changes nothing.</summary>
    public static readonly FunctionDefinition Negotiate = new("RealtimeNegotiate", new HttpTrigger("realtime/negotiate", ["post"]))
    {
        Access = Security.WorkspaceAccess.AnyAgent with { AuditsChanges = false },
    };

    /// <summary>
    /// Local mode's Server-Sent Events stream. Not a function: under the Functions host a forwarded response is buffered
    /// whole before the caller sees a byte (DefaultHttpWorkerService sends with HttpClient's default ResponseContentRead),
    /// so a stream could never work there; the host has no function.json for it and the route is mapped in local mode
    /// only. Not a workspace route either: an EventSource cannot send an Authorization header, so the stream proves
    /// itself with the one-time ticket negotiate put in its URL (issued to the signed-in caller, redeemed once within two minutes).
    /// </summary>
    public const string LocalEventsRoute = "/api/realtime/events";

    /// <summary>Drains workspace-notifications into the SignalR output binding (the local host plays that binding).</summary>
    public static readonly FunctionDefinition WorkspaceNotifications = new("WorkspaceNotifications",
        new ServiceBusTrigger(QueueNames.WorkspaceNotifications), new SignalROutput(SignalRMessagesOutput, Hub));

    public static IReadOnlyList<FunctionDefinition> All { get; } = [Negotiate, WorkspaceNotifications];

    /// <summary>The SignalR output binding's messages for one notification: to the agent's user id and/or the supervisors group.</summary>
    public static JsonArray SignalRMessages(WorkspaceMessage message)
    {
        var messages = new JsonArray();
        if (message.AgentId is { } agentId)
        {
            messages.Add((JsonNode)Message("userId", agentId, message));
        }
        if (message.Supervisors)
        {
            messages.Add((JsonNode)Message("groupName", WorkspaceMessage.SupervisorsGroup, message));
        }
        return messages;
    }

    private static JsonObject Message(string addressKind, string address, WorkspaceMessage message) => new()
    {
        [addressKind] = address,
        ["target"] = message.Type,
        ["arguments"] = new JsonArray(JsonNode.Parse(message.Data.GetRawText())),
    };
}

/// <summary>Where push goes: Azure SignalR Service when a connection is configured, else the local SSE hub (local mode).</summary>
public sealed class RealtimeOptions
{
    /// <summary>The SignalR client is null in local SSE mode.</summary>
    public SignalRServiceClient? SignalR { get; init; }

    public string Mode => SignalR is null ? "sse" : "signalr";

    public static SignalRServiceClient? CreateClient(IConfiguration configuration, TimeProvider timeProvider)
    {
        var setting = SignalROutput.ConnectionSetting;
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (configuration[setting] is { Length: > 0 } connectionString)
        {
            return new SignalRServiceClient(SignalRConnection.Parse(connectionString), http, timeProvider);
        }
        // Identity-based, as the extension reads it: <setting>__serviceUri (and __clientId for a user-assigned identity).
        if (configuration[$"{setting}:serviceUri"] is { Length: > 0 } serviceUri)
        {
            var credential = Extensions.ServiceCollectionExtensions.Credential(configuration[$"{setting}:clientId"]);
            return new SignalRServiceClient(new SignalRConnection(new Uri(serviceUri), null, credential), http, timeProvider);
        }
        http.Dispose();
        return null;
    }
}

/// <summary>Turns one queued notification into signalRMessages for the output binding.</summary>
public sealed class WorkspaceNotificationsFunction : ITriggeredFunction
{
    public Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        WorkspaceMessage message;
        try
        {
            message = WorkspaceMessage.FromJson(invocation.BindingText(RealtimeFunctions.WorkspaceNotifications.Trigger.Name));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidInvocationException(ex.Message, ex);
        }
        return Task.FromResult(new InvocationResult()
            .Output(RealtimeFunctions.SignalRMessagesOutput, RealtimeFunctions.SignalRMessages(message))
            .Log($"{message.Type} to {message.AgentId ?? "-"}{(message.Supervisors ? " and supervisors" : "")}"));
    }
}

/// <summary>
/// Local mode plays the SignalR output binding: messages go to the configured SignalR Service's REST API (a test's stand-in,
/// or a real one), else to the local SSE hub.
/// </summary>
public sealed class LocalSignalRBinding(RealtimeOptions options, LocalWorkspaceHub hub) : ILocalSignalRBinding
{
    public async Task DeliverAsync(string hubName, JsonNode value, CancellationToken cancellationToken)
    {
        var messages = value is JsonArray array ? array.Where(m => m is not null).ToList() : [value];
        foreach (var node in messages)
        {
            var target = node!["target"]?.GetValue<string>() ?? throw new InvalidOperationException("A SignalR message needs a target.");
            var arguments = (node["arguments"] as JsonArray ?? []).Select(a => ToElement(a)).ToList();
            var (userId, group) = (node["userId"]?.GetValue<string>(), node["groupName"]?.GetValue<string>());
            if (options.SignalR is { } signalR)
            {
                var invocation = new SignalRInvocation(target, arguments);
                await (userId is not null ? signalR.SendToUserAsync(hubName, userId, invocation, cancellationToken)
                    : group is not null ? signalR.SendToGroupAsync(hubName, group, invocation, cancellationToken)
                    : Task.CompletedTask);
                continue;
            }
            var pushed = new PushedMessage(target, arguments.FirstOrDefault());
            _ = userId is not null ? hub.SendToUser(userId, pushed) : group is not null ? hub.SendToGroup(group, pushed) : 0;
        }
    }

    private static JsonElement ToElement(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }
}
