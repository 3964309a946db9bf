using ContactCenter.Functions.Local.CallAutomation;

namespace ContactCenter.Functions.Local.Messaging;

/// <summary>
/// Local mode's SMS and email simulator: served beside Call Automation under /simulator/acs with the same access key,
/// its delivery reports published through the local host's Event Grid path.
/// </summary>
public static class LocalMessagingRegistration
{
    public static IServiceCollection AddLocalMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new MessagingSimulatorOptions();
        configuration.GetSection(MessagingSimulatorOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddHttpClient(MessagingSimulatorEndpoints.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(provider =>
        {
            var acs = provider.GetRequiredService<CallAutomationSimulatorOptions>();
            // Resolved on first publish: the local host is built after the simulators.
            return new MessagingSimulator(options, new AcsAuthentication(acs.AccessKey, acs.AllowedClockSkew, acs.AcceptedBearerToken),
                provider.GetRequiredService<TimeProvider>(), gridEvent => provider.GetRequiredService<LocalFunctionsHost>().PublishEvent(gridEvent));
        });
        return services;
    }
}
