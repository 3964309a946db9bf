using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core.Workspace;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter.Functions.Realtime;

/// <param name="Mode">"sse" (local stream) or "signalr" (Azure SignalR Service).</param>
/// <param name="AccessToken">The SignalR client access token; null in SSE mode, where the ticket is in the URL.</param>
public sealed record NegotiateResponse(string Mode, string Url, string? AccessToken);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NegotiateResponse))]
internal sealed partial class RealtimeJsonContext : JsonSerializerContext;

/// <summary>
/// POST /api/realtime/negotiate tells the workspace how to receive pushes; GET /api/realtime/events is the local
/// Server-Sent Events stream. Negotiate takes the caller from the bearer token (<see cref="WorkspaceUser"/>); the stream,
/// which a browser's EventSource opens without headers, from the one-time ticket negotiate issued.
/// </summary>
public static class RealtimeApi
{
    public static readonly TimeSpan ClientTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    internal static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration, HostingEnvironment hosting)
    {
        services.AddSingleton(provider => new RealtimeOptions { SignalR = RealtimeOptions.CreateClient(configuration, provider.GetRequiredService<TimeProvider>()) });
        services.AddSingleton<LocalWorkspaceHub>();
        services.AddSingleton<WorkspaceNotificationsFunction>();
        services.AddSingleton<IWorkspacePublisher, QueuedWorkspacePublisher>();
        services.AddSingleton(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<WorkspaceNotifier>();
            return new WorkspaceNotifier(provider.GetServices<IWorkspacePublisher>(),
                (ex, message) => logger.LogWarning(ex, "Workspace notification {Type} for {AgentId} was not published.", message.Type, message.AgentId));
        });
        services.TryAddSingleton<ITimelineListener>(provider =>
            new WorkspaceTimelineListener(provider.GetRequiredService<WorkspaceNotifier>(), provider.GetRequiredService<ContactCenter.Core.Conversations.ConversationRepository>));
        if (hosting.Mode == HostingMode.Local)
        {
            services.AddSingleton<ILocalSignalRBinding, LocalSignalRBinding>();
        }
        return services;
    }

    internal static WebApplication MapRealtime(this WebApplication app)
    {
        app.MapTriggeredFunction<WorkspaceNotificationsFunction>(RealtimeFunctions.WorkspaceNotifications);
        app.MapHttpFunction(RealtimeFunctions.Negotiate, NegotiateAsync);
        if (app.Services.GetRequiredService<HostingEnvironment>().Mode == HostingMode.Local)
        {
            app.MapGet(RealtimeFunctions.LocalEventsRoute, async context => await (await EventsAsync(context)).ExecuteAsync(context));
        }
        return app;
    }

    /// <summary>The signed-in caller (negotiate is a workspace function, so the bearer token has been checked).</summary>
    internal static WorkspaceSubscriberIdentity CallerOf(HttpContext context)
    {
        var user = context.GetWorkspaceUser();
        return new WorkspaceSubscriberIdentity(user.AgentId, user.IsSupervisor);
    }

    private static async Task<IResult> NegotiateAsync(HttpContext context)
    {
        var caller = CallerOf(context);
        var options = context.RequestServices.GetRequiredService<RealtimeOptions>();
        if (options.SignalR is { } signalR)
        {
            if (caller.IsSupervisor)
            {
                // User-to-group membership lives in the service, so every connection of this user gets the group's messages.
                await signalR.AddUserToGroupAsync(RealtimeFunctions.Hub, WorkspaceMessage.SupervisorsGroup, caller.AgentId, context.RequestAborted);
            }
            var info = await signalR.ClientInfoAsync(RealtimeFunctions.Hub, caller.AgentId, ClientTokenLifetime, context.RequestAborted);
            return TypedResults.Json(new NegotiateResponse("signalr", info.Url, info.AccessToken), RealtimeJsonContext.Default.NegotiateResponse);
        }
        // The SSE stream exists in local mode only: a forwarded response is buffered by the host (see LocalEventsRoute).
        if (context.RequestServices.GetRequiredService<HostingEnvironment>().Mode != HostingMode.Local)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "Real-time push is not configured",
                $"Set {SignalROutput.ConnectionSetting} (or {SignalROutput.ConnectionSetting}__serviceUri) to the SignalR Service.");
        }
        var ticket = context.RequestServices.GetRequiredService<LocalWorkspaceHub>().IssueTicket(caller);
        return TypedResults.Json(new NegotiateResponse("sse", $"{RealtimeFunctions.LocalEventsRoute}?access_token={ticket}", null), RealtimeJsonContext.Default.NegotiateResponse);
    }

    /// <summary>
    /// One SSE stream per connection: <c>event: &lt;type&gt;</c> + <c>data: &lt;json&gt;</c>, a comment every 15 s so proxies keep
    /// it open. Last-Event-ID is not honoured (nothing is replayed): a reconnecting workspace negotiates again and re-reads
    /// its state over HTTP.
    /// </summary>
    private static async Task<IResult> EventsAsync(HttpContext context)
    {
        var hub = context.RequestServices.GetRequiredService<LocalWorkspaceHub>();
        if (hub.Redeem(context.Request.Query["access_token"].FirstOrDefault()) is not { } caller)
        {
            return FunctionEndpoints.Problem(StatusCodes.Status401Unauthorized, "Stream ticket missing or used",
                "Open the stream with the URL POST /api/realtime/negotiate returned; each URL opens one stream within two minutes.");
        }
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = hub.Subscribe(caller);
        var aborted = context.RequestAborted;
        try
        {
            await WriteAsync(response, $": connected as {caller.AgentId}\nretry: 3000\n\n", aborted);
            long sequence = 0;
            while (!aborted.IsCancellationRequested)
            {
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                keepAlive.CancelAfter(KeepAliveInterval);
                try
                {
                    var message = await subscription.Reader.ReadAsync(keepAlive.Token);
                    var data = message.Data.ValueKind == JsonValueKind.Undefined ? "{}" : message.Data.GetRawText();
                    await WriteAsync(response, $"id: {++sequence}\nevent: {message.Type}\ndata: {data}\n\n", aborted);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
