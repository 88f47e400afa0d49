using System.Globalization;
using System.Text;

namespace RcML.Bench;

/// <summary>A tiny SVG line chart (no plotting dependency).</summary>
public static class Svg
{
    public sealed record Series(string Name, double[] X, double[] Y);

    static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static string LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool logX = false, bool logY = false)
    {
        const double W = 640, H = 400, L = 70, R = 170, T = 40, B = 50;
        Func<double, double> fx = logX ? Math.Log10 : x => x, fy = logY ? Math.Log10 : y => y;
        var pts = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)
            && (!logX || p.First > 0) && (!logY || p.Second > 0)).ToArray();
        if (pts.Length == 0) return "";
        double x0 = pts.Min(p => fx(p.First)), x1 = pts.Max(p => fx(p.First));
        double y0 = pts.Min(p => fy(p.Second)), y1 = pts.Max(p => fy(p.Second));
        if (x1 - x0 < 1e-12) { x0 -= 1; x1 += 1; }
        if (y1 - y0 < 1e-12) { y0 -= 1; y1 += 1; }
        double pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
        double Px(double x) => L + (fx(x) - x0) / (x1 - x0) * (W - L - R);
        double Py(double y) => H - B - (fy(y) - y0) / (y1 - y0) * (H - T - B);
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(ci, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n");
        sb.Append(ci, $"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Esc(title)}</text>\n");
        sb.Append(ci, $"<rect x=\"{L}\" y=\"{T}\" width=\"{W - L - R}\" height=\"{H - T - B}\" fill=\"none\" stroke=\"#444\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double fxv = x0 + (x1 - x0) * i / 4, fyv = y0 + (y1 - y0) * i / 4;
            double xv = logX ? Math.Pow(10, fxv) : fxv, yv = logY ? Math.Pow(10, fyv) : fyv;
            double px = L + (W - L - R) * i / 4, py = H - B - (H - T - B) * i / 4;
            sb.Append(ci, $"<text x=\"{px:F1}\" y=\"{H - B + 16}\" text-anchor=\"middle\">{Fmt(xv)}</text>\n");
            sb.Append(ci, $"<text x=\"{L - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Fmt(yv)}</text>\n");
            sb.Append(ci, $"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{py:F1}\" y2=\"{py:F1}\" stroke=\"#ddd\"/>\n");
        }
        sb.Append(ci, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 12}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        sb.Append(ci, $"<text x=\"16\" y=\"{(T + H - B) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(T + H - B) / 2})\">{Esc(yLabel)}</text>\n");
        for (int s = 0; s < series.Count; s++)
        {
            var c = Colors[s % Colors.Length];
            var p = series[s].X.Zip(series[s].Y).Where(q => double.IsFinite(q.First) && double.IsFinite(q.Second)
                && (!logX || q.First > 0) && (!logY || q.Second > 0))
                .Select(q => string.Create(ci, $"{Px(q.First):F1},{Py(q.Second):F1}"));
            sb.Append(ci, $"<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{string.Join(" ", p)}\"/>\n");
            sb.Append(ci, $"<line x1=\"{W - R + 10}\" x2=\"{W - R + 30}\" y1=\"{T + 10 + 18 * s}\" y2=\"{T + 10 + 18 * s}\" stroke=\"{c}\" stroke-width=\"2\"/>\n");
            sb.Append(ci, $"<text x=\"{W - R + 34}\" y=\"{T + 14 + 18 * s}\">{Esc(series[s].Name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    static string Fmt(double v) => Math.Abs(v) >= 1000 || (Math.Abs(v) < 0.01 && v != 0) ? v.ToString("0.##E0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
    static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
