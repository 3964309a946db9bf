using ContactCenter.Azure.Communication;
using ContactCenter.Core.Channels;
using ContactCenter.Functions.Extensions;
using ContactCenter.Functions.Voice;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Messaging;

/// <summary>
/// The SMS channel's settings: the keyword replies and the segment limit (section <c>Sms</c>). The ACS resource is the
/// one calls use (<c>Acs:Endpoint</c> or <c>Acs:ConnectionString</c>, see <see cref="AcsOptions"/>).
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    private static readonly SmsOutboxOptions Defaults = new();

    public string OptOutConfirmation { get; set; } = Defaults.OptOutConfirmation;
    public string OptInConfirmation { get; set; } = Defaults.OptInConfirmation;
    public string HelpReply { get; set; } = Defaults.HelpReply;
    public int MaxSegments { get; set; } = Defaults.MaxSegments;

    public SmsOutboxOptions ToOutboxOptions() =>
        new() { OptOutConfirmation = OptOutConfirmation, OptInConfirmation = OptInConfirmation, HelpReply = HelpReply, MaxSegments = MaxSegments };
}

public sealed class SmsOptionsValidator : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        try
        {
            options.ToOutboxOptions().Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Sms: {ex.Message}");
        }
    }
}

/// <summary>Wiring of the SMS channel: ACS as the <see cref="ISmsProvider"/>, the opt-out registry and the outbox.</summary>
public static class SmsRegistration
{
    public static IServiceCollection AddSmsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        // The voice channel binds and validates the same ACS settings; bind them here only when it has not.
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<AcsOptions>)))
        {
            services.AddOptionsWithValidateOnStart<AcsOptions>().Bind(configuration.GetSection(AcsOptions.Section));
            services.AddSingleton<IValidateOptions<AcsOptions>, AcsOptionsValidator>();
        }
        services.AddOptionsWithValidateOnStart<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section));
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();

        // TryAdd: a provider registered before (local mode's simulator) is kept.
        services.TryAddSingleton<ISmsProvider>(provider =>
            CreateSmsClient(provider.GetRequiredService<IOptions<AcsOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SmsOptOutRegistry>();
        services.TryAddSingleton(provider => new SmsOutbox(provider.GetRequiredService<ISmsProvider>(), provider.GetRequiredService<SmsOptOutRegistry>(),
            provider.GetRequiredService<IOptions<SmsOptions>>().Value.ToOutboxOptions()));
        return services;
    }

    /// <summary>The ACS SMS client for the configured resource: Entra ID with <c>Acs:Endpoint</c>, else the access key.</summary>
    public static SmsClient CreateSmsClient(AcsOptions acs, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(acs);
        if (!string.IsNullOrWhiteSpace(acs.Endpoint))
        {
            return new SmsClient(new Uri(acs.Endpoint), ServiceCollectionExtensions.Credential(acs.ManagedIdentityClientId), timeProvider: timeProvider);
        }
        return !string.IsNullOrWhiteSpace(acs.ConnectionString)
            ? new SmsClient(acs.ConnectionString, timeProvider: timeProvider)
            : throw new InvalidOperationException("SMS needs an ACS resource: set Acs:Endpoint (Entra ID) or Acs:ConnectionString, " +
                "or register another ISmsProvider (local mode's simulator) before AddSmsChannel.");
    }
}
