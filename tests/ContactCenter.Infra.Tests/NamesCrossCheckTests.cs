using System.Reflection;
using System.Text.Json.Nodes;
using ContactCenter.Core.Messaging;
using ContactCenter.Core.State;
using ContactCenter.Functions.Configuration;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Functions.Messaging;
using ContactCenter.Functions.Security;
using ContactCenter.Functions.Teams;
using ContactCenter.Functions.Voice;
using ContactCenter.Infra.Tests.Infrastructure;

namespace ContactCenter.Infra.Tests;

/// <summary>
/// The names the app declares in code — queues, tables, the attachment container, settings, and the function.json
/// files generated from <see cref="FunctionCatalog"/> — against what the compiled main.bicep creates.
/// </summary>
public sealed class NamesCrossCheckTests
{

    private static IReadOnlyDictionary<string, ArmTemplate.Resource> Queues =>
        BicepCli.Main.Resources("Microsoft.ServiceBus/namespaces/queues").ToDictionary(q => q.Name!);

    private static JsonObject AppSettings =>
        Assert.Single(BicepCli.Main.Resources("Microsoft.Web/sites/config"), c => c.Name == "appsettings").Properties;

    [Fact]
    public void Every_queue_the_app_uses_exists_with_sessions_exactly_where_the_code_sends_session_ids()
    {
        Assert.Contains(QueueNames.WorkspaceNotifications, QueueNames.All);
        foreach (var name in QueueNames.All)
        {
            Assert.True(Queues.TryGetValue(name, out var queue), $"Bicep creates no Service Bus queue '{name}'.");
            var sessions = QueueNames.SessionQueues.Contains(name);
            Assert.Equal(sessions, queue.Property("requiresSession")!.GetValue<bool>());
            if (sessions)
            {
                // Session queues carry deterministic message ids (expiries, overflow steps, call timers): duplicates must drop.
                Assert.True(queue.Property("requiresDuplicateDetection")!.GetValue<bool>(), $"{name} needs duplicate detection.");
            }
        }
    }

    [Fact]
    public void Every_queue_dead_letters_after_as_many_deliveries_as_local_mode()
    {
        var localMaxDeliveries = new LocalHostOptions().MaxDeliveryCount;
        Assert.NotEmpty(Queues);
        foreach (var (name, queue) in Queues)
        {
            Assert.Equal(localMaxDeliveries, queue.Property("maxDeliveryCount")!.GetValue<int>());
            Assert.True(queue.Property("deadLetteringOnMessageExpiration")!.GetValue<bool>(), $"{name} must dead-letter expired messages.");
            var lockDuration = System.Xml.XmlConvert.ToTimeSpan(queue.Property("lockDuration")!.GetValue<string>());
            Assert.InRange(lockDuration, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        }
    }

    [Fact]
    public void Tables_are_exactly_the_apps_tables()
    {
        var tables = BicepCli.Main.Resources("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => t.Name).Order().ToList();
        Assert.Equal(TableNames.All.Order(), tables);
    }

    [Fact]
    public void The_attachment_container_exists_and_the_app_is_told_its_name()
    {
        var containers = BicepCli.Main.Resources("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.Name).ToList();
        var defaultContainer = new EmailOptions().AttachmentContainer;

        Assert.Contains(defaultContainer, containers);
        Assert.Contains(BicepCli.Main.Resources("Microsoft.Web/sites"), site =>
            site.Properties["functionAppConfig"]?["deployment"]?["storage"]?["type"]?.GetValue<string>() == "blobContainer");
        Assert.True(AppSettings.ContainsKey(Setting(EmailOptions.Section, nameof(EmailOptions.AttachmentContainer))));
    }

    /// <summary>
    /// The one test over the deployed package's bindings: function.json files generated from the catalog, as the publish
    /// target writes them, and every queue, connection prefix and SignalR hub they name checked against Bicep.
    /// </summary>
    [Fact]
    public void Generated_function_json_bindings_match_the_provisioned_queues_and_connection_settings()
    {
        var output = Directory.CreateTempSubdirectory("function-layout-");
        try
        {
            var written = FunctionAppLayout.Write(output.FullName, FunctionCatalog.All);
            Assert.Equal(FunctionCatalog.All.Count, written.Count);
            var settings = AppSettings;
            var checkedBindings = 0;
            foreach (var path in written)
            {
                var function = Path.GetFileName(Path.GetDirectoryName(path))!;
                foreach (var binding in JsonNode.Parse(File.ReadAllText(path))!["bindings"]!.AsArray().Select(b => b!.AsObject()))
                {
                    var type = binding["type"]!.GetValue<string>();
                    if (binding["queueName"] is { } queueName)
                    {
                        Assert.True(Queues.ContainsKey(queueName.GetValue<string>()), $"{function}: queue '{queueName}' is not provisioned.");
                        var isSessionTrigger = binding["isSessionsEnabled"]?.GetValue<bool>() == true;
                        if (type == "serviceBusTrigger")
                        {
                            // A session-enabled queue can only be read by a session receiver, and the other way round.
                            Assert.Equal(Queues[queueName.GetValue<string>()].Property("requiresSession")!.GetValue<bool>(), isSessionTrigger);
                        }
                    }
                    if (binding["connection"] is { } connection)
                    {
                        // Identity-based: <prefix>__fullyQualifiedNamespace, never a connection string setting.
                        var prefix = connection.GetValue<string>();
                        Assert.True(settings.ContainsKey($"{prefix}__fullyQualifiedNamespace"), $"{function}: no {prefix}__fullyQualifiedNamespace app setting.");
                        Assert.Equal("managedidentity", settings[$"{prefix}__credential"]?.GetValue<string>());
                        Assert.False(settings.ContainsKey(prefix), $"{prefix} must not be a connection string.");
                        checkedBindings++;
                    }
                    if (type == "signalR")
                    {
                        Assert.False(string.IsNullOrWhiteSpace(binding["hubName"]?.GetValue<string>()), $"{function}: SignalR binding without a hub.");
                        var setting = binding["connectionStringSetting"]?.GetValue<string>() ?? "AzureSignalRConnectionString";
                        Assert.True(settings.ContainsKey($"{setting}__serviceUri"), $"{function}: no {setting}__serviceUri app setting.");
                        Assert.Single(BicepCli.Main.Resources("Microsoft.SignalRService/signalR"));
                        checkedBindings++;
                    }
                    if (type == "eventGridTrigger")
                    {
                        Assert.Equal(function, EventSubscriptionFunctionName);
                    }
                }
            }
            Assert.True(checkedBindings >= 3, "The catalog should have Service Bus bindings to check.");
            Assert.Contains(FunctionCatalog.All, f => f.Name == EventSubscriptionFunctionName && f.Trigger is EventGridTrigger);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Event_grid_subscriptions_cover_calls_texts_and_email_reports()
    {
        var topic = Assert.Single(BicepCli.Main.Resources("Microsoft.EventGrid/systemTopics"));
        Assert.Equal("Microsoft.Communication.CommunicationServices", topic.Properties["topicType"]!.GetValue<string>());
        var eventTypes = topic.Template["variables"]!["subscriptions"]!.AsArray()
            .SelectMany(s => s!["eventTypes"]!.AsArray().Select(t => t!.GetValue<string>())).ToList();
        // The names Azure.Messaging.EventGrid publishes for these system events (Azure/azure-sdk-for-net
        // sdk/eventgrid/Azure.Messaging.EventGrid/src/Customization/SystemEventNames.cs).
        string[] published =
        [
            global::Azure.Messaging.EventGrid.SystemEventNames.AcsIncomingCall,
            global::Azure.Messaging.EventGrid.SystemEventNames.AcsSmsReceived,
            global::Azure.Messaging.EventGrid.SystemEventNames.AcsSmsDeliveryReportReceived,
            global::Azure.Messaging.EventGrid.SystemEventNames.AcsEmailDeliveryReportReceived,
        ];
        Assert.Equal(published.Order(StringComparer.Ordinal), eventTypes.Order(StringComparer.Ordinal));
        Assert.Contains("Microsoft.Communication.IncomingCall", eventTypes);
        Assert.Contains("Microsoft.Communication.SMSReceived", eventTypes);
        Assert.Contains("Microsoft.Communication.SMSDeliveryReportReceived", eventTypes);
        Assert.Contains("Microsoft.Communication.EmailDeliveryReportReceived", eventTypes);
    }

    [Fact]
    public void Every_setting_the_app_requires_under_the_functions_host_is_provisioned()
    {
        string[] required =
        [
            Setting(StorageOptions.Section, nameof(StorageOptions.TableServiceUri)),
            Setting(StorageOptions.Section, nameof(StorageOptions.ManagedIdentityClientId)),
            Setting(ServiceBusOptions.Section, "fullyQualifiedNamespace"),
            Setting(ServiceBusOptions.Section, "clientId"),
            Setting(AcsOptions.Section, nameof(AcsOptions.Endpoint)),
            Setting(AcsOptions.Section, nameof(AcsOptions.ManagedIdentityClientId)),
            Setting(VoiceCallbackOptions.Section, nameof(VoiceCallbackOptions.CallbackSecret)),
            Setting(VoiceCallbackOptions.Section, nameof(VoiceCallbackOptions.Callbacks), nameof(CallbackJwtOptions.Audience)),
            Setting(EmailOptions.Section, nameof(EmailOptions.SenderAddress)),
            Setting(EmailOptions.Section, nameof(EmailOptions.BlobServiceUri)),
            TelemetryOptions.ConnectionStringVariable,
            TelemetryOptions.AuthenticationStringVariable,
            "AzureWebJobsStorage__accountName",
        ];
        var settings = AppSettings;

        Assert.All(required, key => Assert.True(settings.ContainsKey(key), $"Bicep does not set {key}."));
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings[Setting(VoiceCallbackOptions.Section, nameof(VoiceCallbackOptions.CallbackSecret))]!.GetValue<string>());
        Assert.Contains("Authorization=AAD;ClientId=", settings[TelemetryOptions.AuthenticationStringVariable]!.GetValue<string>());
    }

    [Fact]
    public void Every_provisioned_app_setting_binds_to_an_option_the_app_or_host_reads_and_none_is_a_key()
    {
        var sections = new Dictionary<string, Type[]>(StringComparer.OrdinalIgnoreCase)
        {
            [StorageOptions.Section] = [typeof(StorageOptions)],
            [EmailOptions.Section] = [typeof(EmailOptions)],
            [AcsOptions.Section] = [typeof(AcsOptions)],
            [VoiceOptions.Section] = [typeof(VoiceOptions), typeof(VoiceCallbackOptions)],
            [ServiceBusOptions.Section] = [typeof(ServiceBusOptions)],
            [AuthOptions.Section] = [typeof(AuthOptions)],
            [TeamsOptions.Section] = [typeof(TeamsOptions)],
        };
        // Read by the Functions host and its extensions (storage, the SignalR binding's identity-based connection, which
        // the app's negotiate reads the same way) or by telemetry.
        string[] readByHost = ["AzureWebJobsStorage__", SignalROutput.ConnectionSetting + "__", "APPLICATIONINSIGHTS_", "ServiceBusConnection__credential"];

        foreach (var (key, value) in AppSettings)
        {
            var text = value?.GetValue<string>() ?? "";
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AccessKey=", text, StringComparison.OrdinalIgnoreCase);
            if (readByHost.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }
            var path = key.Split("__");
            Assert.True(sections.TryGetValue(path[0], out var types), $"App setting {key} belongs to no options section the app binds.");
            if (path[0] == ServiceBusOptions.Section)
            {
                Assert.Contains(path[1], new[] { "fullyQualifiedNamespace", "clientId" });
                continue;
            }
            Assert.True(types.Any(type => Resolves(type, path.Skip(1))), $"App setting {key} names no property of {string.Join(" or ", types.Select(t => t.Name))}.");
        }
    }

    private static string EventSubscriptionFunctionName =>
        Assert.Single(BicepCli.Main.Resources("Microsoft.EventGrid/systemTopics")).Variable("eventsFunctionName")!;

    private static string Setting(params string[] path) => string.Join("__", path);

    private static bool Resolves(Type type, IEnumerable<string> path)
    {
        var current = type;
        foreach (var segment in path)
        {
            var property = current.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }
            current = property.PropertyType;
        }
        return true;
    }
}
