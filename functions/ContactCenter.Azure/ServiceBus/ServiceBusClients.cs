using Azure.Core;
using Azure.Messaging.ServiceBus;

namespace ContactCenter.Azure.ServiceBus;

/// <summary>
/// The app's one <see cref="ServiceBusClient"/>: a namespace connection string (shared access key) or the namespace
/// host name with a <see cref="TokenCredential"/> (managed identity). AMQP over TCP (5671), the SDK's default.
/// </summary>
public static class ServiceBusClients
{
    /// <summary>Retries as the REST sender had them: three, exponential from 200 ms; 30 s per try.</summary>
    public static ServiceBusClientOptions Options() => new()
    {
        Identifier = "contact-center",
        RetryOptions = new ServiceBusRetryOptions
        {
            Mode = ServiceBusRetryMode.Exponential,
            MaxRetries = 3,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            TryTimeout = TimeSpan.FromSeconds(30),
        },
    };

    public static ServiceBusClient FromConnectionString(string connectionString) => new(connectionString, Options());

    /// <summary>e.g. contoso.servicebus.windows.net; Entra ID scope https://servicebus.azure.net/.default.</summary>
    public static ServiceBusClient FromNamespace(string fullyQualifiedNamespace, TokenCredential credential) =>
        new(fullyQualifiedNamespace, credential, Options());

    /// <summary>
    /// Why a connection string cannot be used, or null. Parsed by the SDK itself
    /// (<see cref="ServiceBusConnectionStringProperties.Parse"/>); like the client's constructor, it needs an endpoint
    /// and a key name with its key, or a shared access signature.
    /// </summary>
    public static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            var properties = ServiceBusConnectionStringProperties.Parse(connectionString);
            var hasKey = !string.IsNullOrEmpty(properties.SharedAccessKeyName) && !string.IsNullOrEmpty(properties.SharedAccessKey);
            return properties.Endpoint is null ? "it has no Endpoint=sb://<namespace>.servicebus.windows.net/"
                : hasKey || !string.IsNullOrEmpty(properties.SharedAccessSignature) ? null
                : "it needs SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature)";
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
