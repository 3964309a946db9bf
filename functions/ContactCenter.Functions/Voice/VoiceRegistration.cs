using ContactCenter.Azure.Communication;
using ContactCenter.Core.Events;
using ContactCenter.Core.Outbound;
using ContactCenter.Core.Routing;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Voice;

/// <summary>Wiring of the voice channel: settings, callback authentication, the Event Grid webhook, the voice service and its functions.</summary>
public static class VoiceRegistration
{
    public static IServiceCollection AddVoice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<VoiceCallbackOptions>().Bind(configuration.GetSection(VoiceCallbackOptions.Section));
        services.AddSingleton<IValidateOptions<VoiceCallbackOptions>, VoiceCallbackOptionsValidator>();
        services.AddSingleton(provider =>
        {
            // Validation has checked the secret; local mode without one signs with a key made for this run, so
            // callback URIs of an earlier run stop working after a restart, as their calls have too.
            var secret = provider.GetRequiredService<IOptions<VoiceCallbackOptions>>().Value.CallbackSecret;
            return CallbackSignature.FromBase64(string.IsNullOrWhiteSpace(secret) ? CallbackSignature.GenerateSecret() : secret);
        });
        services.AddSingleton(provider =>
        {
            var jwt = provider.GetRequiredService<IOptions<VoiceCallbackOptions>>().Value.Callbacks;
            var signature = provider.GetRequiredService<CallbackSignature>();
            if (!jwt.IsEnabled)
            {
                return new CallbackAuthentication(signature);
            }
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var validator = new CallbackTokenValidator(new CallbackTokenValidatorOptions(jwt.OpenIdConfigurationUri, jwt.Audience!.Trim()),
                http, provider.GetRequiredService<TimeProvider>());
            return new CallbackAuthentication(signature, validator);
        });
        services.AddSingleton<EventGridWebhookFunction>();

        services.AddOptionsWithValidateOnStart<AcsOptions>().Bind(configuration.GetSection(AcsOptions.Section));
        services.AddSingleton<IValidateOptions<AcsOptions>, AcsOptionsValidator>();
        // Local mode registers its simulator-backed client later (unless ACS is configured); this is the real resource.
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<AcsOptions>>().Value.CreateClient(provider.GetRequiredService<TimeProvider>()));
        services.AddOptionsWithValidateOnStart<VoiceOptions>().Bind(configuration.GetSection(VoiceOptions.Section));
        services.AddSingleton<IValidateOptions<VoiceOptions>, VoiceOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<VoiceOptions>>().Value.ToSettings());
        services.AddSingleton<ICallEventReader, AcsCallEventReader>();
        services.AddSingleton<ICallbackUris, SignedCallbackUris>();
        services.AddSingleton<CallRepository>();
        // The campaign dialer places calls through the voice service and hears their outcomes back: resolved lazily.
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<VoiceService>(provider, new LazyOutcomeSink(provider)));
        services.AddSingleton<IContactAssignmentListener, VoiceAssignmentListener>();
        services.AddSingleton<IOutboundCallPlacer, VoiceOutboundCallPlacer>();
        services.AddSingleton<IInboundEventHandler, IncomingCallHandler>();
        services.AddSingleton<CallWorkFunction>();
        return services;
    }

    public static WebApplication MapVoice(this WebApplication app, HostingEnvironment hosting)
    {
        app.MapHttpFunction<EventGridWebhookFunction>(VoiceFunctions.AcsEventGridWebhook);
        app.MapTriggeredFunction<CallWorkFunction>(VoiceFunctions.CallWork);
        app.MapCallApi();

        if (hosting.Mode == HostingMode.FunctionsHost)
        {
            // Read once start-up validation has run, so an invalid setting is reported with all the others.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                if (!app.Services.GetRequiredService<IOptions<VoiceCallbackOptions>>().Value.Callbacks.IsEnabled)
                {
                    app.Logger.LogWarning("Voice:Callbacks:Audience is not set: Call Automation callbacks are authenticated by their per-call " +
                        "signature only, not by the JWT ACS signs them with. Set it to the ACS resource's immutable resource id.");
                }
            });
        }
        return app;
    }
}
