using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Infra.Tests.Infrastructure;

namespace ContactCenter.Infra.Tests;

/// <summary>
/// Values in infra/ that Azure checks only at deployment or query time, pinned to their primary source (cited per
/// test; docs/deploy.md lists them all).
/// </summary>
public sealed partial class ProvisioningFactsTests
{
    private static ArmTemplate.Resource Single(string type) => Assert.Single(BicepCli.Main.Resources(type));

    [Fact]
    public void Flex_scale_limits_are_the_documented_range()
    {
        // learn.microsoft.com/azure/azure-functions/event-driven-scaling (Limit scale-out, Flex Consumption; ms.date
        // 2026-08-03): "the lowest maximum instance count value is 1, and the highest ... is 1000" (older revisions
        // of the page said 40). Instance memory: flex-consumption-plan, "Instance memory" (512, 2048, 4096 MB).
        var parameters = Single("Microsoft.Web/sites").Template["parameters"]!;
        Assert.Equal(1, parameters["maximumInstanceCount"]!["minValue"]!.GetValue<int>());
        Assert.Equal(1000, parameters["maximumInstanceCount"]!["maxValue"]!.GetValue<int>());
        Assert.Equal([512, 2048, 4096], parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()));
        var config = Single("Microsoft.Web/sites").Properties["functionAppConfig"]!;
        Assert.Equal("custom", config["runtime"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Every_event_subscription_dead_letters_to_a_provisioned_blob_container_as_the_system_topic()
    {
        // learn.microsoft.com/azure/event-grid/manage-event-delivery and .../managed-service-identity: with
        // deadLetterWithResourceIdentity the system topic's own identity writes undeliverable events to a blob
        // container; that identity needs Storage Blob Data Contributor on the account (event-grid/add-identity-roles).
        var topic = Single("Microsoft.EventGrid/systemTopics");
        Assert.Equal("SystemAssigned", topic.Body["identity"]!["type"]!.GetValue<string>());

        var subscription = Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var deadLetter = subscription.Properties["deadLetterWithResourceIdentity"];
        Assert.NotNull(deadLetter);
        Assert.Null(subscription.Properties["deadLetterDestination"]);
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        var container = deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]!.GetValue<string>();
        Assert.Equal("[parameters('deadLetterContainerName')]", container);
        var containers = BicepCli.Main.Resources("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.Name);
        Assert.Contains(EventGridDeadLetterContainer, containers);

        var grant = Assert.Single(BicepCli.Main.Resources("Microsoft.Authorization/roleAssignments"),
            r => r.Properties["principalId"]!.GetValue<string>().Contains("systemTopics", StringComparison.Ordinal));
        Assert.Contains("identity.principalId", grant.Properties["principalId"]!.GetValue<string>());
        Assert.Contains("ba92f5b4-2d11-453d-a403-e96b0029c9fe", grant.Template["variables"]!.ToJsonString()); // Storage Blob Data Contributor
    }

    /// <summary>Container the Event Grid subscriptions dead-letter to (storage.bicep).</summary>
    public const string EventGridDeadLetterContainer = "eventgrid-dead-letters";

    [Fact]
    public void Event_grid_delivers_to_an_azure_function_endpoint()
    {
        // Event Grid endpointType values (azure-rest-api-specs specification/eventgrid/resource-manager, EventSubscriptionDestination
        // discriminator; Bicep's offline types for 2024-06-01-preview reject anything else with BCP088, which the lint gate fails on).
        var subscription = Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        Assert.Equal("AzureFunction", subscription.Properties["destination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal("EventGridSchema", subscription.Properties["eventDeliverySchema"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        var alerts = BicepCli.Main.Resources("Microsoft.Insights/scheduledQueryRules").First().Template["variables"]!["logAlerts"]!.AsArray();
        foreach (var alert in alerts)
        {
            data.Add("alert " + alert!["name"]!.GetValue<string>(), alert["query"]!.GetValue<string>());
        }
        foreach (var (title, query) in WorkbookTiles())
        {
            data.Add("workbook " + title, query);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Queries_compare_success_with_the_type_of_the_table_they_read(string name, string query)
    {
        // The alerts and the workbook are scoped to the Application Insights component, so they read the classic
        // tables: requests.success is a string ("True"/"False"); in the workspace table AppRequests.Success is a bool
        // (learn.microsoft.com/azure/azure-monitor/app/convert-classic-resource, legacy table mapping:
        // "success | string | Success | Bool"; azure-monitor/reference/tables/apprequests).
        var table = query.Split('|')[0].Trim();
        if (table == "requests")
        {
            Assert.False(BoolComparison().IsMatch(query), $"{name}: requests.success is a string, not a bool: {query}");
            Assert.True(!query.Contains("success", StringComparison.Ordinal) || SuccessAsString().IsMatch(query), $"{name}: {query}");
        }
        if (table == "AppRequests")
        {
            Assert.DoesNotContain("\"False\"", query, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_workbook_tile_labelled_as_a_percentile_computes_that_percentile()
    {
        foreach (var (title, query) in WorkbookTiles())
        {
            if (Percentile().Match(title) is { Success: true } label)
            {
                Assert.Matches($@"percentiles?\([^)]*\b{label.Groups["p"].Value}\b", query);
            }
            // customMetrics rows are pre-aggregated (valueMax, valueSum, valueCount): a max is not a percentile.
            Assert.DoesNotMatch(@"\bp\d\d\s*=\s*max\(", query);
        }
    }

    [Fact]
    public void Signalr_and_the_function_app_allow_only_the_apps_own_origin_and_configured_ones()
    {
        var signalR = Single("Microsoft.SignalRService/signalR");
        var origins = signalR.Properties["cors"]!["allowedOrigins"]!;
        Assert.DoesNotContain("*", origins.ToJsonString());
        Assert.Equal("[parameters('allowedOrigins')]", origins.GetValue<string>());

        // main.bicep passes the function app's own https origin (its default host name) and the allowedOrigins parameter.
        var module = Assert.Single(BicepCli.Main.Root["resources"]!.AsArray(),
            r => r!["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == "signalr");
        var passed = module!["properties"]!["parameters"]!["allowedOrigins"]!["value"]!.GetValue<string>();
        Assert.Contains("'functionapp'", passed, StringComparison.Ordinal);
        Assert.Contains("outputs.uri.value", passed, StringComparison.Ordinal);
        Assert.Contains("parameters('allowedOrigins')", passed, StringComparison.Ordinal);

        var site = Single("Microsoft.Web/sites");
        Assert.DoesNotContain("\"*\"", site.Properties["siteConfig"]!.ToJsonString(), StringComparison.Ordinal);
        var mainDefault = BicepCli.Main.Root["parameters"]!["allowedOrigins"]!["defaultValue"]!.AsArray();
        Assert.Empty(mainDefault);
    }

    [Fact]
    public void The_lint_gate_fails_on_an_api_version_the_resource_provider_does_not_publish()
    {
        // Bicep's offline type index is generated from azure-rest-api-specs (Azure/bicep-types-az); an unknown
        // resource type@version is warning BCP081, so the zero-warning gate checks every API version in infra/.
        var result = BicepCli.Probe("resource s 'Microsoft.ServiceBus/namespaces@2099-01-01' = {\n  name: 'x'\n  location: 'westeurope'\n}\n", BicepCli.Build);

        Assert.Contains(result.Diagnostics, d => d.Contains("BCP081", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Title, string Query)> WorkbookTiles()
    {
        var variables = Single("Microsoft.Insights/workbooks").Template["variables"]!;
        foreach (var section in new[] { "wallboard", "history" })
        {
            foreach (var tile in variables[section]!.AsArray())
            {
                yield return (tile!["title"]!.GetValue<string>(), tile["query"]!.GetValue<string>());
            }
        }
    }

    [GeneratedRegex(@"\bsuccess\s*(==|!=)\s*(true|false)\b")]
    private static partial Regex BoolComparison();

    [GeneratedRegex(@"success\)?\s*(==|=~|!=|!~)\s*""")]
    private static partial Regex SuccessAsString();

    [GeneratedRegex(@"\bp(?<p>\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Percentile();
}
