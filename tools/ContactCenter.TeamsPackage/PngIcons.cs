using System.Buffers.Binary;
using System.IO.Compression;

namespace ContactCenter.TeamsPackage;

/// <summary>
/// The app's two icons, drawn in code so they are reproducible byte for byte (no image editor, no binary-only source):
/// a white speech bubble with three dots. The color icon is 192x192 on the accent color; the outline icon is 32x32,
/// white on transparent, as Teams asks. PNG is written by hand (IHDR, one IDAT, IEND; RGBA, filter 0).
/// </summary>
public static class PngIcons
{
    public const int ColorSize = 192;
    public const int OutlineSize = 32;

    /// <summary>The accent color (#0F6CBD) behind the color icon's glyph.</summary>
    public static readonly (byte R, byte G, byte B) Accent = (0x0F, 0x6C, 0xBD);

    public static byte[] Color() => Encode(ColorSize, Draw(ColorSize, background: (Accent.R, Accent.G, Accent.B, 255), margin: 0.2));

    public static byte[] Outline() => Encode(OutlineSize, Draw(OutlineSize, background: (0, 0, 0, 0), margin: 0.04));

    /// <summary>RGBA pixels: the bubble (a rounded rectangle and a tail) in white, its three dots cut out.</summary>
    private static byte[] Draw(int size, (byte R, byte G, byte B, byte A) background, double margin)
    {
        var pixels = new byte[size * size * 4];
        double unit = size * (1 - 2 * margin), left = size * margin, top = size * margin;
        // The bubble in a unit square: body from y 0.08 to 0.72, tail down to 0.92 on the left.
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                double u = (x + 0.5 - left) / unit, v = (y + 0.5 - top) / unit;
                var white = InBubble(u, v) && !InDot(u, v);
                var i = (y * size + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = white ? ((byte)255, (byte)255, (byte)255, (byte)255) : background;
            }
        }
        return pixels;
    }

    private static bool InBubble(double u, double v)
    {
        const double x0 = 0, x1 = 1, y0 = 0.08, y1 = 0.72, r = 0.16;
        if (u >= x0 && u <= x1 && v >= y0 && v <= y1)
        {
            double cx = Math.Clamp(u, x0 + r, x1 - r), cy = Math.Clamp(v, y0 + r, y1 - r);
            return (u - cx) * (u - cx) + (v - cy) * (v - cy) <= r * r;
        }
        // The tail: a triangle under the body's left part.
        return v > y1 && v <= 0.92 && u >= 0.18 && u <= 0.18 + (0.92 - v) / 0.2 * 0.22;
    }

    private static bool InDot(double u, double v)
    {
        const double cy = 0.40, r = 0.075;
        foreach (var cx in (ReadOnlySpan<double>)[0.27, 0.5, 0.73])
        {
            if ((u - cx) * (u - cx) + (v - cy) * (v - cy) <= r * r)
            {
                return true;
            }
        }
        return false;
    }

    public static byte[] Encode(int size, byte[] rgba)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bits per channel
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < size; y++)
            {
                zlib.WriteByte(0); // no filter
                zlib.Write(rgba, y * size * 4, size * 4);
            }
        }
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Width, height and whether it is 8-bit RGBA, read from a PNG's IHDR.</summary>
    public static (int Width, int Height, bool Rgba) ReadHeader(ReadOnlySpan<byte> png) =>
        png.Length < 33 || png[12] != 'I' || png[13] != 'H' ? throw new FormatException("Not a PNG with an IHDR first.")
            : (BinaryPrimitives.ReadInt32BigEndian(png[16..]), BinaryPrimitives.ReadInt32BigEndian(png[20..]), png[24] == 8 && png[25] == 6);

    /// <summary>The RGBA pixels of a PNG this class wrote (filter 0 on every row).</summary>
    public static byte[] ReadPixels(byte[] png)
    {
        var (width, height, rgba) = ReadHeader(png);
        if (!rgba)
        {
            throw new FormatException("Only 8-bit RGBA is read.");
        }
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(png, at + 8, length);
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var rows = new MemoryStream();
        zlib.CopyTo(rows);
        var data = rows.ToArray();
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            if (data[y * (width * 4 + 1)] != 0)
            {
                throw new FormatException("Only unfiltered rows are read.");
            }
            Array.Copy(data, y * (width * 4 + 1) + 1, pixels, y * width * 4, width * 4);
        }
        return pixels;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeBytes, data));
        png.Write(number);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
