using static RcML.Reporting.Html;

namespace RcML.Reporting.Svg;

/// <summary>
/// A chart with numeric x and y axes (ticks, grid, labels, legend) onto which lines, markers, error bars and
/// rectangles (bars, histograms) are drawn in data coordinates. Ranges fit the data unless fixed.
/// </summary>
internal sealed class XyChart(string title, string xLabel, string yLabel, double width = 960, double height = 400)
{
    private const double Left = 70, Right = 24, TitleHeight = 40, LegendHeight = 22, Bottom = 52;

    private readonly List<Action<SvgWriter, Func<double, double>, Func<double, double>>> _layers = new();
    private readonly List<(double X, double Y)> _extent = new();
    private readonly List<(string Label, string Color, MarkerShape? Shape, string? Dash)> _legend = new();
    private (double Min, double Max)? _xRange, _yRange;
    private IReadOnlyList<string>? _xCategories;

    public XyChart XRange(double min, double max) { _xRange = (min, max); return this; }
    public XyChart YRange(double min, double max) { _yRange = (min, max); return this; }

    /// <summary>Labels the x positions 0, 1, ... with names instead of numeric ticks.</summary>
    public XyChart XCategories(IReadOnlyList<string> labels)
    {
        _xCategories = labels;
        return XRange(-0.5, labels.Count - 0.5);
    }

    public XyChart Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string color, double strokeWidth = 2, string? dash = null,
        string? legend = null, double opacity = 1)
    {
        var points = Finite(x, y);
        _extent.AddRange(points);
        if (legend is not null) _legend.Add((legend, color, null, dash));
        _layers.Add((svg, px, py) => svg.Polyline(points.Select(p => (px(p.X), py(p.Y))), color, strokeWidth, dash, opacity));
        return this;
    }

    /// <summary>A step line (value held until the next x), e.g. best-so-far.</summary>
    public XyChart Steps(IReadOnlyList<double> x, IReadOnlyList<double> y, string color, double strokeWidth = 2, string? legend = null)
    {
        var sx = new List<double>();
        var sy = new List<double>();
        for (int i = 0; i < x.Count; i++)
        {
            if (i > 0) { sx.Add(x[i]); sy.Add(y[i - 1]); }
            sx.Add(x[i]); sy.Add(y[i]);
        }
        return Line(sx, sy, color, strokeWidth, legend: legend);
    }

    public XyChart Markers(IReadOnlyList<double> x, IReadOnlyList<double> y, string color, MarkerShape shape = MarkerShape.Circle,
        double radius = 4, string? legend = null, IReadOnlyList<string>? tooltips = null, IReadOnlyList<double>? radii = null)
    {
        var index = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        _extent.AddRange(index.Select(i => (x[i], y[i])));
        if (legend is not null) _legend.Add((legend, color, shape, null));
        _layers.Add((svg, px, py) =>
        {
            foreach (var i in index) svg.Marker(shape, px(x[i]), py(y[i]), radii?[i] ?? radius, color, tooltips?[i]);
        });
        return this;
    }

    /// <summary>Vertical error bars from <paramref name="low"/> to <paramref name="high"/>.</summary>
    public XyChart ErrorBars(IReadOnlyList<double> x, IReadOnlyList<double> low, IReadOnlyList<double> high, string color)
    {
        for (int i = 0; i < x.Count; i++) { _extent.Add((x[i], low[i])); _extent.Add((x[i], high[i])); }
        _layers.Add((svg, px, py) =>
        {
            for (int i = 0; i < x.Count; i++)
            {
                if (!double.IsFinite(low[i]) || !double.IsFinite(high[i])) continue;
                double cx = px(x[i]);
                svg.Line(cx, py(low[i]), cx, py(high[i]), color, 1.2);
                svg.Line(cx - 3, py(low[i]), cx + 3, py(low[i]), color, 1.2);
                svg.Line(cx - 3, py(high[i]), cx + 3, py(high[i]), color, 1.2);
            }
        });
        return this;
    }

    /// <summary>Rectangles [x0, x1] × [y0, y1] in data coordinates: bars and (stacked) histograms.</summary>
    public XyChart Boxes(IReadOnlyList<(double X0, double X1, double Y0, double Y1)> boxes, string color, string? legend = null,
        IReadOnlyList<string>? tooltips = null, double opacity = 1)
    {
        foreach (var b in boxes) { _extent.Add((b.X0, b.Y0)); _extent.Add((b.X1, b.Y1)); }
        if (legend is not null) _legend.Add((legend, color, MarkerShape.Square, null));
        _layers.Add((svg, px, py) =>
        {
            for (int i = 0; i < boxes.Count; i++)
            {
                var b = boxes[i];
                double x0 = px(b.X0), x1 = px(b.X1), y0 = py(b.Y0), y1 = py(b.Y1);
                svg.Rect(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0), color, "#ffffff", opacity, tooltips?[i]);
            }
        });
        return this;
    }

    /// <summary>Small text at a data point (e.g. counts beside calibration points).</summary>
    public XyChart Label(double x, double y, string text, double dx = 6, double dy = -6, string color = "#555555")
    {
        _layers.Add((svg, px, py) => svg.Text(px(x) + dx, py(y) + dy, text, size: 10, fill: color));
        return this;
    }

    public string Render()
    {
        var svg = new SvgWriter(width, height, title);
        var (xMin, xMax) = _xRange ?? Fit(_extent.Select(p => p.X));
        var (yMin, yMax) = _yRange ?? Fit(_extent.Select(p => p.Y));
        var xTicks = _xCategories is null ? Ticks.Nice(xMin, xMax) : Enumerable.Range(0, _xCategories.Count).Select(i => (double)i).ToArray();
        var yTicks = Ticks.Nice(yMin, yMax);
        if (_xRange is null && _xCategories is null) (xMin, xMax) = (Math.Min(xMin, xTicks[0]), Math.Max(xMax, xTicks[^1]));
        if (_yRange is null) (yMin, yMax) = (Math.Min(yMin, yTicks[0]), Math.Max(yMax, yTicks[^1]));

        // The legend gets its own row above the plot, so it never hides data.
        double top = TitleHeight + (_legend.Count > 0 ? LegendHeight : 0);
        double plotWidth = width - Left - Right, plotHeight = height - top - Bottom;
        double PixelX(double x) => Left + (x - xMin) / (xMax - xMin) * plotWidth;
        double PixelY(double y) => top + plotHeight - (y - yMin) / (yMax - yMin) * plotHeight;

        // Grid and tick labels first, then data, then the frame on top.
        int step = _xCategories is null ? 1 : Math.Max(1, (int)Math.Ceiling(_xCategories.Count * 60 / plotWidth));
        for (int i = 0; i < xTicks.Length; i += step)
        {
            var t = xTicks[i];
            if (t < xMin - 1e-12 || t > xMax + 1e-12) continue;
            svg.Line(PixelX(t), top, PixelX(t), top + plotHeight, Palette.Grid);
            svg.Text(PixelX(t), top + plotHeight + 16, _xCategories?[i] ?? Number(t), anchor: "middle", size: 11, fill: Palette.Axis);
        }
        foreach (var t in yTicks.Where(t => t >= yMin - 1e-12 && t <= yMax + 1e-12))
        {
            svg.Line(Left, PixelY(t), Left + plotWidth, PixelY(t), Palette.Grid);
            svg.Text(Left - 6, PixelY(t), Number(t), anchor: "end", size: 11, fill: Palette.Axis, baseline: "middle");
        }
        foreach (var layer in _layers) layer(svg, PixelX, PixelY);
        svg.Rect(Left, top, plotWidth, plotHeight, "none", Palette.Axis);
        svg.Text(Left + plotWidth / 2, height - 12, xLabel, anchor: "middle", size: 12);
        svg.Text(16, top + plotHeight / 2, yLabel, anchor: "middle", size: 12, rotate: -90);
        DrawLegend(svg, TitleHeight + 6);
        return svg.ToString();
    }

    private void DrawLegend(SvgWriter svg, double y)
    {
        double x = Left;
        foreach (var (label, color, shape, dash) in _legend)
        {
            if (shape is { } s) svg.Marker(s, x + 9, y, 4.5, color);
            else svg.Line(x, y, x + 18, y, color, 2.5, dash);
            svg.Text(x + 24, y, label, size: 11, baseline: "middle");
            x += 24 + label.Length * 6.2 + 22;
        }
    }

    private static List<(double X, double Y)> Finite(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        Enumerable.Range(0, Math.Min(x.Count, y.Count)).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).Select(i => (x[i], y[i])).ToList();

    private static (double, double) Fit(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (0, 1);
        double min = finite.Min(), max = finite.Max();
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max))) return (min - 0.5 * Math.Max(1e-3, Math.Abs(min)), max + 0.5 * Math.Max(1e-3, Math.Abs(max)));
        // Padding keeps markers at the extremes off the frame; a zero baseline (bars, histograms) stays put.
        double pad = 0.03 * (max - min);
        return (min == 0 ? 0 : min - pad, max == 0 ? 0 : max + pad);
    }
}

/// <summary>"Nice" axis ticks: steps of 1, 2 or 5 times a power of ten.</summary>
internal static class Ticks
{
    public static double[] Nice(double min, double max, int target = 6)
    {
        if (!(max > min)) return [min];
        double raw = (max - min) / target;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw);
        double first = Math.Floor(min / step) * step, last = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : Math.Round(t / step) * step);
        return ticks.ToArray();
    }
}
