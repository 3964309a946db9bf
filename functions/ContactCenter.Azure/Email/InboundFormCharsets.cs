using System.Text;
using System.Text.Json;

namespace ContactCenter.Azure.Email;

/// <summary>A text field of a multipart/form-data inbound-parse post, still as bytes; <see cref="Charset"/> from its part's Content-Type, if any.</summary>
public sealed record InboundFormField(string Name, ReadOnlyMemory<byte> Value, string? Charset = null);

/// <summary>
/// Decodes the text fields of a SendGrid-style inbound-parse form. SendGrid passes each field in the charset the email
/// used and says which in the <c>charsets</c> field, a JSON object such as
/// {"subject":"UTF-8","text":"iso-8859-1","html":"windows-1252"}. A field's charset comes from there, else from its
/// part's Content-Type, else UTF-8. The Windows code pages (windows-125x) come from <see cref="CodePagesEncodingProvider"/>.
/// An unknown charset or an unreadable <c>charsets</c> field never fails the message: the field is read as UTF-8 and
/// a warning is reported.
/// </summary>
public static class InboundFormCharsets
{
    static InboundFormCharsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public const string CharsetsField = "charsets";

    /// <summary>The fields as text (a repeated field: the last one); <paramref name="warn"/> hears of every charset fallen back from.</summary>
    public static Dictionary<string, string> Decode(IReadOnlyList<InboundFormField> fields, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(warn);
        var charsets = Charsets(fields.LastOrDefault(f => f.Name == CharsetsField), warn);
        var decoded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var charset = charsets.GetValueOrDefault(field.Name) ?? field.Charset;
            decoded[field.Name] = Resolve(charset, field.Name, warn).GetString(field.Value.Span);
        }
        return decoded;
    }

    /// <summary>The encoding named <paramref name="charset"/>; UTF-8 (with a warning) when it is unknown, UTF-8 when none is named.</summary>
    public static Encoding Resolve(string? charset, string field, Action<string> warn)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }
        try
        {
            // Default fallbacks replace undecodable bytes with U+FFFD rather than throwing.
            return Encoding.GetEncoding(charset.Trim().Trim('"'));
        }
        catch (ArgumentException)
        {
            warn($"Field '{field}' names the unknown charset '{charset}'; read as UTF-8.");
            return Encoding.UTF8;
        }
    }

    private static Dictionary<string, string> Charsets(InboundFormField? field, Action<string> warn)
    {
        var charsets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (field is null || field.Value.IsEmpty)
        {
            return charsets;
        }
        try
        {
            using var document = JsonDocument.Parse(field.Value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                warn("The 'charsets' field is not a JSON object; every field read as UTF-8.");
                return charsets;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } name)
                {
                    charsets[property.Name] = name;
                }
            }
        }
        catch (JsonException ex)
        {
            warn($"The 'charsets' field is not JSON ({ex.Message}); every field read as UTF-8.");
        }
        return charsets;
    }
}
