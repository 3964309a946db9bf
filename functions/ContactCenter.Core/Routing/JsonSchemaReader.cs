using System.Text;
using System.Text.Json;

namespace ContactCenter.Core.Routing;

/// <summary>One problem a <see cref="JsonSchemaReader{TResult}"/> found; each file format turns it into its own public error type.</summary>
internal sealed record JsonSchemaError(int Line, int Column, string Pointer, string Message);

/// <summary>
/// What the line-precise JSON readers (routing rules, IVR flows) have in common: parse with comments and trailing
/// commas, walk the document collecting every error with its line, column and JSON Pointer instead of stopping at the
/// first, and refuse the file whole when any was found. Unknown properties are errors, so a typo cannot silently drop
/// a setting. Only JsonDocument and Utf8JsonReader are used: nothing reflective, so it is Native AOT safe.
/// </summary>
/// <remarks>One reader instance reads one file.</remarks>
internal abstract partial class JsonSchemaReader<TResult> where TResult : class
{
    private const int MaxDepth = 32;

    private JsonPositions? _positions;

    protected List<JsonSchemaError> Errors { get; } = [];

    /// <summary>The file's model, or the exception from <see cref="Refuse"/> listing every problem.</summary>
    public TResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (_positions is not null)
        {
            throw new InvalidOperationException("A reader reads one file; create another for the next.");
        }
        var utf8 = Encoding.UTF8.GetBytes(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            // The parser's message ends with its own "Path: ... LineNumber: ..." suffix; the line and column are given apart.
            var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
            throw Refuse([new JsonSchemaError((int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, "", $"Not valid JSON: {reason}")]);
        }
        using (document)
        {
            _positions = JsonPositions.Read(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
            var result = Read(document.RootElement);
            return Errors.Count > 0 ? throw Refuse(Errors) : result!;
        }
    }

    /// <summary>Walks the document; returns null only when it has reported why.</summary>
    protected abstract TResult? Read(JsonElement root);

    /// <summary>The exception that refuses the file, in the format's public error type.</summary>
    protected abstract Exception Refuse(IReadOnlyList<JsonSchemaError> errors);

    protected void Error(string pointer, string message)
    {
        var (line, column) = (_positions ?? throw new InvalidOperationException("Errors are reported while a file is read.")).Of(pointer);
        Errors.Add(new JsonSchemaError(line, column, pointer, message));
    }

    /// <summary>Whether the value is an object; each property not in <paramref name="allowed"/> is reported.</summary>
    protected bool Object(JsonElement element, string at, IReadOnlyCollection<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(at, $"Expected an object, found {Describe(element)}.");
            return false;
        }
        foreach (var property in element.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
        {
            Error(Child(at, property.Name), $"Unknown property '{property.Name}'. Allowed here: {string.Join(", ", allowed)}.");
        }
        return true;
    }

    /// <summary>The property's value; a missing one is an error only when required.</summary>
    protected bool TryProperty(JsonElement parent, string at, string name, bool required, out JsonElement value)
    {
        if (parent.TryGetProperty(name, out value))
        {
            return true;
        }
        if (required)
        {
            Error(at, $"'{name}' is required.");
        }
        return false;
    }

    protected JsonElement? Array(JsonElement parent, string at, string name, bool required = false)
    {
        if (!TryProperty(parent, at, name, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(Child(at, name), $"'{name}' must be a list, not {Describe(value)}.");
            return null;
        }
        return value;
    }

    /// <summary>A non-empty string, trimmed.</summary>
    protected string? String(JsonElement parent, string at, string name, bool required = false)
    {
        if (!TryProperty(parent, at, name, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(Child(at, name), $"'{name}' must be a non-empty string, not {Describe(value)}.");
            return null;
        }
        return value.GetString()!.Trim();
    }

    protected int? Int(JsonElement parent, string at, string name, int min, int max, bool required = false)
    {
        if (!TryProperty(parent, at, name, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error(Child(at, name), $"'{name}' must be a whole number, not {Describe(value)}.");
            return null;
        }
        if (number < min || number > max)
        {
            Error(Child(at, name), $"'{name}' is {number}; it must be between {min} and {max}.");
            return null;
        }
        return number;
    }

    protected bool? Bool(JsonElement parent, string at, string name)
    {
        if (!TryProperty(parent, at, name, required: false, out var value))
        {
            return null;
        }
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(Child(at, name), $"'{name}' must be true or false, not {Describe(value)}.");
            return null;
        }
        return value.GetBoolean();
    }

    /// <summary>The pointer of a property: names from the file may hold '/' or '~'.</summary>
    protected static string Child(string at, string name) => $"{at}/{JsonPositions.Escape(name)}";

    protected static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
