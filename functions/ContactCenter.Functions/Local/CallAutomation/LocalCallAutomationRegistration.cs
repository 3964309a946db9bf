using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Local.Messaging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// Local mode's voice wiring: the Call Automation simulator, and the app's real <see cref="CallAutomationClient"/>
/// pointed at it (on the app's own address, signed with the simulator's access key) unless <c>Acs:ConnectionString</c>
/// names a real ACS resource. Also supplies the callback validator's settings for the simulator's tokens.
/// </summary>
public static class LocalCallAutomationRegistration
{
    public const string BasePath = "/simulator/acs";
    public const string ConnectionStringSetting = "Acs:ConnectionString";
    public const string EndpointSetting = "Acs:Endpoint";
    public const string OpenIdConfigurationUrlSetting = "Voice:Callbacks:OpenIdConfigurationUrl";
    public const string AudienceSetting = "Voice:Callbacks:Audience";

    public static IServiceCollection AddLocalCallAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new CallAutomationSimulatorOptions();
        configuration.GetSection(CallAutomationSimulatorOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton(provider => new CallbackTokenIssuer(options.ResourceId, provider.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(HttpCallbackSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<HttpCallbackSender>();
        services.AddSingleton<ICallbackSink>(provider => provider.GetRequiredService<HttpCallbackSender>());
        services.AddSingleton(provider => new CallAutomationSimulator(options, provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ICallbackSink>(), provider.GetRequiredService<CallbackTokenIssuer>()));
        services.AddSingleton<SimulatorAddress>();

        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]) || !string.IsNullOrWhiteSpace(configuration[EndpointSetting]))
        {
            return services; // a real ACS resource: the voice channel's own registration (AcsOptions) serves it
        }
        services.AddSingleton<ICallControl>(provider => new SimulatorCallControl(provider));
        services.AddSingleton<ContactCenter.Core.Channels.ISmsProvider>(provider => new SimulatorSmsProvider(provider));
        services.AddSingleton<ContactCenter.Core.Channels.IEmailProvider>(provider => new SimulatorEmailProvider(provider));
        // The validator reads these like any setting; the URL holds the configured address until the real one is known.
        configuration[AudienceSetting] ??= options.ResourceId;
        if (configuration[OpenIdConfigurationUrlSetting] is null)
        {
            var configured = (configuration[WebHostDefaults.ServerUrlsKey] ?? Configuration.HostingEnvironment.DefaultLocalUrl).Split(';')[0];
            configuration[OpenIdConfigurationUrlSetting] = OpenIdConfigurationUrl(LocalFunctionsHost.Loopback(configured));
            services.AddHostedService(provider => new SimulatorAddressPublisher(provider, configuration));
        }
        return services;
    }

    public static string OpenIdConfigurationUrl(Uri appBase) =>
        new Uri(appBase, BasePath + CallAutomationSimulator.OpenIdConfigurationPath).AbsoluteUri;

    /// <summary>Serves the simulated ACS resource under <see cref="BasePath"/>: SMS and Email paths to the messaging simulator, the rest to Call Automation.</summary>
    public static IApplicationBuilder UseCallAutomationSimulator(this IApplicationBuilder app)
    {
        var simulator = app.ApplicationServices.GetRequiredService<CallAutomationSimulator>();
        var messaging = app.ApplicationServices.GetService<MessagingSimulator>();
        return app.Map(BasePath, branch => branch.Run(context =>
            messaging is not null && MessagingSimulator.Serves(context.Request.Path) ? messaging.HandleAsync(context) : simulator.HandleAsync(context)));
    }

    /// <summary>The app's own address, known once Kestrel listens (tests bind port 0).</summary>
    internal sealed class SimulatorAddress(IServer server)
    {
        public Uri AppBase => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            ? LocalFunctionsHost.Loopback(address)
            : throw new InvalidOperationException("The Call Automation simulator is reached on the app's own address, which is known once the server has started.");

        public Uri Endpoint => new(AppBase, BasePath + "/");
    }

    /// <summary>Replaces the configured address in the callback settings with the one actually bound.</summary>
    private sealed class SimulatorAddressPublisher(IServiceProvider provider, IConfiguration configuration) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
                configuration[OpenIdConfigurationUrlSetting] = OpenIdConfigurationUrl(provider.GetRequiredService<SimulatorAddress>().AppBase));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
