using ContactCenter.Azure.Identity;
using ContactCenter.Core.Audit;
using ContactCenter.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Security;

/// <summary>Wires sign-in (Entra ID or local), the audit trail and their endpoints.</summary>
public static class SecurityRegistration
{
    public static IServiceCollection AddWorkspaceSecurity(this IServiceCollection services, IConfiguration configuration, HostingEnvironment hosting)
    {
        services.AddOptionsWithValidateOnStart<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IAuditTrail, StateStoreAuditTrail>();
        if (hosting.Mode == HostingMode.Local)
        {
            // Local tokens exist only in local mode: the Functions host has no issuer, so it can never mint or accept one.
            services.AddSingleton(provider => new LocalTokenIssuer(provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<IOptions<AuthOptions>>().Value.LocalTokenLifetime));
        }
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AuthOptions>>().Value;
            if (options.ResolvedMode(hosting) == AuthOptions.LocalMode && provider.GetService<LocalTokenIssuer>() is { } local)
            {
                return new WorkspaceAuthenticator(local);
            }
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            return new WorkspaceAuthenticator(new OpenIdTokenValidator(options.ResolvedOpenIdConfigurationUri, http, provider.GetRequiredService<TimeProvider>()), options);
        });
        return services;
    }

    public static WebApplication MapWorkspaceSecurity(this WebApplication app, HostingEnvironment hosting)
    {
        // Local sign-in is mapped in local mode only; with Auth:Mode=entra it answers 404 (decided when options are validated, after mapping).
        app.MapSecurityApi(localSignIn: hosting.Mode == HostingMode.Local);
        return app;
    }
}
