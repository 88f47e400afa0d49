using System.Text;
using static RcML.Reporting.Html;

namespace RcML.Reporting.Svg;

/// <summary>Writes SVG elements with escaped text and compact invariant numbers; the primitives every chart draws with.</summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _svg = new();

    /// <summary>Font stack without web fonts, so the file stays self-contained.</summary>
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

    public SvgWriter(double width, double height, string title, bool centerTitle = true)
    {
        _svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Coordinate(width)} {Coordinate(height)}\" ")
            .Append($"width=\"{Coordinate(width)}\" height=\"{Coordinate(height)}\" role=\"img\" aria-label=\"{Escape(title)}\" ")
            .Append($"font-family=\"{Escape(FontFamily)}\" font-size=\"12\">")
            .Append($"<title>{Escape(title)}</title>");
        Rect(0, 0, width, height, "#ffffff");
        Text(centerTitle ? width / 2 : 12, 20, title, anchor: centerTitle ? "middle" : "start", size: 14, weight: "600");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null, double opacity = 1) =>
        _svg.Append($"<line x1=\"{Coordinate(x1)}\" y1=\"{Coordinate(y1)}\" x2=\"{Coordinate(x2)}\" y2=\"{Coordinate(y2)}\" stroke=\"{stroke}\" stroke-width=\"{Coordinate(width)}\"{Dash(dash)}{Opacity(opacity)}/>");

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 1.5, string? dash = null, double opacity = 1, string? tooltip = null)
    {
        _svg.Append("<polyline fill=\"none\" points=\"");
        foreach (var (x, y) in points) _svg.Append(Coordinate(x)).Append(',').Append(Coordinate(y)).Append(' ');
        _svg.Append($"\" stroke=\"{stroke}\" stroke-width=\"{Coordinate(width)}\" stroke-linejoin=\"round\"{Dash(dash)}{Opacity(opacity)}");
        CloseWithTooltip("polyline", tooltip);
    }

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null, double opacity = 1, string? tooltip = null)
    {
        _svg.Append($"<rect x=\"{Coordinate(x)}\" y=\"{Coordinate(y)}\" width=\"{Coordinate(Math.Max(0, width))}\" height=\"{Coordinate(Math.Max(0, height))}\" fill=\"{fill}\"");
        if (stroke is not null) _svg.Append($" stroke=\"{stroke}\" stroke-width=\"0.5\"");
        _svg.Append(Opacity(opacity));
        CloseWithTooltip("rect", tooltip);
    }

    public void Marker(MarkerShape shape, double x, double y, double radius, string fill, string? tooltip = null)
    {
        switch (shape)
        {
            case MarkerShape.Circle:
                _svg.Append($"<circle cx=\"{Coordinate(x)}\" cy=\"{Coordinate(y)}\" r=\"{Coordinate(radius)}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"0.75\"");
                CloseWithTooltip("circle", tooltip);
                break;
            case MarkerShape.Square:
                Rect(x - radius, y - radius, 2 * radius, 2 * radius, fill, "#ffffff", tooltip: tooltip);
                break;
            case MarkerShape.Triangle:
                _svg.Append($"<polygon points=\"{Coordinate(x)},{Coordinate(y - radius * 1.2)} {Coordinate(x - radius * 1.1)},{Coordinate(y + radius * 0.8)} {Coordinate(x + radius * 1.1)},{Coordinate(y + radius * 0.8)}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"0.75\"");
                CloseWithTooltip("polygon", tooltip);
                break;
            case MarkerShape.Cross:
                _svg.Append($"<path d=\"M{Coordinate(x - radius)},{Coordinate(y - radius)}L{Coordinate(x + radius)},{Coordinate(y + radius)}M{Coordinate(x - radius)},{Coordinate(y + radius)}L{Coordinate(x + radius)},{Coordinate(y - radius)}\" stroke=\"{fill}\" stroke-width=\"2\"");
                CloseWithTooltip("path", tooltip);
                break;
        }
    }

    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string fill = "#222222",
        string? weight = null, double rotate = 0, string baseline = "auto", bool halo = false)
    {
        _svg.Append($"<text x=\"{Coordinate(x)}\" y=\"{Coordinate(y)}\" text-anchor=\"{anchor}\" font-size=\"{Coordinate(size)}\" fill=\"{fill}\"");
        // A white outline behind the glyphs keeps labels readable where lines cross them.
        if (halo) _svg.Append(" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
        if (weight is not null) _svg.Append($" font-weight=\"{weight}\"");
        if (baseline != "auto") _svg.Append($" dominant-baseline=\"{baseline}\"");
        if (rotate != 0) _svg.Append($" transform=\"rotate({Coordinate(rotate)} {Coordinate(x)} {Coordinate(y)})\"");
        _svg.Append('>').Append(Escape(text)).Append("</text>");
    }

    /// <summary>A vertical color bar from <paramref name="low"/> (bottom) to <paramref name="high"/> (top) with three labels.</summary>
    public void ColorBar(double x, double y, double width, double height, ColorScale scale, double low, double high, string label)
    {
        const int steps = 32;
        for (int i = 0; i < steps; i++)
        {
            double t = (i + 0.5) / steps;
            Rect(x, y + height - (i + 1) * height / steps, width, height / steps + 0.5, scale.At(t));
        }
        Rect(x, y, width, height, "none", "#888888");
        Text(x + width + 4, y + height, Number(low), baseline: "middle", size: 10);
        Text(x + width + 4, y + height / 2, Number((low + high) / 2), baseline: "middle", size: 10);
        Text(x + width + 4, y, Number(high), baseline: "middle", size: 10);
        Text(x + width / 2, y - 8, label, anchor: "middle", size: 10);
    }

    public override string ToString() => _svg + "</svg>";

    private void CloseWithTooltip(string element, string? tooltip)
    {
        // A <title> child is the one tooltip browsers show for SVG without any script.
        if (tooltip is null) _svg.Append("/>");
        else _svg.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append('>');
    }

    private static string Dash(string? dash) => dash is null ? "" : $" stroke-dasharray=\"{dash}\"";
    private static string Opacity(double opacity) => opacity >= 1 ? "" : $" opacity=\"{Coordinate(opacity)}\"";
}

/// <summary>Shape of a scatter marker.</summary>
internal enum MarkerShape { Circle, Square, Triangle, Cross }

/// <summary>A sequential color scale interpolated between a few stops; <see cref="At"/> takes t in [0, 1].</summary>
internal sealed class ColorScale(params string[] stops)
{
    /// <summary>Light yellow to dark blue (ColorBrewer YlGnBu): dark is "more", and light lines recede on white.</summary>
    public static ColorScale YellowGreenBlue { get; } = new("#ffffd9", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84");

    /// <summary>Trials by value: as <see cref="YellowGreenBlue"/> without its near-white end, so the worst trials stay visible.</summary>
    public static ColorScale Trials { get; } = new("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84");

    /// <summary>Blue, white, red for signed values centred on 0.</summary>
    public static ColorScale Diverging { get; } = new("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b");

    private readonly (int R, int G, int B)[] _stops = stops.Select(Parse).ToArray();

    public string At(double t)
    {
        t = double.IsNaN(t) ? 0.5 : Math.Clamp(t, 0, 1);
        double position = t * (_stops.Length - 1);
        int i = Math.Min((int)position, _stops.Length - 2);
        double f = position - i;
        var (a, b) = (_stops[i], _stops[i + 1]);
        return $"#{Mix(a.R, b.R, f):x2}{Mix(a.G, b.G, f):x2}{Mix(a.B, b.B, f):x2}";
    }

    private static int Mix(int a, int b, double f) => (int)Math.Round(a + (b - a) * f);

    private static (int, int, int) Parse(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
}

/// <summary>Colors used across the report, so every chart speaks the same language.</summary>
internal static class Palette
{
    public const string Primary = "#1f77b4";
    public const string Secondary = "#ff7f0e";
    public const string Good = "#2ca02c";
    public const string Bad = "#d62728";
    public const string Muted = "#9a9a9a";
    public const string Grid = "#e6e6e6";
    public const string Axis = "#444444";
}
