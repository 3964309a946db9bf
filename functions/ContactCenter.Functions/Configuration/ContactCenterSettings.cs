namespace ContactCenter.Functions.Configuration;

/// <summary>
/// Where state lives. Nothing set in local mode: the embedded in-process store. A connection string (Azurite:
/// "UseDevelopmentStorage=true") or a table service URI with managed identity: Azure Table Storage.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    /// <summary>e.g. https://account.table.core.windows.net — used with Entra ID (managed identity).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty means the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(TableServiceUri);
}

/// <summary>How local mode plays the Functions host.</summary>
public sealed class LocalHostOptions
{
    public const string Section = "Local";

    /// <summary>Deliveries before a message is dead-lettered (Service Bus' default is 10).</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>Pause before a failed delivery is retried.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fire timer triggers on their schedules (tests turn this off and fire them on demand).</summary>
    public bool RunTimers { get; set; } = true;
}

/// <summary>Azure Monitor export; both values are the standard Application Insights settings.</summary>
public sealed class TelemetryOptions
{
    public const string ConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringVariable = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public string? ConnectionString { get; set; }

    /// <summary>"Authorization=AAD" or "Authorization=AAD;ClientId=..." to export with Entra ID instead of the key.</summary>
    public string? AuthenticationString { get; set; }

    public bool UsesEntraId => AuthenticationString?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true;

    public string? EntraClientId => AuthenticationString?.Split(';')
        .Select(part => part.Split('=', 2))
        .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase))
        .Select(kv => kv[1].Trim())
        .FirstOrDefault();
}

/// <summary>
/// The Service Bus namespace the app sends ACD work to: the same ServiceBusConnection settings the Functions host's
/// Service Bus triggers read, so one setting serves both. Local mode uses its own dispatcher and needs none.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string Section = "ServiceBusConnection";

    /// <summary>ServiceBusConnection: a namespace connection string with a shared access key.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>ServiceBusConnection__fullyQualifiedNamespace: e.g. contoso.servicebus.windows.net, used with Entra ID.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>ServiceBusConnection__clientId: a user-assigned managed identity; empty means the default credential chain.</summary>
    public string? ClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace);

    /// <summary>https://{namespace}/ whether the setting has a scheme or not (the host accepts both).</summary>
    public Uri? NamespaceEndpoint => string.IsNullOrWhiteSpace(FullyQualifiedNamespace) ? null
        : Uri.TryCreate(FullyQualifiedNamespace.Contains("://", StringComparison.Ordinal) ? FullyQualifiedNamespace : "https://" + FullyQualifiedNamespace.Trim(), UriKind.Absolute, out var uri)
            && uri.Scheme == "https" && uri.AbsolutePath == "/" ? uri : null;

    public static ServiceBusOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new ServiceBusOptions
        {
            ConnectionString = section.Value,
            FullyQualifiedNamespace = section["fullyQualifiedNamespace"],
            ClientId = section["clientId"],
        };
    }
}
