using ContactCenter.Core.Ivr;
using ContactCenter.Core.Routing;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Ivr;

internal static class IvrServiceCollectionExtensions
{
    /// <summary>
    /// The IVR flows: <see cref="IvrFlowCatalog"/> (what calls read, <c>.Current</c>), starting from the deployed file
    /// and kept on the shared store's newest version by the same sync and watcher as the routing rules.
    /// </summary>
    public static IServiceCollection AddIvrFlows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<IvrFlowsOptions>().Bind(configuration.GetSection(IvrFlowsOptions.Section));
        services.AddSingleton<IValidateOptions<IvrFlowsOptions>, IvrFlowsOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<IvrFlowsOptions>>().Value.ResolvedPath;
            return new IvrFlowCatalog(IvrFlowReader.Parse(File.ReadAllText(path), provider.GetRequiredService<RoutingRulesCatalog>().QueueIds), path);
        });
        services.AddSingleton<IvrFlowsStore>();
        services.AddSingleton<IvrFlowsSync>();
        services.AddSingleton<IvrFlowsWatcher>();
        // After the routing rules' services, so flows are checked against the newest queues; file first, then the store.
        services.AddHostedService(provider => new ResolvedOnStart<IvrFlowsWatcher>(provider));
        services.AddHostedService(provider => new ResolvedOnStart<IvrFlowsSync>(provider));
        return services;
    }
}
