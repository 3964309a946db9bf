using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ContactCenter.Functions.Configuration;

/// <summary>Start-up checks of the storage settings, each failure naming the setting and how to fix it.</summary>
public sealed class StorageOptionsValidator(HostingEnvironment hosting) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasUri = !string.IsNullOrWhiteSpace(options.TableServiceUri);
        if (hasConnectionString && hasUri)
        {
            failures.Add("Storage:ConnectionString and Storage:TableServiceUri are both set; set only one (the URI for managed identity).");
        }
        if (hasConnectionString)
        {
            try
            {
                _ = new TableServiceClient(options.ConnectionString);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"Storage:ConnectionString is not a valid storage connection string ({ex.Message}). " +
                    "Use 'UseDevelopmentStorage=true' for Azurite or the account's connection string.");
            }
        }
        if (hasUri && !(Uri.TryCreate(options.TableServiceUri, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            failures.Add($"Storage:TableServiceUri '{options.TableServiceUri}' is not an absolute http(s) URI such as https://<account>.table.core.windows.net.");
        }
        if (hosting.Mode == HostingMode.FunctionsHost && !options.IsConfigured)
        {
            failures.Add("Storage is not configured. Under the Functions host set Storage__TableServiceUri (managed identity) " +
                "or Storage__ConnectionString; the in-memory store is for local mode only.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class LocalHostOptionsValidator : IValidateOptions<LocalHostOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalHostOptions options)
    {
        var failures = new List<string>();
        if (options.MaxDeliveryCount is < 1 or > 100)
        {
            failures.Add($"Local:MaxDeliveryCount is {options.MaxDeliveryCount}; it must be between 1 and 100.");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Local:RetryDelay is {options.RetryDelay}; it must be between 00:00:00 and 00:05:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        return string.IsNullOrWhiteSpace(options.ConnectionString) || IsUsableConnectionString(options.ConnectionString)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TelemetryOptions.ConnectionStringVariable} has no InstrumentationKey=...; copy the whole connection string from the Application Insights resource.");
    }

    /// <summary>The exporter needs at least InstrumentationKey=...; anything less is reported instead of exported to.</summary>
    public static bool IsUsableConnectionString(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Any(kv => kv.Length == 2 && kv[0].Trim().Equals("InstrumentationKey", StringComparison.OrdinalIgnoreCase) && kv[1].Trim().Length > 0);
}

public sealed class HostingEnvironmentValidator(HostingEnvironment hosting) : IValidateOptions<HostingEnvironmentCheck>
{
    public ValidateOptionsResult Validate(string? name, HostingEnvironmentCheck options) =>
        hosting.Mode == HostingMode.FunctionsHost && hosting.ParsedPort is null
            ? ValidateOptionsResult.Fail($"{HostingEnvironment.CustomHandlerPortVariable} is '{hosting.CustomHandlerPort}'; it must be a TCP port number from 1 to 65535.")
            : ValidateOptionsResult.Success;
}

/// <summary>A marker options type so the hosting environment is validated at start-up like every other setting.</summary>
public sealed class HostingEnvironmentCheck;

/// <summary>Under the Functions host ACD work travels on Service Bus, so its connection must be set and well formed.</summary>
public sealed class ServiceBusOptionsValidator(HostingEnvironment hosting) : IValidateOptions<ServiceBusOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace) && options.NamespaceEndpoint is null)
        {
            failures.Add($"ServiceBusConnection__fullyQualifiedNamespace '{options.FullyQualifiedNamespace}' is not a namespace host name such as contoso.servicebus.windows.net.");
        }
        if (!string.IsNullOrWhiteSpace(options.ConnectionString)
            && ContactCenter.Azure.ServiceBus.ServiceBusClients.ConnectionStringProblem(options.ConnectionString) is { } problem)
        {
            failures.Add($"ServiceBusConnection is not a valid Service Bus connection string ({problem}).");
        }
        if (hosting.Mode == HostingMode.FunctionsHost && !options.IsConfigured)
        {
            failures.Add("Service Bus is not configured. Under the Functions host set ServiceBusConnection__fullyQualifiedNamespace " +
                "(managed identity, with ServiceBusConnection__clientId for a user-assigned one) or ServiceBusConnection (connection string).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
