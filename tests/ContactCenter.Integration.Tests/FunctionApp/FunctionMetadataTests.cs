using System.Text.Json.Nodes;
using ContactCenter.Functions.Functions;
using ContactCenter.Functions.Hosting;
using ContactCenter.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Integration.Tests.FunctionApp;

/// <summary>Declarations, endpoints, generated function.json files and host.json agree with each other.</summary>
public sealed class FunctionMetadataTests
{
    [Fact]
    public async Task Every_declared_function_has_exactly_one_endpoint_at_its_handler_path_and_no_endpoint_is_undeclared()
    {
        await using var app = await RunningApp.StartAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var function in FunctionCatalog.All)
        {
            var mapped = Assert.Single(endpoints, e => e.Metadata.GetMetadata<FunctionDefinition>() == function);
            Assert.Equal(function.HandlerPath, "/" + mapped.RoutePattern.RawText!.TrimStart('/'));
            var methods = mapped.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods;
            Assert.Equal(function.Trigger is HttpTrigger http ? http.Methods.Select(m => m.ToUpperInvariant()) : ["POST"], methods);
        }

        // Anything the host could invoke (a single-segment POST, or a route under the HTTP prefix) must be declared.
        // Local sign-in and the local SSE stream are the exceptions: mapped in local mode only, never under the host
        // (WorkspaceAuthorizationTests.Under_the_functions_host_there_is_no_local_sign_in_and_entra_tokens_are_required).
        string[] localOnly = [ContactCenter.Functions.Security.SecurityFunctions.LocalTokenRoute, ContactCenter.Functions.Realtime.RealtimeFunctions.LocalEventsRoute];
        var hostVisible = endpoints.Where(e => (e.RoutePattern.RawText!.TrimStart('/').StartsWith($"{FunctionAppLayout.HttpRoutePrefix}/", StringComparison.Ordinal)
                && !localOnly.Contains("/" + e.RoutePattern.RawText!.TrimStart('/')))
            || (e.RoutePattern.PathSegments.Count == 1 && e.RoutePattern.Parameters.Count == 0
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") != false));
        Assert.All(hostVisible, e => Assert.NotNull(e.Metadata.GetMetadata<FunctionDefinition>()));
    }

    [Fact]
    public void Generated_function_json_files_have_the_shapes_the_functions_host_reads()
    {
        var dir = Directory.CreateTempSubdirectory("functions-").FullName;
        FunctionAppLayout.Write(dir, FunctionCatalog.All);

        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), Directory.GetDirectories(dir).Select(Path.GetFileName).Order());
        AssertJson(dir, "Health", """
            {"bindings":[{"type":"httpTrigger","direction":"in","name":"req","route":"health","methods":["get"],"authLevel":"anonymous"},
                         {"type":"http","direction":"out","name":"res"}]}
            """);
        AssertJson(dir, "AcsEvents", """
            {"bindings":[{"type":"eventGridTrigger","direction":"in","name":"eventGridEvent"},
                         {"type":"serviceBus","direction":"out","name":"inboundEvents","queueName":"inbound-events","connection":"ServiceBusConnection"}]}
            """);
        AssertJson(dir, "InboundEvents", """
            {"bindings":[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"inbound-events","connection":"ServiceBusConnection","dataType":"binary"}]}
            """);
        AssertJson(dir, "Heartbeat", """
            {"bindings":[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 */5 * * * *"}]}
            """);
    }

    [Fact]
    public void Host_json_runs_this_handler_with_forwarded_http_and_the_route_prefix_the_endpoints_use()
    {
        var host = JsonNode.Parse(File.ReadAllText(RepositoryPaths.HostJson))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal(typeof(ContactCenter.Functions.ContactCenterApp).Assembly.GetName().Name,
            host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal(FunctionAppLayout.HttpRoutePrefix, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Declarations_reject_what_the_host_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("1bad", new TimerTrigger("0 * * * * *")));
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("NoTrigger", new ServiceBusOutput("out", "q")));
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("Twice", new ServiceBusTrigger("q"), new ServiceBusOutput("message", "q2")));
    }

    [Fact]
    public void An_http_function_may_have_no_output_but_the_http_one_so_the_host_keeps_forwarding_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => new FunctionDefinition("HttpToQueue", new HttpTrigger("x", ["post"]), new ServiceBusOutput("out", "q")));
        Assert.Contains("forwarding", refused.Message);
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("HttpToSignalR", new HttpTrigger("x", ["post"]), new HttpOutput(), new SignalROutput("push", "hub")));

        var plain = new FunctionDefinition("Plain", new HttpTrigger("x", ["get"]));
        Assert.IsType<HttpOutput>(Assert.Single(plain.Outputs));
        Assert.All(FunctionCatalog.All.Where(f => f.IsHttp), f => Assert.IsType<HttpOutput>(Assert.Single(f.Outputs)));
    }

    [Fact]
    public void Every_service_bus_trigger_takes_the_body_as_binary_which_the_fixtures_encode_as_the_host_does()
    {
        var triggers = FunctionCatalog.All.Select(f => f.Trigger).OfType<ServiceBusTrigger>().ToList();
        Assert.Equal(6, triggers.Count);
        Assert.All(triggers, t => Assert.Equal("binary", t.ToJson()["dataType"]!.GetValue<string>()));
    }

    private static void AssertJson(string dir, string function, string expected)
    {
        var actual = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, function, "function.json")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"{function}/function.json is {actual}");
    }
}
