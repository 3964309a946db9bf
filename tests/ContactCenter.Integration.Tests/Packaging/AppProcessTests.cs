using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.Packaging;

/// <summary>The built app as a process: the README's local command, start-up failures, and the Functions host's way of starting it.</summary>
public sealed class AppProcessTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan StartTimeout = Patience.Startup;

    [Fact]
    public async Task Local_mode_boots_on_embedded_defaults_prints_its_urls_and_answers_health()
    {
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(RepositoryPaths.BuiltFunctionApp, new Dictionary<string, string>(), "--urls", $"http://127.0.0.1:{port}");
        using var client = new HttpClient();

        using var health = await app.WaitForAsync(client, $"http://127.0.0.1:{port}/api/health", StartTimeout);
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("local", report["mode"]!.GetValue<string>());
        Assert.Equal("in-memory", report["store"]!["kind"]!.GetValue<string>());
        var deadline = DateTime.UtcNow + Patience.Condition;
        while (!app.Stdout.Contains("/api/health") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Contains($"http://127.0.0.1:{port}/api/health", app.Stdout);
        Assert.Contains("/simulator/sms", app.Stdout);
    }

    [Fact]
    public async Task Invalid_settings_exit_with_code_2_and_say_what_to_fix()
    {
        await using var app = AppProcess.Start(RepositoryPaths.BuiltFunctionApp,
            new Dictionary<string, string> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "not-a-port", ["Local__MaxDeliveryCount"] = "0" });

        var exitCode = await app.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot start: the configuration is invalid", app.Stderr);
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT is 'not-a-port'", app.Stderr);
        Assert.Contains("Storage is not configured", app.Stderr);
    }

    [Fact]
    public async Task Started_as_the_functions_host_starts_it_the_handler_listens_on_the_given_port_and_uses_table_storage()
    {
        _ = azurite;
        var port = AppProcess.FreePort();
        await using var serviceBus = await FakeServiceBusNamespace.StartAsync();
        await using var app = AppProcess.Start(RepositoryPaths.BuiltFunctionApp, new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage__ConnectionString"] = AzuriteFixture.ConnectionString,
            ["ServiceBusConnection"] = serviceBus.ConnectionString,
            ["Voice__CallbackSecret"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            ["Acs__Endpoint"] = "https://contoso-acs.communication.azure.com",
            ["Email__SenderAddress"] = "DoNotReply@contoso.com",
            ["Auth__TenantId"] = FakeOpenIdProvider.TenantId,
            ["Auth__ClientId"] = FakeOpenIdProvider.ClientId,
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var health = await app.WaitForAsync(client, "/api/health", StartTimeout);
        using var invoked = await client.PostAsync("/AcsEvents", new StringContent(
            FunctionApp.HostPayloads.SmsReceivedEventGridSchema().ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        using var localOnly = await client.PostAsync("/simulator/sms", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("functions-host", report["mode"]!.GetValue<string>());
        Assert.Equal("table-storage", report["store"]!["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, localOnly.StatusCode);
    }
}
