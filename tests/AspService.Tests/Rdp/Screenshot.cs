using System.Globalization;
using System.Text;

namespace AspService.Tests.Rdp;

/// <summary>An RGB picture (from a binary PPM) and the few statistics the RDP test asks of it.</summary>
public sealed class Screenshot
{
    private readonly byte[] _rgb;

    private Screenshot(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Reads a binary PPM (P6, maxval 255): the header's four tokens, one whitespace byte, then the pixels.</summary>
    public static Screenshot FromPpm(byte[] ppm)
    {
        ArgumentNullException.ThrowIfNull(ppm);
        var tokens = new List<string>();
        var at = 0;
        while (tokens.Count < 4)
        {
            while (char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }

            var begin = at;
            while (!char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }

            tokens.Add(Encoding.ASCII.GetString(ppm, begin, at - begin));
        }

        at++;
        if (tokens[0] != "P6" || tokens[3] != "255")
        {
            throw new FormatException($"not an 8-bit binary PPM: {string.Join(' ', tokens)}");
        }

        var width = int.Parse(tokens[1], CultureInfo.InvariantCulture);
        var height = int.Parse(tokens[2], CultureInfo.InvariantCulture);
        return new Screenshot(width, height, ppm.AsSpan(at, width * height * 3).ToArray());
    }

    /// <summary>The colour of one pixel as six hex digits (lower case, as in xrdp.ini).</summary>
    public string ColourAt(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return string.Create(CultureInfo.InvariantCulture, $"{_rgb[i]:x2}{_rgb[i + 1]:x2}{_rgb[i + 2]:x2}");
    }

    /// <summary>How many pixels of each colour there are in a rectangle (the whole picture by default).</summary>
    public Dictionary<string, int> Histogram(int x = 0, int y = 0, int? width = null, int? height = null)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = y; row < y + (height ?? Height); row++)
        {
            for (var column = x; column < x + (width ?? Width); column++)
            {
                var colour = ColourAt(column, row);
                counts[colour] = counts.GetValueOrDefault(colour) + 1;
            }
        }

        return counts;
    }
}
