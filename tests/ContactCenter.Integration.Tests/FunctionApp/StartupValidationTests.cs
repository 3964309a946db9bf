using ContactCenter.Functions;
using ContactCenter.Integration.Tests.Infrastructure;
using ContactCenter.Functions.Configuration;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>Missing or malformed settings stop the app at start-up with a message that names the setting.</summary>
public sealed class StartupValidationTests
{
    public static TheoryData<Dictionary<string, string?>, string> InvalidSettings => new()
    {
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "http", ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString }, "FUNCTIONS_CUSTOMHANDLER_PORT is 'http'" },
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "70000", ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString }, "from 1 to 65535" },
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "0" }, "Storage is not configured" },
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7001", ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString }, "Service Bus is not configured" },
        { new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "http://contoso.servicebus.windows.net/queue" }, "is not a namespace host name" },
        { new() { ["ServiceBusConnection"] = "Endpoint=sb://contoso.servicebus.windows.net/" }, "ServiceBusConnection is not a valid Service Bus connection string" },
        { new() { ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString, ["Storage:TableServiceUri"] = "https://a.table.core.windows.net" }, "both set" },
        { new() { ["Storage:ConnectionString"] = "this is not one" }, "Storage:ConnectionString is not a valid storage connection string" },
        { new() { ["Storage:TableServiceUri"] = "account.table.core.windows.net" }, "Storage:TableServiceUri 'account.table.core.windows.net' is not an absolute" },
        { new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "IngestionEndpoint=https://x" }, "has no InstrumentationKey" },
        { new() { ["Local:MaxDeliveryCount"] = "0" }, "Local:MaxDeliveryCount is 0" },
        { new() { ["Local:RetryDelay"] = "-00:00:01" }, "Local:RetryDelay" },
        { new() { ["Local:MaxDeliveryCount"] = "ten" }, "'Local:MaxDeliveryCount'" },
        { new() { ["Routing:SyncInterval"] = "00:00:00.500" }, "Routing:SyncInterval is 00:00:00.5" },
        { new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7001", ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString }, "Acs:Endpoint is not set" },
        { new() { ["Acs:Endpoint"] = "http://contoso.communication.azure.com" }, "Acs:Endpoint 'http://contoso.communication.azure.com' is not an https URL" },
        { new() { ["Acs:ConnectionString"] = "endpoint=https://contoso.communication.azure.com/" }, "Acs:ConnectionString is not an ACS connection string" },
        { new() { ["Voice:Numbers:0"] = "0800 123" }, "'0800 123' is not an E.164 number" },
        { new() { ["Voice:CallerId"] = "contoso" }, "Voice:CallerId 'contoso' is not an E.164 number" },
        { new() { ["Voice:AgentRingTimeout"] = "00:05:00" }, "Voice:AgentRingTimeout must be between" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_settings_stop_start_up_with_a_message_naming_the_setting(Dictionary<string, string?> settings, string expected)
    {
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(settings));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(StartupErrors.Describe(ex) ?? [], failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_problems_are_reported_together()
    {
        var settings = new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "x", ["Local:MaxDeliveryCount"] = "500" };
        await using var app = ContactCenterApp.Build([], configuration => configuration.AddInMemoryCollection(settings));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));
        var all = string.Join("\n", StartupErrors.Describe(ex) ?? []);

        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT", all);
        Assert.Contains("Storage is not configured", all);
        Assert.Contains("Local:MaxDeliveryCount is 500", all);
    }

    [Fact]
    public async Task With_application_insights_configured_the_exporter_is_wired_and_an_unreachable_endpoint_never_breaks_serving()
    {
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?>
        {
            // Loopback port 9 (discard): nothing listens, so every export fails, as it would during an outage.
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });

        var tracer = app.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        using var health = await app.Client.GetAsync("/api/health", TestContext.Current.CancellationToken);

        Assert.NotNull(tracer);
        Assert.Contains("AzureMonitor", DescribeExporters(tracer), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);

        await using var withoutInsights = await RunningApp.StartAsync();
        var plain = withoutInsights.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        Assert.DoesNotContain("AzureMonitor", plain is null ? "" : DescribeExporters(plain), StringComparison.Ordinal);
    }

    /// <summary>The tracer provider's processor chain, as text: enough to see which exporter it feeds.</summary>
    private static string DescribeExporters(OpenTelemetry.Trace.TracerProvider tracer)
    {
        var processor = tracer.GetType().GetProperty("Processor", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)?.GetValue(tracer);
        var names = new List<string>();
        Walk(processor, names, 0);
        return string.Join(",", names);

        static void Walk(object? node, List<string> names, int depth)
        {
            if (node is null || depth > 6)
            {
                return;
            }
            names.Add(node.GetType().Name);
            foreach (var field in node.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            {
                if (field.FieldType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true || field.FieldType.Namespace?.StartsWith("Azure.Monitor", StringComparison.Ordinal) == true)
                {
                    Walk(field.GetValue(node), names, depth + 1);
                }
            }
            if (node is System.Collections.IEnumerable items and not string)
            {
                foreach (var item in items)
                {
                    Walk(item, names, depth + 1);
                }
            }
        }
    }
}
