using ContactCenter.Core.Voice;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Voice;

/// <summary>The "Voice" settings section; see the root README for each setting.</summary>
public sealed class VoiceOptions
{
    public const string Section = "Voice";

    public string DefaultFlowId { get; set; } = "main";

    /// <summary>Our numbers (E.164): only calls to these are answered. Empty answers every call the resource offers.</summary>
    public List<string> Numbers { get; set; } = [];
    public Dictionary<string, string> FlowsByNumber { get; set; } = [];
    public string? CallerId { get; set; }
    public string? HoldAudioUrl { get; set; }
    public string? HoldText { get; set; }
    public TimeSpan AnnouncementInterval { get; set; } = TimeSpan.FromSeconds(45);
    public bool OfferCallbackWhileWaiting { get; set; }
    public TimeSpan AgentRingTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan HumanCheckTimeout { get; set; } = TimeSpan.FromSeconds(8);
    public int CallbackMaxAttempts { get; set; } = 3;
    public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
    public string CompanyName { get; set; } = "Contoso";

    /// <summary>
    /// The app's public https base address, where ACS posts callbacks. Unset: https://{WEBSITE_HOSTNAME} under the
    /// Functions host (App Service sets it), the app's own address in local mode.
    /// </summary>
    public string? PublicBaseUri { get; set; }

    public VoiceSettings ToSettings() => new()
    {
        DefaultFlowId = DefaultFlowId,
        Numbers = Numbers,
        FlowsByNumber = FlowsByNumber,
        CallerId = CallerId,
        HoldAudio = HoldAudioUrl is { Length: > 0 } url ? new Uri(url) : null,
        HoldText = HoldText ?? new VoiceSettings().HoldText,
        AnnouncementInterval = AnnouncementInterval,
        OfferCallbackWhileWaiting = OfferCallbackWhileWaiting,
        AgentRingTimeout = AgentRingTimeout,
        HumanCheckTimeout = HumanCheckTimeout,
        CallbackMaxAttempts = CallbackMaxAttempts,
        CallbackRetryDelay = CallbackRetryDelay,
        CompanyName = CompanyName,
    };
}

public sealed class VoiceOptionsValidator : IValidateOptions<VoiceOptions>
{
    public ValidateOptionsResult Validate(string? name, VoiceOptions options)
    {
        var errors = new List<string>();
        if (options.CallerId is { Length: > 0 } callerId && !(CallAddresses.TryParse(callerId, out var target) && target is CallTarget.PhoneNumber))
        {
            errors.Add($"Voice:CallerId '{callerId}' is not an E.164 number such as +14255550123.");
        }
        foreach (var number in options.Numbers.Concat(options.FlowsByNumber.Keys).Where(n => !(CallAddresses.TryParse(n, out var t) && t is CallTarget.PhoneNumber)))
        {
            errors.Add($"Voice:Numbers / Voice:FlowsByNumber: '{number}' is not an E.164 number such as +14255550123.");
        }
        if (options.HoldAudioUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"Voice:HoldAudioUrl '{url}' is not an absolute URL.");
        }
        if (options.AgentRingTimeout <= TimeSpan.Zero || options.AgentRingTimeout > TimeSpan.FromSeconds(180))
        {
            errors.Add("Voice:AgentRingTimeout must be between 00:00:01 and 00:03:00.");
        }
        if (options.AnnouncementInterval < TimeSpan.Zero)
        {
            errors.Add("Voice:AnnouncementInterval cannot be negative (00:00:00 turns announcements off).");
        }
        if (options.PublicBaseUri is { Length: > 0 } publicBase && !(Uri.TryCreate(publicBase, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http"))
        {
            errors.Add($"Voice:PublicBaseUri '{publicBase}' is not an absolute http(s) URL such as https://contoso-cc.azurewebsites.net.");
        }
        if (options.CallbackMaxAttempts < 1)
        {
            errors.Add("Voice:CallbackMaxAttempts must be at least 1.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
