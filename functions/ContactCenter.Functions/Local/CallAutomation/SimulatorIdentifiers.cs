using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Functions.Local.CallAutomation;

/// <summary>
/// ACS communication identifiers as the wire carries them ({"rawId","kind","communicationUser"|"phoneNumber"|
/// "microsoftTeamsUser"}) and their raw ids: "4:+14255550100", "8:acs:...", "8:orgid:&lt;user id&gt;".
/// </summary>
internal static partial class SimulatorIdentifiers
{
    public static string? RawId(JsonNode? identifier)
    {
        if (identifier is not JsonObject o)
        {
            return null;
        }
        if (Text(o["rawId"]) is { Length: > 0 } raw)
        {
            return raw;
        }
        return Text(o["kind"]) switch
        {
            "phoneNumber" when Text(o["phoneNumber"]?["value"]) is { Length: > 0 } number => "4:" + number,
            "communicationUser" when Text(o["communicationUser"]?["id"]) is { Length: > 0 } id => id,
            "microsoftTeamsUser" when Text(o["microsoftTeamsUser"]?["userId"]) is { Length: > 0 } user => "8:orgid:" + user,
            _ => o["phoneNumber"]?["value"] is { } v ? "4:" + Text(v) : Text(o["communicationUser"]?["id"]) ?? (Text(o["microsoftTeamsUser"]?["userId"]) is { } u ? "8:orgid:" + u : null),
        };
    }

    /// <summary>A raw id, or a bare E.164 number, as the identifier object ACS sends in events.</summary>
    public static JsonObject Identifier(string rawIdOrNumber)
    {
        var raw = Normalize(rawIdOrNumber);
        if (raw.StartsWith("4:", StringComparison.Ordinal))
        {
            return new() { ["rawId"] = raw, ["kind"] = "phoneNumber", ["phoneNumber"] = new JsonObject { ["value"] = raw[2..] } };
        }
        if (raw.StartsWith("8:orgid:", StringComparison.Ordinal))
        {
            return new()
            {
                ["rawId"] = raw,
                ["kind"] = "microsoftTeamsUser",
                ["microsoftTeamsUser"] = new JsonObject { ["userId"] = raw["8:orgid:".Length..], ["isAnonymous"] = false, ["cloud"] = "public" },
            };
        }
        return new() { ["rawId"] = raw, ["kind"] = "communicationUser", ["communicationUser"] = new JsonObject { ["id"] = raw } };
    }

    /// <summary>"+1425..." becomes "4:+1425..."; raw ids stay as they are.</summary>
    public static string Normalize(string rawIdOrNumber) =>
        rawIdOrNumber.StartsWith('+') ? "4:" + rawIdOrNumber : rawIdOrNumber;

    public static bool IsPhone(string rawId) => rawId.StartsWith("4:", StringComparison.Ordinal);

    public static bool IsE164(string? value) => value is not null && E164().IsMatch(value);

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();
}
