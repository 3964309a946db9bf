using ContactCenter.Functions.Acd;
using ContactCenter.Functions.AgentWidget;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Conversations;
using ContactCenter.Functions.Messaging;
using ContactCenter.Functions.Extensions;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Ivr;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Voice;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Functions.Local.Messaging;
using ContactCenter.Functions.Outbound;
using ContactCenter.Functions.Security;

namespace ContactCenter.Functions;

/// <summary>Builds the web application: the same app under the Functions host and in local mode.</summary>
public static class ContactCenterApp
{
    /// <param name="args">Command-line arguments (configuration such as --urls).</param>
    /// <param name="configuration">Extra configuration sources, applied before the hosting mode is decided (tests use it).</param>
    /// <param name="services">Service overrides, applied after the app's own registrations (tests use it).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configuration = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configuration?.Invoke(builder.Configuration);
        var hosting = HostingEnvironment.From(builder.Configuration);

        if (hosting.Mode == HostingMode.FunctionsHost)
        {
            // The host talks to the handler over loopback only, on the port it chose.
            if (hosting.ParsedPort is { } port)
            {
                builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            }
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                builder.WebHost.UseUrls(HostingEnvironment.DefaultLocalUrl);
            }
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Services.AddContactCenter(builder.Configuration, hosting);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapContactCenter(hosting);
        return app;
    }

    public static WebApplication MapContactCenter(this WebApplication app, HostingEnvironment hosting)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapHttpFunction<HealthFunction>(FunctionCatalog.Health);
        app.MapTriggeredFunction<AcsEventsFunction>(FunctionCatalog.AcsEvents);
        app.MapTriggeredFunction<InboundEventsFunction>(FunctionCatalog.InboundEvents);
        app.MapTriggeredFunction<HeartbeatFunction>(FunctionCatalog.Heartbeat);
        app.MapTriggeredFunction<AcdRoutingFunction>(AcdFunctions.Routing);
        app.MapTriggeredFunction<OfferSweepFunction>(AcdFunctions.OfferSweep);
        app.MapAcdApi();
        app.MapAgentWorkspaceApi();
        app.MapSupervisorApi();
        app.MapUnprocessableApi();
        app.MapRoutingRulesApi();
        app.MapIvrFlowsApi();
        app.MapVoice(hosting);
        app.MapConversations();
        app.MapEmailChannel();
        app.MapOutbound();
        app.MapAgentWidget();
        app.MapWorkspaceSecurity(hosting);
        Realtime.RealtimeApi.MapRealtime(app);
        Teams.TeamsIntegration.MapTeams(app);

        if (hosting.Mode == HostingMode.Local)
        {
            app.UseCallAutomationSimulator();
            app.MapAcsSimulator();
            app.MapCallSimulator();
            app.MapMessagingSimulator();
            app.MapLocalAdmin();
            app.Lifetime.ApplicationStarted.Register(() => PrintLocalUrls(app));
        }
        return app;
    }

    private static void PrintLocalUrls(WebApplication app)
    {
        var baseUrl = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? HostingEnvironment.DefaultLocalUrl;
        var store = app.Services.GetRequiredService<ContactCenter.Core.State.IStateStore>().Kind;
        const string json = "-H 'content-type: application/json' -d";
        Console.WriteLine($$"""

            Contact center running in local mode ({{store}} store), listening on {{baseUrl}}
              Health:           {{baseUrl}}/api/health
              Customer simulator (call, text, email): {{baseUrl}}/simulator
              Agent console:    {{baseUrl}}/agent/
              Simulate an SMS:  curl -X POST {{baseUrl}}/simulator/sms {{json}} '{"from":"+14255550100","to":"+18005550199","message":"hello"}'
              Simulate a call:  curl -X POST {{baseUrl}}/simulator/calls {{json}} '{"from":"+14255550100","to":"+18005550199"}'
              Run a function:   curl -X POST {{baseUrl}}/admin/functions/Heartbeat {{json}} '{}'
              Dead letters:     {{baseUrl}}/admin/local/dead-letters
            Press Ctrl+C to stop.

            """);
    }
}
