using System.Text.Json;
using Azure;
using Azure.Core;

namespace ContactCenter.Azure.Communication;

/// <summary>
/// Reads ACS's CommunicationErrorResponse ({"error":{"code","message","target"}}) into the exception's ErrorCode and
/// message, with JsonDocument rather than Azure.Core's default parser so nothing depends on reflection under Native AOT.
/// </summary>
internal sealed class CommunicationErrorParser : RequestFailedDetailsParser
{
    public static readonly CommunicationErrorParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        error = null;
        data = null;
        var content = response.Content;
        if (content is null || content.ToMemory().IsEmpty)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            error = new ResponseError(Text(body, "code"), Text(body, "message"));
            if (Text(body, "target") is { } target)
            {
                data = new Dictionary<string, string> { ["target"] = target };
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
