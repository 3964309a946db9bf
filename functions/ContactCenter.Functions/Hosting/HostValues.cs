using System.Text;
using System.Text.Json;

namespace ContactCenter.Functions.Hosting;

/// <summary>
/// Undoes the Functions host's encoding of values in a custom handler's request. The host passes every Data and
/// Metadata value through GetHttpScriptInvocationContextValue (Azure/azure-functions-host,
/// src/WebJobs.Script/Workers/MessageExtensions/ScriptInvocationContextExtensions.cs) before Newtonsoft serializes the
/// whole request: a byte[] becomes base64, a POCO a JSON object, a DateTime its re-parsed value, and anything else
/// JsonConvert.SerializeObject(value): a string "q1" arrives as the JSON text "\"q1\"", the number 1 as "1"
/// (unit tests GetHttpScriptInvocationContextValueTest_String and DefaultHttpWorkerServiceTests).
/// See docs/functions-host.md.
/// </summary>
public static class HostValues
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The original text of a message body. With <c>"dataType": "binary"</c> (what this app declares) the host sends the
    /// body's bytes as base64; without it the body is a string, which the host JSON-serializes once more, so it arrives
    /// as a JSON string literal. The two cannot be confused: a literal starts with a quote, which base64 never contains.
    /// </summary>
    public static string BodyText(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInvocationException(
                $"{what} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; the Functions host sends a message body as a base64 string (dataType binary) or a JSON string literal.");
        }
        var text = value.GetString()!;
        if (text.StartsWith('"'))
        {
            return UnquoteLiteral(text) ?? throw new InvalidInvocationException($"{what} starts with a quote but is not a JSON string literal.");
        }
        var bytes = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            throw new InvalidInvocationException($"{what} is neither base64 (dataType binary) nor a JSON string literal.");
        }
        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidInvocationException($"{what} is not UTF-8 text.", ex);
        }
    }

    /// <summary>
    /// A metadata value as text: a JSON-quoted string unquoted ("\"q1\"" → q1), a number sent as its text ("1") or a date
    /// as it came, a raw JSON scalar as its text; null when absent or JSON null (the host leaves null values out).
    /// </summary>
    public static string? MetadataText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { } text && text.StartsWith('"') => UnquoteLiteral(text) ?? text,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>
    /// A binding that carries a JSON object (an Event Grid event): the object itself, or the same object sent as JSON text
    /// (once or twice encoded), as the host does when the binding's value reaches it as a string.
    /// </summary>
    public static JsonElement JsonObject(JsonElement value, string what)
    {
        for (var depth = 0; depth < 3 && value.ValueKind == JsonValueKind.String; depth++)
        {
            try
            {
                using var document = JsonDocument.Parse(value.GetString()!);
                value = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new InvalidInvocationException($"{what} is a string that is not JSON: {ex.Message}", ex);
            }
        }
        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidInvocationException($"{what} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not an object.");
    }

    private static string? UnquoteLiteral(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
