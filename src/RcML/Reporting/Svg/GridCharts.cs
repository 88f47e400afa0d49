using static RcML.Reporting.Html;

namespace RcML.Reporting.Svg;

/// <summary>Charts over named rows: horizontal bars and heatmaps (their labels need room a numeric axis does not).</summary>
internal static class GridCharts
{
    /// <summary>One bar per label, longest at the top, with its value printed at the end.</summary>
    public static string HorizontalBars(string title, string valueLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values,
        string color = Palette.Primary, double width = 960)
    {
        double labelWidth = Math.Clamp(labels.DefaultIfEmpty("").Max(l => l.Length) * 7 + 16, 80, 260);
        const double top = 40, rowHeight = 24, bottom = 44, right = 70;
        double height = top + rowHeight * Math.Max(1, labels.Count) + bottom;
        double plotWidth = width - labelWidth - right;
        double max = values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        var ticks = Ticks.Nice(0, max <= 0 ? 1 : max, 5);
        double scaleMax = ticks[^1];

        var svg = new SvgWriter(width, height, title);
        double PixelX(double v) => labelWidth + v / scaleMax * plotWidth;
        foreach (var t in ticks)
        {
            svg.Line(PixelX(t), top, PixelX(t), height - bottom, Palette.Grid);
            svg.Text(PixelX(t), height - bottom + 16, Number(t), anchor: "middle", size: 11, fill: Palette.Axis);
        }
        for (int i = 0; i < labels.Count; i++)
        {
            double y = top + i * rowHeight;
            double v = double.IsFinite(values[i]) ? Math.Max(0, values[i]) : 0;
            svg.Rect(labelWidth, y + 4, PixelX(v) - labelWidth, rowHeight - 8, color, tooltip: $"{labels[i]}: {Number(values[i])}");
            svg.Text(labelWidth - 8, y + rowHeight / 2, labels[i], anchor: "end", size: 12, baseline: "middle");
            svg.Text(PixelX(v) + 6, y + rowHeight / 2, Number(values[i]), size: 11, fill: Palette.Axis, baseline: "middle");
        }
        svg.Line(labelWidth, top, labelWidth, height - bottom, Palette.Axis);
        svg.Text(labelWidth + plotWidth / 2, height - 10, valueLabel, anchor: "middle");
        return svg.ToString();
    }

    /// <summary>
    /// A heatmap of <paramref name="values"/>[row, column] with a color bar. Signed data (negatives present) use a
    /// diverging scale symmetric around 0; otherwise a sequential one from 0.
    /// </summary>
    public static string Heatmap(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values,
        string valueLabel, double width = 720)
    {
        var finite = values.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        bool signed = finite.Min() < 0;
        double high = signed ? finite.Max(Math.Abs) : finite.Max();
        double low = signed ? -high : Math.Min(0, finite.Min());
        if (high <= low) high = low + 1;
        var scale = signed ? ColorScale.Diverging : ColorScale.YellowGreenBlue;

        double labelWidth = Math.Clamp(rows.DefaultIfEmpty("").Max(l => l.Length) * 7 + 16, 80, 240);
        double columnLabelHeight = Math.Clamp(columns.DefaultIfEmpty("").Max(l => l.Length) * 6 + 12, 30, 140);
        const double top = 40, right = 90;
        double cellWidth = Math.Min(96, (width - labelWidth - right) / Math.Max(1, columns.Count));
        double cellHeight = Math.Clamp(cellWidth * 0.6, 18, 30);
        double height = top + cellHeight * rows.Count + columnLabelHeight + 10;

        // As wide as the cells need (at least the title's width), so a small heatmap is not lost in white space.
        double usedWidth = Math.Max(title.Length * 8 + 40, labelWidth + columns.Count * cellWidth + right);
        var svg = new SvgWriter(usedWidth, height, title);
        for (int r = 0; r < rows.Count; r++)
        {
            double y = top + r * cellHeight;
            svg.Text(labelWidth - 8, y + cellHeight / 2, rows[r], anchor: "end", size: 11, baseline: "middle");
            for (int c = 0; c < columns.Count; c++)
            {
                double v = values[r, c], t = (v - low) / (high - low);
                double x = labelWidth + c * cellWidth;
                svg.Rect(x, y, cellWidth, cellHeight, double.IsFinite(v) ? scale.At(t) : "#dddddd", "#ffffff",
                    tooltip: $"{rows[r]} × {columns[c]}: {Number(v)}");
                if (cellWidth >= 40 && double.IsFinite(v))
                    svg.Text(x + cellWidth / 2, y + cellHeight / 2, Number(v), anchor: "middle", size: 10,
                        fill: Math.Abs(t - 0.5) > 0.3 && (signed || t > 0.5) ? "#ffffff" : "#222222", baseline: "middle");
            }
        }
        double labelsTop = top + rows.Count * cellHeight + 6;
        for (int c = 0; c < columns.Count; c++)
        {
            double x = labelWidth + (c + 0.5) * cellWidth;
            svg.Text(x, labelsTop, columns[c], anchor: "end", size: 11, rotate: -45, baseline: "hanging");
        }
        double barX = labelWidth + columns.Count * cellWidth + 24;
        svg.ColorBar(barX, top + 14, 14, Math.Max(60, rows.Count * cellHeight - 14), scale, low, high, valueLabel);
        return svg.ToString();
    }
}
