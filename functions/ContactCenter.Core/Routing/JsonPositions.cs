using System.Text;
using System.Text.Json;

namespace ContactCenter.Core.Routing;

/// <summary>
/// Where each value of a JSON text starts, by JSON Pointer (RFC 6901), so validation errors can name a line and
/// column. System.Text.Json's document model keeps no positions; its reader does, as byte offsets.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    public (int Line, int Column) Of(string pointer)
    {
        // Fall back to the nearest enclosing value that has a position (a missing property: its object).
        for (var p = pointer; ; p = p[..Math.Max(0, p.LastIndexOf('/'))])
        {
            if (_positions.TryGetValue(p, out var position))
            {
                return position;
            }
            if (p.Length == 0)
            {
                return (1, 1);
            }
        }
    }

    public static JsonPositions Read(byte[] utf8, JsonReaderOptions options)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        var positions = new JsonPositions();
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, options);
        while (reader.Read())
        {
            var at = Locate(lineStarts, utf8, (int)reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1].Property = reader.GetString();
                    positions._positions.TryAdd(Pointer(frames), at);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    positions._positions.TryAdd(Pointer(frames), at);
                    frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    Advance(frames);
                    break;
                case JsonTokenType.Comment:
                    break;
                default:
                    positions._positions.TryAdd(Pointer(frames), at);
                    Advance(frames);
                    break;
            }
        }
        return positions;
    }

    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private static string Pointer(List<Frame> frames)
    {
        var pointer = new StringBuilder();
        foreach (var frame in frames)
        {
            pointer.Append('/').Append(frame.IsArray ? frame.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : Escape(frame.Property ?? ""));
        }
        return pointer.ToString();
    }

    private static (int Line, int Column) Locate(List<int> lineStarts, byte[] utf8, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        // Columns count characters, not bytes, so a line with accents still points at the right place.
        var column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], offset - lineStarts[line]) + 1;
        return (line + 1, column);
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public string? Property { get; set; }
        public int Index { get; set; }
    }
}
