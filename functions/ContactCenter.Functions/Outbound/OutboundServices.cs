using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.State;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Outbound;

/// <summary>Outbound campaigns in the composition root, and their endpoints.</summary>
public static class OutboundServices
{
    public const string Section = "Outbound";

    public static IServiceCollection AddOutboundCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<CampaignDialerOptions>().Bind(configuration.GetSection(Section));
        services.AddSingleton<IValidateOptions<CampaignDialerOptions>, CampaignDialerOptionsValidator>();
        services.AddSingleton(provider => new CampaignDialer(
            provider.GetRequiredService<IStateStore>(),
            provider.GetRequiredService<IOutboundCallPlacer>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IQueueCatalog>(),
            provider.GetRequiredService<IOptions<CampaignDialerOptions>>().Value));
        services.AddSingleton<IOutboundOutcomeSink>(provider => provider.GetRequiredService<CampaignDialer>());
        services.AddSingleton<CampaignDialerFunction>();
        return services;
    }

    public static IEndpointRouteBuilder MapOutbound(this IEndpointRouteBuilder app)
    {
        app.MapTriggeredFunction<CampaignDialerFunction>(OutboundFunctions.Dialer);
        return app.MapOutboundApi();
    }
}

public sealed class CampaignDialerOptionsValidator : IValidateOptions<CampaignDialerOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignDialerOptions options)
    {
        var errors = new List<string>();
        if (options.AttemptTimeout < TimeSpan.FromMinutes(1) || options.AttemptTimeout > TimeSpan.FromHours(24))
        {
            errors.Add($"Outbound:AttemptTimeout is {options.AttemptTimeout}; use 00:01:00 to 1.00:00:00.");
        }
        if (options.MaxDueScannedPerRun is < 1 or > 5000)
        {
            errors.Add($"Outbound:MaxDueScannedPerRun is {options.MaxDueScannedPerRun}; use 1 to 5000.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
