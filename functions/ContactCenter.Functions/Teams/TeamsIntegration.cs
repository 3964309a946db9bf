using Azure.Core;
using Azure.Identity;
using ContactCenter.Azure.Teams;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Teams;
using ContactCenter.Core.Workspace;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter.Functions.Teams;

/// <summary>
/// Settings of the Teams integration (section <c>Teams</c>; app settings <c>Teams__AppId</c>,
/// <c>Teams__Notifications__Enabled</c>, <c>Teams__Graph__...</c>).
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>The Teams app's id as the tenant's catalog knows it: the manifest id when sideloaded, the catalog's external id when published to the org.</summary>
    public string? AppId { get; set; }

    public TeamsNotificationOptions Notifications { get; set; } = new();

    public TeamsGraphOptions Graph { get; set; } = new();
}

public sealed class TeamsNotificationOptions
{
    /// <summary>Off by default (and so in local mode): activity-feed notifications of new offers need Graph and an installed app.</summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// How the app reaches Microsoft Graph. Graph accepts activity notifications only from the Entra app named in the Teams
/// manifest's webApplicationInfo, so in Azure give that app registration's TenantId, ClientId and ClientSecret (a Key Vault
/// reference); without a secret the managed identity (ManagedIdentityClientId) or the default chain is used.
/// </summary>
public sealed class TeamsGraphOptions
{
    public string BaseUri { get; set; } = GraphActivityFeedClientOptions.DefaultBaseUri;
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? ManagedIdentityClientId { get; set; }
}

public sealed record RingTargetRequest(string? RingTarget);

/// <summary>
/// Teams: activity-feed notifications of new offers (queue <c>teams-notifications</c>, function TeamsNotifications) and
/// the agent's choice of where calls ring (<c>PUT /api/agents/{agentId}/voice-target</c>).
/// </summary>
public static class TeamsIntegration
{
    public static readonly FunctionDefinition Notifications = new("TeamsNotifications", new ServiceBusTrigger(QueueNames.TeamsNotifications));

    public static readonly FunctionDefinition AgentVoiceTarget = new("AgentVoiceTarget", new HttpTrigger("agents/{agentId}/voice-target", ["put"])) { Access = Security.WorkspaceAccess.OwnAgent };

    public static IReadOnlyList<FunctionDefinition> All { get; } = [Notifications, AgentVoiceTarget];

    internal static IServiceCollection AddTeams(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TeamsOptions.Section).Get<TeamsOptions>() ?? new TeamsOptions();
        services.AddSingleton(options);
        services.AddSingleton<TeamsNotificationsFunction>();
        if (!options.Notifications.Enabled)
        {
            return services;
        }
        if (string.IsNullOrWhiteSpace(options.AppId))
        {
            throw new InvalidOperationException("Teams__Notifications__Enabled is true but Teams__AppId is not set: give the Teams app's id (the manifest id, or the org catalog's external id).");
        }
        services.AddSingleton<IWorkspacePublisher, TeamsOfferPublisher>();
        services.TryAddSingleton<ITeamsActivityFeed>(_ => new GraphActivityFeedClient(new Uri(options.Graph.BaseUri), GraphCredential(options.Graph), options.AppId));
        services.AddSingleton(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<TeamsOfferNotifier>();
            return new TeamsOfferNotifier(provider.GetRequiredService<AcdService>(), provider.GetRequiredService<ITeamsActivityFeed>(),
                new TeamsAppOptions(options.AppId.Trim()), provider.GetRequiredService<TimeProvider>(),
                (ex, agentId) => logger.LogWarning(ex, "Teams activity notification of an offer to {AgentId} was not sent.", agentId));
        });
        return services;
    }

    internal static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        app.MapTriggeredFunction<TeamsNotificationsFunction>(Notifications);
        app.MapHttpFunction(AgentVoiceTarget, SetRingTargetAsync);
        return app;
    }

    private static TokenCredential GraphCredential(TeamsGraphOptions graph) =>
        !string.IsNullOrWhiteSpace(graph.ClientSecret)
            ? new ClientSecretCredential(graph.TenantId, graph.ClientId, graph.ClientSecret)
            : Extensions.ServiceCollectionExtensions.Credential(graph.ManagedIdentityClientId);

    /// <summary>
    /// <c>PUT /api/agents/{agentId}/voice-target</c> <c>{"ringTarget":"teams"|"default"}</c>: where the agent's calls ring.
    /// Answers the agent (ringTarget, teamsUserId); 400 when Teams is chosen without a Teams user id, 404 for an unknown agent.
    /// </summary>
    private static async Task<IResult> SetRingTargetAsync(HttpContext context)
    {
        var (request, problem) = await JsonBody.ReadAsync(context, ApiJsonContext.Default.RingTargetRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (!TeamsIdentity.TryParseRingTarget(request!.RingTarget, out var target))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ringTarget"] = ["Use \"default\" (the agent's voiceAddress) or \"teams\" (the agent's Teams identity)."] });
        }
        var agentId = context.Request.RouteValues["agentId"] as string ?? "";
        try
        {
            var agent = await context.RequestServices.GetRequiredService<AcdDispatcher>().SetRingTargetAsync(agentId, target, context.RequestAborted);
            return TypedResults.Json(agent, ApiJsonContext.Default.AgentState);
        }
        catch (NoTeamsIdentityException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ringTarget"] = [ex.Message] }, title: "No Teams identity");
        }
        catch (UnknownAgentException ex)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
    }
}

/// <summary>Sends one queued offer to the agent's Teams activity feed. Never fails the invocation: Graph trouble is logged.</summary>
public sealed class TeamsNotificationsFunction(IServiceProvider services) : ITriggeredFunction
{
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        WorkspaceMessage message;
        try
        {
            message = WorkspaceMessage.FromJson(invocation.BindingText(TeamsIntegration.Notifications.Trigger.Name));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidInvocationException(ex.Message, ex);
        }
        if (services.GetService<TeamsOfferNotifier>() is not { } notifier)
        {
            return new InvocationResult().Log("Teams notifications are off; message dropped.");
        }
        var sent = await notifier.NotifyAsync(message, cancellationToken);
        return new InvocationResult().Log(sent ? $"offer {message.AsOffer()?.ContactId} sent to {message.AgentId}'s Teams activity feed" : $"nothing sent to Teams for {message.AgentId}");
    }
}
