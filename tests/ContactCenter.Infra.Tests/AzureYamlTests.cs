using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Infra.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ContactCenter.Infra.Tests;

/// <summary>azure.yaml is what azd expects (fields and values from the azd schema) and agrees with infra/.</summary>
public sealed partial class AzureYamlTests
{
    private static readonly YamlMappingNode Root = Load();

    [Fact]
    public void Name_follows_the_azd_schema()
    {
        Assert.Matches(AzdName(), Scalar(Root, "name"));
    }

    [Fact]
    public void The_function_service_publishes_the_custom_handler_project()
    {
        var services = Mapping(Root, "services");
        var (serviceName, serviceNode) = Assert.Single(services.Children);
        var service = (YamlMappingNode)serviceNode;

        Assert.Equal("function", Scalar(service, "host"));
        Assert.Equal("dotnet", Scalar(service, "language"));
        var project = Path.GetFullPath(Path.Combine(BicepCli.RepositoryRoot, Scalar(service, "project")));
        Assert.True(File.Exists(Path.Combine(project, "ContactCenter.Functions.csproj")), $"{project} is not the function app project.");
        // The publish target that makes `dotnet publish` output a complete custom-handler package.
        Assert.Contains("--write-function-metadata", File.ReadAllText(Path.Combine(project, "ContactCenter.Functions.csproj")));

        // azd finds the resource to deploy to by this tag.
        var site = Assert.Single(BicepCli.Compile(Path.Combine(BicepCli.InfraDirectory, "modules", "functionapp.bicep")).Resources("Microsoft.Web/sites"));
        Assert.Contains(((YamlScalarNode)serviceName).Value!, site.Body["tags"]!.ToJsonString());
        Assert.Contains("'azd-service-name', 'functions'", site.Body["tags"]!.GetValue<string>());
    }

    [Fact]
    public void Azd_is_required_in_a_version_whose_zip_keeps_the_handlers_execute_bit()
    {
        // azd >= 1.26.0 writes each file's mode into its function-app zip (Azure/azure-dev cli/azd/pkg/rzip/rzip.go,
        // header.SetMode, PR #8599); before, entries carried no mode and the custom handler lost its execute bit.
        var required = Scalar(Mapping(Root, "requiredVersions"), "azd");
        var minimum = Assert.Single(MinimumVersion().Matches(required));
        Assert.True(Version.Parse(minimum.Groups["version"].Value) >= new Version(1, 26, 0), $"requiredVersions.azd '{required}' allows an azd whose zip drops Unix modes.");
        Assert.DoesNotContain("<", required, StringComparison.Ordinal);
        // The publish target makes the handler 0755 in the folder azd zips.
        var project = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "functions", "ContactCenter.Functions", "ContactCenter.Functions.csproj"));
        Assert.Contains("chmod 0755 &quot;$(PublishDir)$(AssemblyName)&quot;", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_points_at_main_bicep()
    {
        var infra = Mapping(Root, "infra");
        Assert.Equal("bicep", Scalar(infra, "provider"));
        var module = infra.Children.TryGetValue(new YamlScalarNode("module"), out var m) ? ((YamlScalarNode)m).Value! : "main";
        Assert.True(File.Exists(Path.Combine(BicepCli.RepositoryRoot, Scalar(infra, "path"), module + ".bicep")));
    }

    [Fact]
    public void Hooks_run_on_both_shells_at_known_events()
    {
        string[] events = ["prerestore", "postrestore", "preprovision", "postprovision", "predeploy", "postdeploy", "prepackage", "postpackage", "preup", "postup", "predown", "postdown"];
        var hooks = Mapping(Root, "hooks");
        Assert.NotEmpty(hooks.Children);
        foreach (var (name, hook) in hooks.Children)
        {
            Assert.Contains(((YamlScalarNode)name).Value, events);
            Assert.Equal("sh", Scalar(Mapping((YamlMappingNode)hook, "posix"), "shell"));
            Assert.Equal("pwsh", Scalar(Mapping((YamlMappingNode)hook, "windows"), "shell"));
        }
        // The preprovision hook fills the one secure parameter main.bicep has no default for.
        Assert.Contains("VOICE_CALLBACK_SECRET", Scalar(Mapping(Mapping(hooks, "preprovision"), "posix"), "run"));
        Assert.Contains("CREATE_EVENT_SUBSCRIPTIONS", Scalar(Mapping(Mapping(hooks, "postdeploy"), "posix"), "run"));
    }

    [Fact]
    public void Parameters_file_names_only_real_parameters_and_every_required_one()
    {
        var template = BicepCli.Main.Root;
        var declared = template["parameters"]!.AsObject();
        var supplied = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();

        Assert.All(supplied, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets {p.Key}, which main.bicep does not declare."));
        foreach (var (name, parameter) in declared)
        {
            if (parameter!["defaultValue"] is null)
            {
                Assert.True(supplied.ContainsKey(name), $"main.bicep's required parameter {name} is not in main.parameters.json.");
            }
        }
        Assert.Equal("${AZURE_ENV_NAME}", supplied["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", supplied["location"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", supplied["principalId"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_give_azd_the_resource_group_and_the_app()
    {
        var outputs = BicepCli.Main.Root["outputs"]!.AsObject();
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "SERVICE_FUNCTIONS_URI" })
        {
            Assert.True(outputs.ContainsKey(name), $"main.bicep has no output {name}.");
        }
        Assert.All(outputs, o => Assert.NotEqual("securestring", o.Value!["type"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase));
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value!;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex AzdName();

    [GeneratedRegex(@">=\s*(?<version>\d+\.\d+\.\d+)")]
    private static partial Regex MinimumVersion();
}
