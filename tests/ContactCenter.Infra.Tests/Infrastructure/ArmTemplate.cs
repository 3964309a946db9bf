using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Infra.Tests.Infrastructure;

/// <summary>
/// Compiled ARM JSON, read the way the tests need it: resources of a type from every nested module deployment, with
/// resource loops (copy over a literal variable) expanded to one entry per item. Values that are ARM expressions stay
/// strings such as "[parameters('x')]"; the names the tests check are literals in the templates by design.
/// </summary>
public sealed partial class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    /// <summary>One resource (or one iteration of a loop): its name's last literal segment and its properties.</summary>
    public sealed record Resource(string Type, string? Name, JsonObject Body, JsonObject Template, JsonNode? Item)
    {
        public JsonObject Properties => Body["properties"] as JsonObject ?? [];

        /// <summary>A property, with "[variables('v')[copyIndex()].field]" resolved to the loop item's field.</summary>
        public JsonNode? Property(string name) =>
            Properties[name] is JsonValue value && value.TryGetValue(out string? text) && LoopField().Match(text) is { Success: true } match
                ? Item?[match.Groups["field"].Value]
                : Properties[name];

        public string? Variable(string name) => Template["variables"]?[name]?.GetValue<string>();
    }

    public IEnumerable<Resource> Resources(string type) => Walk(Root).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Resource> Walk(JsonObject template)
    {
        foreach (var node in template["resources"]!.AsArray())
        {
            var body = node!.AsObject();
            var type = body["type"]!.GetValue<string>();
            if (type == "Microsoft.Resources/deployments" && body["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Walk(nested))
                {
                    yield return inner;
                }
                continue;
            }
            var name = body["name"]!.GetValue<string>();
            if (body["copy"] is not null && LoopVariable().Match(name) is { Success: true } loop)
            {
                foreach (var item in template["variables"]![loop.Groups["variable"].Value]!.AsArray())
                {
                    var itemName = loop.Groups["field"].Success ? item![loop.Groups["field"].Value]!.GetValue<string>() : item!.GetValue<string>();
                    yield return new Resource(type, itemName, body, template, item);
                }
                continue;
            }
            yield return new Resource(type, LastLiteral(name), body, template, null);
        }
    }

    /// <summary>"[format('{0}/{1}', parameters('name'), 'default')]" → "default"; a plain name is itself.</summary>
    private static string? LastLiteral(string name) =>
        !name.StartsWith('[') ? name.Split('/')[^1] : QuotedLiteral().Matches(name).Select(m => m.Groups[1].Value).LastOrDefault(v => !v.Contains('{'));

    [GeneratedRegex(@"variables\('(?<variable>\w+)'\)\[copyIndex\(\)\](\.(?<field>\w+))?\)?\]$")]
    private static partial Regex LoopVariable();

    [GeneratedRegex(@"^\[variables\('\w+'\)\[copyIndex\(\)\]\.(?<field>\w+)\]$")]
    private static partial Regex LoopField();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex QuotedLiteral();
}
