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
        { new() { ["Storage:ConnectionString"] = AzuriteFixture.ConnectionString, ["Storage:TableServiceUri"] = "https://a.table.core.windows.net" }, "both set" },
        { new() { ["Storage:ConnectionString"] = "this is not one" }, "Storage:ConnectionString is not a valid storage connection string" },
        { new() { ["Storage:TableServiceUri"] = "account.table.core.windows.net" }, "Storage:TableServiceUri 'account.table.core.windows.net' is not an absolute" },
        { new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "IngestionEndpoint=https://x" }, "has no InstrumentationKey" },
        { new() { ["Local:MaxDeliveryCount"] = "0" }, "Local:MaxDeliveryCount is 0" },
        { new() { ["Local:RetryDelay"] = "-00:00:01" }, "Local:RetryDelay" },
        { new() { ["Local:MaxDeliveryCount"] = "ten" }, "'Local:MaxDeliveryCount'" },
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
}
