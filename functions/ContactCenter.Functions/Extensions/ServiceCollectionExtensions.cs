using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Monitor.OpenTelemetry.Exporter;
using ContactCenter.Azure.ServiceBus;
using ContactCenter.Azure.Tables;
using ContactCenter.Core.Events;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.Operations;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Functions.Voice;
using ContactCenter.Functions.Acd;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Conversations;
using ContactCenter.Functions.Messaging;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Ivr;
using ContactCenter.Functions.Local;
using ContactCenter.Functions.Local.CallAutomation;
using ContactCenter.Functions.Local.Messaging;
using ContactCenter.Functions.Outbound;
using ContactCenter.Functions.Security;
using ContactCenter.Functions.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContactCenter.Functions.Extensions;

/// <summary>The composition root: which implementation serves each contract, decided from validated settings.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddContactCenter(this IServiceCollection services, IConfiguration configuration, HostingEnvironment hosting)
    {
        services.AddSingleton(hosting);
        services.TryAddSingletonTimeProvider();
        services.AddOptionsWithValidateOnStart<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptionsWithValidateOnStart<LocalHostOptions>().Bind(configuration.GetSection(LocalHostOptions.Section));
        services.AddSingleton<IValidateOptions<LocalHostOptions>, LocalHostOptionsValidator>();
        services.AddOptionsWithValidateOnStart<HostingEnvironmentCheck>();
        services.AddSingleton<IValidateOptions<HostingEnvironmentCheck>, HostingEnvironmentValidator>();
        services.AddOptionsWithValidateOnStart<TelemetryOptions>().Configure(options =>
        {
            options.ConnectionString = configuration[TelemetryOptions.ConnectionStringVariable];
            options.AuthenticationString = configuration[TelemetryOptions.AuthenticationStringVariable];
        });
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        services.AddOptionsWithValidateOnStart<ServiceBusOptions>().Configure(options =>
        {
            var read = ServiceBusOptions.From(configuration);
            (options.ConnectionString, options.FullyQualifiedNamespace, options.ClientId) = (read.ConnectionString, read.FullyQualifiedNamespace, read.ClientId);
        });
        services.AddSingleton<IValidateOptions<ServiceBusOptions>, ServiceBusOptionsValidator>();

        services.AddSingleton<IStateStore>(CreateStateStore);
        services.AddOptionsWithValidateOnStart<RoutingRulesOptions>().Bind(configuration.GetSection(RoutingRulesOptions.Section));
        services.AddSingleton<IValidateOptions<RoutingRulesOptions>, RoutingRulesOptionsValidator>();
        // The deployed file's rules until the start-up sync has read the shared store's.
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<RoutingRulesOptions>>().Value.ResolvedPath;
            return new RoutingRulesCatalog(RoutingRules.Parse(File.ReadAllText(path)), path);
        });
        services.AddSingleton<IQueueCatalog>(provider => provider.GetRequiredService<RoutingRulesCatalog>());
        services.AddSingleton<AcdService>();
        services.AddSingleton<AcdDispatcher>();
        services.AddSingleton<ContactCenter.Core.Workspace.AgentWorkspace>();
        services.AddSingleton<AcdRoutingFunction>();
        services.AddSingleton<OfferSweepFunction>();
        services.AddSingleton<RoutingRulesStore>();
        services.AddSingleton<RoutingRulesSync>();
        services.AddSingleton<RoutingRulesWatcher>();
        // In this order: the deployed file is published first, then the newest shared version is applied.
        services.AddHostedService(provider => new ResolvedOnStart<RoutingRulesWatcher>(provider));
        services.AddHostedService(provider => new ResolvedOnStart<RoutingRulesSync>(provider));
        services.AddIvrFlows(configuration);
        services.AddSingleton<IUnprocessableEvents, UnprocessableEvents>();
        services.AddSingleton<InboundEventProcessor>();
        services.AddSingleton<Heartbeats>();

        services.AddSingleton<HealthFunction>();
        services.AddSingleton<AcsEventsFunction>();
        services.AddSingleton<InboundEventsFunction>();
        services.AddSingleton<HeartbeatFunction>();
        services.AddVoice(configuration);
        services.AddConversations(configuration);
        services.AddSmsChannel(configuration);
        services.AddEmailChannel(configuration);
        services.AddOutboundCampaigns(configuration);
        services.AddWorkspaceSecurity(configuration, hosting);
        Realtime.RealtimeApi.AddRealtime(services, configuration, hosting);
        Teams.TeamsIntegration.AddTeams(services, configuration);

        if (hosting.Mode == HostingMode.Local)
        {
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<LocalFunctionsHost>(provider, FunctionCatalog.All));
            services.AddHostedService(provider => provider.GetRequiredService<LocalFunctionsHost>());
            services.AddSingleton<IMessageSender, LocalMessageSender>();
            services.AddLocalCallAutomation(configuration);
            services.AddLocalMessaging(configuration);
        }
        else
        {
            // One ServiceBusClient (one AMQP connection) for the app; the sender caches a ServiceBusSender per queue.
            services.AddSingleton(CreateServiceBusClient);
            services.AddSingleton<IMessageSender>(provider => new ServiceBusMessageSender(provider.GetRequiredService<ServiceBusClient>()));
        }

        services.AddProblemDetails();
        services.AddContactCenterTelemetry(configuration);
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static IStateStore CreateStateStore(IServiceProvider provider)
    {
        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return new TableStateStore(new TableServiceClient(storage.ConnectionString, TableClientOptions()));
        }
        if (!string.IsNullOrWhiteSpace(storage.TableServiceUri))
        {
            return new TableStateStore(new TableServiceClient(new Uri(storage.TableServiceUri), Credential(storage.ManagedIdentityClientId), TableClientOptions()));
        }
        return new InMemoryStateStore(provider.GetRequiredService<TimeProvider>());
    }

    private static ServiceBusClient CreateServiceBusClient(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
        return options.NamespaceEndpoint is { } endpoint
            ? ServiceBusClients.FromNamespace(endpoint.Host, Credential(options.ClientId))
            : ServiceBusClients.FromConnectionString(options.ConnectionString!);
    }

    private static TableClientOptions TableClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    /// <summary>The user-assigned identity when its client id is given, else the default chain (developer sign-in locally).</summary>
    internal static TokenCredential Credential(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));

    private static void AddContactCenterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Azure SDK clients emit spans only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var version = typeof(ServiceCollectionExtensions).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("contact-center", serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddSource(ContactCenterTelemetry.Name, "ContactCenter.Communication", "Azure.*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(ContactCenterTelemetry.Name, ContactCenter.Core.Voice.VoiceMetrics.MeterName, ContactCenter.Core.Routing.AcdMetrics.MeterName)
                .AddAspNetCoreInstrumentation())
            .WithLogging(logging => { }, options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });

        var connectionString = configuration[TelemetryOptions.ConnectionStringVariable];
        // A malformed value is left to TelemetryOptionsValidator, which names the setting; the exporter's own error does not.
        if (!string.IsNullOrWhiteSpace(connectionString) && TelemetryOptionsValidator.IsUsableConnectionString(connectionString))
        {
            var telemetry = new TelemetryOptions { ConnectionString = connectionString, AuthenticationString = configuration[TelemetryOptions.AuthenticationStringVariable] };
            otel.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                if (telemetry.UsesEntraId)
                {
                    // Local authentication can then be disabled on the Application Insights resource.
                    options.Credential = Credential(telemetry.EntraClientId);
                }
            });
        }
    }
}
