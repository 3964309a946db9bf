namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>How the Call Automation simulator authenticates, signs callbacks and paces the simulated parties.</summary>
public sealed class CallAutomationSimulatorOptions
{
    public const string Section = "Local:Acs";

    /// <summary>base64("local-acs-simulator-access-key"): not a secret, it only guards against unsigned requests.</summary>
    public const string DefaultAccessKey = "bG9jYWwtYWNzLXNpbXVsYXRvci1hY2Nlc3Mta2V5";

    /// <summary>Stands in for the ACS resource's immutable resource id, the audience of callback tokens.</summary>
    public const string DefaultResourceId = "5e1a7c3d-0000-4000-8000-00000000ac51";

    /// <summary>The only api-version served, the one the client speaks.</summary>
    public const string ApiVersion = "2025-06-15";

    public string AccessKey { get; set; } = DefaultAccessKey;

    public string ResourceId { get; set; } = DefaultResourceId;

    /// <summary>Tests: a bearer token accepted instead of HMAC, over HTTPS only (as Entra ID tokens are).</summary>
    public string? AcceptedBearerToken { get; set; }

    /// <summary>x-ms-date further than this from now is refused, as ACS does.</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Text-to-speech plays at this many characters per virtual second (at least <see cref="MinimumPromptDuration"/>).</summary>
    public double PromptCharactersPerSecond { get; set; } = 15;

    public TimeSpan MinimumPromptDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An audio file prompt lasts this long (the simulator does not read the file).</summary>
    public TimeSpan AudioFilePromptDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>When the request names none: how long an invited party may ring before the invitation fails.</summary>
    public TimeSpan InvitationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Tests of the REST client only: answer/reject/redirect an incoming call context the simulator never offered, as
    /// if a caller had just called. Local mode keeps this off, so answering a stale context fails as in ACS.
    /// </summary>
    public bool AcceptUnknownIncomingCallContexts { get; set; }
}
