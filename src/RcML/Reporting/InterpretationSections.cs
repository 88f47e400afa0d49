using System.Text;
using RcML.Analysis;
using RcML.Reporting.Svg;
using static RcML.Reporting.Html;
using static System.FormattableString;

namespace RcML.Reporting;

/// <summary>
/// The report's sections on what the models learned: attribution per group and for the top CVs, the closed-form RC,
/// and the isocommittor test. Charts show at most <see cref="MaxLabels"/> rows, so they stay readable at 100+ CVs;
/// full lists are folded below them.
/// </summary>
internal static class InterpretationSections
{
    /// <summary>Most labelled rows in one chart.</summary>
    public const int MaxLabels = 25;

    public static void Attribution(StringBuilder html, AttributionHeatmap? attribution, string notComputed)
    {
        if (attribution is null) { StudyReport.Placeholder(html, notComputed); return; }
        if (attribution.Groups is { } groups)
        {
            var order = Top(groups.Values, groups.Labels.Length);
            html.Append("<h3>Per group of CVs that move together</h3>\n");
            Figure(html, GridCharts.Heatmap($"Attribution per group (top {order.Length} of {groups.Labels.Length})", order.Select(g => groups.Labels[g]).ToArray(),
                    attribution.Models, Transpose(groups.Values, order), "share"),
                Invariant($"Groups: CVs with |r| ≥ {groups.Threshold:0.##} (circular correlation for angles, rank correlation otherwise); a group's share is its members' {attribution.Method ?? "attribution"} summed. Label: representative +number of other members."));
            html.Append($"<details><summary>All {groups.Labels.Length} groups with their members</summary>\n<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>group</th><th>members</th>");
            if (groups.Permutation is not null) html.Append("<th>joint permutation share (best model)</th>");
            html.Append("<th>mean share</th></tr></thead><tbody>");
            foreach (var g in Enumerable.Range(0, groups.Labels.Length).OrderByDescending(g => Mean(groups.Values, g)))
            {
                html.Append($"<tr><td>{Escape(groups.Labels[g])}</td><td class=\"numbers\">{Escape(string.Join(", ", groups.Members[g]))}</td>");
                if (groups.Permutation is { } p) html.Append($"<td>{Number(p[g])}</td>");
                html.Append($"<td>{Number(Mean(groups.Values, g))}</td></tr>");
            }
            html.Append("</tbody></table></div></details>\n");
        }
        var top = Top(attribution.Values, attribution.Cvs.Length);
        html.Append("<h3>Top CVs</h3>\n");
        Figure(html, GridCharts.Heatmap($"Attribution per CV (top {top.Length} of {attribution.Cvs.Length})", top.Select(c => attribution.Cvs[c]).ToArray(),
            attribution.Models, Transpose(attribution.Values, top), "share"), attribution.Method);
        if (attribution.Agreement is not null) html.Append($"<p>{Escape(attribution.Agreement)}</p>\n");
    }

    public static void ClosedForm(StringBuilder html, ClosedFormRc? rc, string notComputed)
    {
        if (rc is null) { StudyReport.Placeholder(html, notComputed); return; }
        html.Append($"<p class=\"formula\"><code>{Escape(rc.Formula)}</code></p>\n");
        html.Append("<table class=\"facts\">");
        html.Append($"<tr><th>Cross-entropy on the data</th><td>formula {Number(rc.CrossEntropy)} nats/shot, network {Number(rc.NetworkCrossEntropy)} (formula held out: {Number(rc.HeldOutCrossEntropy)})</td></tr>");
        html.Append($"<tr><th>CVs used</th><td>{Escape(rc.Cvs.Count == 0 ? "none" : string.Join(", ", rc.Cvs.Select(c => c.Name)))} (candidates: {Escape(string.Join(", ", rc.Candidates.Select(c => c.Name)))})</td></tr>");
        html.Append($"<tr><th>PLUMED</th><td><code>{Escape(rc.ToPlumed())}</code></td></tr>");
        html.Append($"<tr><th>C#</th><td><code>{Escape(rc.CSharp)}</code></td></tr></table>\n");
        html.Append("<p class=\"caption\">Basis functions of the top CV groups' representatives (linear terms, sin/cos of angles, pairwise products) added one at a time by fit to the network and the shots; the number of terms is the fewest within one standard error of the best cross-validated cross-entropy. Angles in the data's unit. <code>rcml distill</code> writes it as JSON.</p>\n");
    }

    public static void Isocommittor(StringBuilder html, BestModelEvaluation? model, string? missing)
    {
        if (model is null) { StudyReport.Placeholder(html, $"Not computed: {missing ?? "no model"}."); return; }
        var test = IsocommittorTest.Compute(model.Committor, model.CountA, model.CountB);
        if (test.Configurations > 0)
        {
            var chart = new XyChart($"Shot fractions of configurations with predicted p_B in [{Number(test.WindowLow)}, {Number(test.WindowHigh)}]",
                    "fraction of shots reaching B", "configurations", 640, 360)
                .XRange(0, 1)
                .Boxes(test.Histogram.Select(b => (b.Low, b.High, 0.0, b.Observed)).ToArray(), Palette.Primary, "observed",
                    test.Histogram.Select(b => $"[{Number(b.Low)}, {Number(b.High)}): observed {Number(b.Observed)}, Binomial(n, p_B) {Number(b.Expected)}").ToArray())
                .Line(test.Histogram.Select(b => (b.Low + b.High) / 2).ToArray(), test.Histogram.Select(b => b.Expected).ToArray(), Palette.Secondary, 2, legend: "Binomial(n, p_B)")
                .Markers(test.Histogram.Select(b => (b.Low + b.High) / 2).ToArray(), test.Histogram.Select(b => b.Expected).ToArray(), Palette.Secondary);
            Figure(html, chart.Render(), Invariant($"{test.Configurations} configurations, {test.MeanShots:0.#} shots each on average; the line is what Binomial(n, p_B) with each configuration's predicted p_B gives."));
        }
        html.Append($"<p><strong>{Escape(test.Verdict)}</strong></p>\n");
    }

    /// <summary>A long list folded behind its count and first few items.</summary>
    public static string Folded(IReadOnlyList<string> items, string noun, int shown = 8)
    {
        if (items.Count <= 2 * shown) return Escape(string.Join(", ", items));
        return $"<details><summary>{items.Count} {Escape(noun)}: {Escape(string.Join(", ", items.Take(shown)))}, …</summary>{Escape(string.Join(", ", items))}</details>";
    }

    /// <summary>Columns with the largest mean over rows, at most <see cref="MaxLabels"/>, largest first.</summary>
    private static int[] Top(double[,] values, int columns) =>
        Enumerable.Range(0, columns).OrderByDescending(c => Mean(values, c)).Take(MaxLabels).ToArray();

    private static double Mean(double[,] values, int column) =>
        Enumerable.Range(0, values.GetLength(0)).Select(m => values[m, column]).Where(double.IsFinite).DefaultIfEmpty(0).Average();

    private static double[,] Transpose(double[,] values, int[] columns)
    {
        var result = new double[columns.Length, values.GetLength(0)];
        for (int c = 0; c < columns.Length; c++)
            for (int m = 0; m < values.GetLength(0); m++) result[c, m] = values[m, columns[c]];
        return result;
    }

    private static void Figure(StringBuilder html, string svg, string? caption)
    {
        html.Append("<figure>").Append(svg);
        if (caption is not null) html.Append($"<figcaption>{Escape(caption)}</figcaption>");
        html.Append("</figure>\n");
    }
}
