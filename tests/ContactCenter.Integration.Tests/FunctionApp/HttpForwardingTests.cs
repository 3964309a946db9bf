using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.Integration.Tests.Infrastructure;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>
/// What HTTP forwarding under the Functions host allows (Azure/azure-functions-host,
/// src/WebJobs.Script/Workers/Http/DefaultHttpWorkerService.cs; docs/functions-host.md): no redirects (older hosts follow
/// them), no streaming (the response is buffered), and the forwarding mode chosen in host.json.
/// </summary>
public sealed class HttpForwardingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/agent", "/api/agent/")]
    [InlineData("/agent", "/agent/")]
    public async Task The_console_without_its_trailing_slash_is_served_with_a_base_url_not_redirected(string path, string expectedBase)
    {
        await using var app = await RunningApp.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<head><base href=\"{expectedBase}\">", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_at_its_trailing_slash_is_the_file_as_it_is()
    {
        await using var app = await RunningApp.StartAsync();

        var html = await app.Client.GetStringAsync("/api/agent/", Ct);

        Assert.DoesNotContain("<base", html, StringComparison.Ordinal);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_json_forwards_http_requests_and_does_not_proxy_them()
    {
        var custom = JsonNode.Parse(File.ReadAllText(RepositoryPaths.HostJson))!["customHandler"]!.AsObject();

        Assert.True(custom["enableForwardingHttpRequest"]!.GetValue<bool>());
        // Chosen in docs/functions-host.md: proxying would win over forwarding on hosts that know it (and stream), and be
        // ignored by those that do not; one behaviour on every host is what the app is built and tested for.
        Assert.False(custom.ContainsKey("enableProxyingHttpRequest"));
    }
}
