using ContactCenter.Azure.Communication;
using ContactCenter.Core.Voice;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Extensions;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Voice;

/// <summary>
/// The Azure Communication Services resource calls go through: <c>Acs:Endpoint</c> with Entra ID (managed identity,
/// preferred) or <c>Acs:ConnectionString</c> with the access key. Local mode talks to its simulator unless either is set.
/// </summary>
public sealed class AcsOptions
{
    public const string Section = "Acs";

    /// <summary>https://&lt;resource&gt;.communication.azure.com — used with Entra ID.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Client id of a user-assigned identity for ACS; unset uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>endpoint=https://...;accesskey=... — the resource's access key, instead of Entra ID.</summary>
    public string? ConnectionString { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) || !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The real client for the configured resource.</summary>
    public ICallControl CreateClient(TimeProvider timeProvider) => !string.IsNullOrWhiteSpace(Endpoint)
        ? new CallAutomationClient(new Uri(Endpoint), ServiceCollectionExtensions.Credential(ManagedIdentityClientId), timeProvider: timeProvider)
        : new CallAutomationClient(ConnectionString!, timeProvider: timeProvider);
}

public sealed class AcsOptionsValidator(HostingEnvironment hosting) : IValidateOptions<AcsOptions>
{
    public ValidateOptionsResult Validate(string? name, AcsOptions options)
    {
        var errors = new List<string>();
        if (!options.IsConfigured && hosting.Mode == HostingMode.FunctionsHost)
        {
            errors.Add("Acs:Endpoint is not set. Under the Functions host set Acs__Endpoint to https://<resource>.communication.azure.com " +
                "(with the app's managed identity allowed on the resource) or Acs__ConnectionString to the resource's connection string.");
        }
        if (!string.IsNullOrWhiteSpace(options.Endpoint) && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps))
        {
            errors.Add($"Acs:Endpoint '{options.Endpoint}' is not an https URL such as https://contoso-acs.communication.azure.com.");
        }
        if (!string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.Endpoint))
        {
            try
            {
                _ = new CallAutomationClient(options.ConnectionString);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                errors.Add($"Acs:ConnectionString is not an ACS connection string (endpoint=https://...;accesskey=...): {ex.Message}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
