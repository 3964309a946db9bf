using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Infra.Tests.Infrastructure;

namespace ContactCenter.Infra.Tests;

/// <summary>
/// Every role assignment in the compiled main.bicep names a built-in role this table knows, for the principal the
/// template means. A GUID that is not a built-in role makes `azd provision` fail (RoleDefinitionDoesNotExist).
/// </summary>
public sealed partial class RoleAssignmentTests
{
    /// <summary>
    /// Built-in role ids, from the built-in roles pages (learn.microsoft.com/azure/role-based-access-control/built-in-roles/&lt;category&gt;;
    /// source files MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/*.md, each role's JSON "name"
    /// and "roleName"), cross-checked for storage against Azure/azure-sdk-for-net
    /// sdk/provisioning/Azure.Provisioning.Storage/src/Generated/StorageBuiltInRole.cs.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BuiltInRoles = new Dictionary<string, string>
    {
        // built-in-roles/privileged.md (general)
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        // built-in-roles/integration.md
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        // built-in-roles/storage.md
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        // built-in-roles/security.md
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        // built-in-roles/monitor.md
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        // built-in-roles/web-and-mobile.md
        ["7e4f1700-ea5a-4f59-8f37-079cfe29dce3"] = "SignalR Service Owner",
    };

    private sealed record Assignment(string Scope, string Principal, string PrincipalType, IReadOnlyList<string> Roles);

    private static readonly Lazy<IReadOnlyList<Assignment>> All = new(() =>
        BicepCli.Main.Resources("Microsoft.Authorization/roleAssignments").Select(Read).ToList());

    [Fact]
    public void Every_role_assignment_names_a_known_built_in_role()
    {
        Assert.NotEmpty(All.Value);
        foreach (var assignment in All.Value)
        {
            Assert.NotEmpty(assignment.Roles);
            Assert.All(assignment.Roles, role => Assert.True(BuiltInRoles.ContainsKey(role),
                $"{assignment.Scope}: role {role} is not a built-in role in the table (check the built-in roles page)."));
        }
    }

    [Fact]
    public void The_app_identity_holds_the_roles_the_functions_docs_name_for_its_bindings()
    {
        // learn.microsoft.com/azure/azure-functions/functions-reference (Connections → Bindings table): a Service Bus
        // trigger needs Azure Service Bus Data Receiver or Data Owner; target-based scaling reads queue runtime
        // properties, which needs the management rights only Data Owner has. SignalR: SignalR Service Owner for
        // trigger, input and output (functions-bindings-signalr-service, "Identity-based connections").
        var app = App();
        Assert.Contains("Azure Service Bus Data Owner", RolesOn(app, "ServiceBus"));
        Assert.Contains("SignalR Service Owner", RolesOn(app, "SignalRService"));
        Assert.DoesNotContain(app, a => a.Roles.Contains("420fcaa2-552c-430f-98ca-3264be4806c7"));
        Assert.Contains("Storage Blob Data Owner", RolesOn(app, "Storage"));
        Assert.Contains("Storage Table Data Contributor", RolesOn(app, "Storage"));
        Assert.Contains("Key Vault Secrets User", RolesOn(app, "KeyVault"));
        Assert.Contains("Monitoring Metrics Publisher", RolesOn(app, "Insights"));
    }

    [Fact]
    public void Every_role_for_the_deploying_principal_uses_the_principal_type_azd_supplies()
    {
        // azd passes AZURE_PRINCIPAL_TYPE ("User", or "ServicePrincipal" for a client-id login): Azure/azure-dev
        // cli/azd/pkg/environment/environment.go (PrincipalTypeEnvVarName) and
        // cli/azd/pkg/infra/provisioning/current_principal_id_provider.go (CurrentPrincipalType).
        var deployer = All.Value.Where(a => a.Principal == "[parameters('principalId')]").ToList();
        Assert.NotEmpty(deployer);
        Assert.All(deployer, a => Assert.Equal("[parameters('principalType')]", a.PrincipalType));

        var parameter = BicepCli.Main.Root["parameters"]!["principalType"]!;
        var allowed = parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains("User", allowed);
        Assert.Contains("ServicePrincipal", allowed);
        var supplied = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", supplied["principalType"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_identity_and_system_identities_are_assigned_as_service_principals()
    {
        Assert.All(All.Value.Where(a => a.Principal != "[parameters('principalId')]"),
            a => Assert.Equal("ServicePrincipal", a.PrincipalType));
    }

    private static List<Assignment> App() =>
        All.Value.Where(a => a.Principal == "[parameters('identityPrincipalId')]").ToList();

    private static List<string> RolesOn(List<Assignment> assignments, string provider) =>
        assignments.Where(a => a.Scope.Contains($"Microsoft.{provider}/", StringComparison.Ordinal))
            .SelectMany(a => a.Roles).Select(r => BuiltInRoles.GetValueOrDefault(r, r)).ToList();

    /// <summary>The role GUIDs an assignment's roleDefinitionId names: literals, and variables (strings or arrays) it refers to.</summary>
    private static Assignment Read(ArmTemplate.Resource resource)
    {
        var properties = resource.Properties;
        var expression = properties["roleDefinitionId"]!.GetValue<string>();
        var roles = Guids(expression).ToList();
        foreach (Match variable in VariableReference().Matches(expression))
        {
            var value = resource.Template["variables"]?[variable.Groups["name"].Value];
            roles.AddRange(value switch
            {
                JsonArray items => items.SelectMany(i => Guids(i!.ToJsonString())),
                null => [],
                _ => Guids(value.ToJsonString()),
            });
        }
        return new Assignment(
            resource.Body["scope"]?.GetValue<string>() ?? "",
            properties["principalId"]!.GetValue<string>(),
            properties["principalType"]?.GetValue<string>() ?? "",
            roles.Distinct().ToList());
    }

    private static IEnumerable<string> Guids(string text) => GuidPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
