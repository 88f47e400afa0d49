using System.Globalization;

namespace RcML.Reporting;

/// <summary>Escaping and number formatting shared by the HTML and SVG writers (invariant culture, so reports read the same everywhere).</summary>
internal static class Html
{
    /// <summary>Escapes text for element content and quoted attribute values (only the five markup characters: the file is UTF-8).</summary>
    public static string Escape(string? text) => string.IsNullOrEmpty(text) ? "" : text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    /// <summary>A number for SVG coordinates: short and invariant.</summary>
    public static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A number for people: 4 significant digits, scientific when tiny or huge.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        if (value == 0) return "0";
        var magnitude = Math.Abs(value);
        return magnitude is >= 1e-3 and < 1e5
            ? value.ToString("G4", CultureInfo.InvariantCulture)
            : value.ToString("0.###e0", CultureInfo.InvariantCulture);
    }

    /// <summary>A hyperparameter value (number, string or bool) for people.</summary>
    public static string Value(object? value) => value switch
    {
        null => "—",
        double d => Number(d),
        float f => Number(f),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
