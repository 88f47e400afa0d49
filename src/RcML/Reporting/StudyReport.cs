using System.Text;
using RcML.AutoML;
using RcML.Committor;
using RcML.IO;
using RcML.Reporting.Svg;
using RcML.Storage;
using static RcML.Reporting.Html;
using static System.FormattableString;

namespace RcML.Reporting;

/// <summary>
/// A study report: one self-contained HTML file (inline CSS and SVG; no scripts, fonts or links to fetch) with the
/// study summary, optimization history, parallel coordinates, hyperparameter importance, modes of good trials,
/// feature attribution, and the best model's calibration, q histogram and learning curve.
/// </summary>
public static class StudyReport
{
    /// <summary>The report's sections in order: (id, title). The ids are the HTML anchors.</summary>
    public static IReadOnlyList<(string Id, string Title)> Sections { get; } =
    [
        ("summary", "Summary"),
        ("history", "Optimization history"),
        ("parallel-coordinates", "Parallel coordinates"),
        ("importance", "Hyperparameter importance"),
        ("modes", "Modes of good trials"),
        ("attribution", "Feature attribution"),
        ("closed-form", "Closed-form RC"),
        ("calibration", "Committor calibration"),
        ("isocommittor", "Isocommittor test"),
        ("q-histogram", "Histogram of q"),
        ("learning-curve", "Learning curve of the best trial"),
    ];

    /// <summary>Renders the report as an HTML document.</summary>
    public static string Build(StudyReportInput input)
    {
        input.Attribution?.Validate();
        var html = new StringBuilder();
        var title = $"RcML study report: {input.Study.Name}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>{Escape(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n<main>\n")
            .Append(Invariant($"<header><h1>{Escape(title)}</h1><p class=\"meta\">Generated {input.GeneratedUtc:yyyy-MM-dd HH:mm} UTC by RcML {Escape(RcMLInfo.Version)}</p></header>\n"))
            .Append("<nav><ol>");
        foreach (var (id, name) in Sections) html.Append($"<li><a href=\"#{id}\">{Escape(name)}</a></li>");
        html.Append("</ol></nav>\n");

        var space = input.ReadSearchSpace();
        Section(html, "summary", w => Summary(w, input, space));
        Section(html, "history", w => History(w, input));
        Section(html, "parallel-coordinates", w => ParallelCoordinates.Write(w, input, space));
        Section(html, "importance", w => Importance(w, input.Importance, NotComputed(input, "hyperparameter importance")));
        Section(html, "modes", w => Modes(w, input.Modes, space, NotComputed(input, "modes")));
        Section(html, "attribution", w => InterpretationSections.Attribution(w, input.Attribution, NotComputed(input, "feature attribution")));
        Section(html, "closed-form", w => InterpretationSections.ClosedForm(w, input.ClosedForm,
            NotComputed(input, input.AnalysisNotes.Any(n => n.StartsWith("closed-form RC", StringComparison.Ordinal)) ? "closed-form RC" : "feature attribution")));
        Section(html, "calibration", w => Calibration(w, input));
        Section(html, "isocommittor", w => InterpretationSections.Isocommittor(w, input.BestModel, input.BestModelMissingReason));
        Section(html, "q-histogram", w => QHistogram(w, input));
        Section(html, "learning-curve", w => LearningCurve(w, input));
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report and writes it atomically to <paramref name="path"/>.</summary>
    public static void Write(StudyReportInput input, string path) => AtomicFile.WriteAllText(path, Build(input));

    private static void Section(StringBuilder html, string id, Action<StringBuilder> body)
    {
        var title = Sections.First(s => s.Id == id).Title;
        html.Append($"<section id=\"{id}\">\n<h2>{Escape(title)}</h2>\n");
        body(html);
        html.Append("</section>\n");
    }

    internal static void Placeholder(StringBuilder html, string text) =>
        html.Append($"<p class=\"placeholder\">{Escape(text)}</p>\n");

    private static void Figure(StringBuilder html, string svg, string? caption = null)
    {
        html.Append("<figure>").Append(svg);
        if (caption is not null) html.Append($"<figcaption>{Escape(caption)}</figcaption>");
        html.Append("</figure>\n");
    }

    // Marks a summary value that is already HTML (a folded list).
    private const string FoldedMarker = "\u0001html:";

    private static void Summary(StringBuilder html, StudyReportInput input, SearchSpace? space)
    {
        var study = input.Study;
        var trials = input.Trials;
        var best = input.BestTrial;
        var rows = new List<(string, string)>
        {
            ("Study", study.Name),
            ("Created", Invariant($"{study.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC")),
            ("Trials", $"{trials.Count} ({string.Join(", ", Enum.GetValues<TrialState>().Select(s => $"{trials.Count(t => t.State == s)} {s.ToString().ToLowerInvariant()}"))})"),
        };
        if (trials.Count > 0)
        {
            var start = trials.Min(t => t.StartedUtc);
            var end = trials.Max(t => t.FinishedUtc ?? t.HeartbeatUtc ?? t.StartedUtc);
            rows.Add(("Time span", Invariant($"{start:yyyy-MM-dd HH:mm:ss} – {end:yyyy-MM-dd HH:mm:ss} UTC ({Duration(end - start)})")));
        }
        rows.Add(("Best value", best is null ? "no complete trial" : $"{Number(best.Value!.Value)} (trial {best.Number})"));
        if (input.BestModel is { } model)
        {
            var m = model.Metrics;
            rows.Add(("Data", $"{model.DataSource}: {m.Configurations} configurations, {Number(m.Shots)} shots"));
            rows.Add(("Best model on the data", $"trial {model.TrialNumber}; cross-entropy {Number(m.CrossEntropy)} nats/shot " +
                $"(constant-p baseline {Number(m.ConstantCrossEntropy)})" +
                (m.ReferenceCrossEntropy is { } r ? $"; reference {Number(r)}, excess {Number(m.ExcessCrossEntropy!.Value)}, RMSE of p_B {Number(m.RmseToReference!.Value)}" : "")));
            rows.Add(("Model inputs", FoldedMarker + InterpretationSections.Folded(model.InputColumns, "CVs")));
        }
        else rows.Add(("Data", $"not scored: {input.BestModelMissingReason ?? "no model"}"));
        foreach (var (key, value) in study.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)) rows.Add(($"Attribute {key}", value));

        html.Append("<table class=\"facts\">");
        foreach (var (key, value) in rows)
            html.Append($"<tr><th>{Escape(key)}</th><td>{(value.StartsWith(FoldedMarker, StringComparison.Ordinal) ? value[FoldedMarker.Length..] : Escape(value))}</td></tr>");
        html.Append("</table>\n");

        if (best is not null)
        {
            html.Append("<h3>Best parameters</h3>\n<table class=\"facts\">");
            foreach (var (name, value) in OrderedParameters(best.Parameters, space))
                html.Append($"<tr><th>{Escape(name)}</th><td>{Escape(Value(value))}</td></tr>");
            html.Append("</table>\n");
        }

        var top = input.RankedTrials.Take(input.Top).ToArray();
        if (top.Length == 0) return;
        var names = ParameterNames(top.Select(t => t.Parameters), space);
        html.Append($"<h3>Top {top.Length} trials</h3>\n<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>#</th><th>trial</th><th>value</th><th>epochs</th><th>duration</th>");
        foreach (var name in names) html.Append($"<th>{Escape(name)}</th>");
        html.Append("</tr></thead><tbody>");
        for (int i = 0; i < top.Length; i++)
        {
            var t = top[i];
            html.Append($"<tr><td>{i + 1}</td><td>{t.Number}</td><td>{Number(t.Value!.Value)}</td><td>{t.Curve.Count}</td><td>{(t.DurationSeconds is { } d ? Duration(TimeSpan.FromSeconds(d)) : "—")}</td>");
            foreach (var name in names) html.Append($"<td>{Escape(Value(t.Parameters.TryGetValue(name, out var v) ? v : null))}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>\n");
    }

    private static void History(StringBuilder html, StudyReportInput input)
    {
        var trials = input.Trials;
        if (trials.Count == 0) { Placeholder(html, "The study has no trials yet."); return; }
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToArray();
        var pruned = trials.Where(t => t.State == TrialState.Pruned && t.Value is { } v && double.IsFinite(v)).ToArray();
        var failed = trials.Where(t => t.State != TrialState.Running && !(t.Value is { } v && double.IsFinite(v))).ToArray();

        var chart = new XyChart("Value per trial", "trial number", "value (validation loss)");
        var shown = complete.Concat(pruned).Select(t => t.Value!.Value).ToArray();
        if (shown.Length > 0)
        {
            double low = shown.Min(), high = shown.Max(), pad = Math.Max(1e-9, (high - low) * 0.08);
            chart.XRange(-0.5, Math.Max(1, trials.Max(t => t.Number)) + 0.5).YRange(low - pad, high + pad * (failed.Length > 0 ? 2.5 : 1));
            if (failed.Length > 0)
            {
                // Failed trials have no value: marked along the top edge.
                double top = high + pad * 1.8;
                chart.Markers(failed.Select(t => (double)t.Number).ToArray(), failed.Select(_ => top).ToArray(), Palette.Bad, MarkerShape.Cross,
                    legend: "failed (no value)", tooltips: failed.Select(t => $"trial {t.Number}: failed{(t.Error is null ? "" : ": " + t.Error)}").ToArray());
            }
        }
        // The best-so-far line goes under the markers.
        if (complete.Length > 0)
        {
            var ordered = complete.OrderBy(t => t.Number).ToArray();
            var bestSoFar = new double[ordered.Length];
            for (int i = 0; i < ordered.Length; i++) bestSoFar[i] = Math.Min(i > 0 ? bestSoFar[i - 1] : double.PositiveInfinity, ordered[i].Value!.Value);
            var x = ordered.Select(t => (double)t.Number).Append(trials.Max(t => t.Number)).ToArray();
            chart.Steps(x, bestSoFar.Append(bestSoFar[^1]).ToArray(), Palette.Good, legend: "best so far");
        }
        chart.Markers(complete.Select(t => (double)t.Number).ToArray(), complete.Select(t => t.Value!.Value).ToArray(), Palette.Primary,
            legend: "complete", tooltips: complete.Select(Tooltip).ToArray());
        if (pruned.Length > 0)
            chart.Markers(pruned.Select(t => (double)t.Number).ToArray(), pruned.Select(t => t.Value!.Value).ToArray(), Palette.Secondary,
                MarkerShape.Triangle, legend: "pruned", tooltips: pruned.Select(Tooltip).ToArray());
        Figure(html, chart.Render(), $"{complete.Length} complete, {pruned.Length} pruned (value = best intermediate), {failed.Length} failed. Lower is better; hover a marker for its parameters.");
    }

    internal static string Tooltip(StoredTrial t) =>
        $"trial {t.Number} ({t.State.ToString().ToLowerInvariant()}): {(t.Value is { } v ? Number(v) : "no value")}\n" +
        string.Join("\n", t.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {Value(p.Value)}"));

    /// <summary>The placeholder of an analysis section: the analysis's own reason when it ran and could not finish.</summary>
    private static string NotComputed(StudyReportInput input, string analysis) =>
        input.AnalysisNotes.FirstOrDefault(n => n.StartsWith(analysis, StringComparison.Ordinal)) is { } note
            ? $"Not computed: {note}"
            : $"Not computed: run the {analysis} analysis to fill this section.";

    private static void Importance(StringBuilder html, ImportanceSection? importance, string notComputed)
    {
        if (importance is null) { Placeholder(html, notComputed); return; }
        var ranked = importance.Importances.OrderByDescending(p => p.Importance).ToArray();
        Figure(html, GridCharts.HorizontalBars("Importance per hyperparameter", "importance",
            ranked.Select(p => p.Parameter).ToArray(), ranked.Select(p => p.Importance).ToArray()), importance.Method);
        if (importance.MarginalCurves.Count == 0) return;
        html.Append("<h3>Marginal effects</h3>\n<div class=\"small-multiples\">");
        foreach (var curve in importance.MarginalCurves) Figure(html, MarginalChart(curve));
        html.Append("</div>\n");
    }

    private static string MarginalChart(MarginalCurve curve)
    {
        var chart = new XyChart(curve.Parameter, curve.Categories is null ? (curve.LogScale ? $"log10 {curve.Parameter}" : curve.Parameter) : "choice",
            "predicted value", width: 420, height: 280);
        var x = curve.Categories is null && curve.LogScale ? curve.X.Select(Math.Log10).ToArray() : curve.X.ToArray();
        var sd = curve.StandardDeviation;
        if (curve.Categories is { } categories)
        {
            chart.XCategories(categories);
            if (sd is not null) chart.ErrorBars(x, Enumerable.Range(0, x.Length).Select(i => curve.Mean[i] - sd[i]).ToArray(),
                Enumerable.Range(0, x.Length).Select(i => curve.Mean[i] + sd[i]).ToArray(), Palette.Muted);
            chart.Markers(x, curve.Mean, Palette.Primary, radius: 5);
        }
        else
        {
            if (sd is not null)
            {
                chart.Line(x, Enumerable.Range(0, x.Length).Select(i => curve.Mean[i] + sd[i]).ToArray(), Palette.Primary, 1, "4 3", opacity: 0.6);
                chart.Line(x, Enumerable.Range(0, x.Length).Select(i => curve.Mean[i] - sd[i]).ToArray(), Palette.Primary, 1, "4 3", opacity: 0.6);
            }
            chart.Line(x, curve.Mean, Palette.Primary, 2.5);
        }
        return chart.Render();
    }

    private static void Modes(StringBuilder html, ModeTable? modes, SearchSpace? space, string notComputed)
    {
        if (modes is null) { Placeholder(html, notComputed); return; }
        if (modes.Description is not null) html.Append($"<p class=\"caption\">{Escape(modes.Description)}</p>\n");
        if (modes.Modes.Count == 0) { Placeholder(html, "No modes found."); return; }
        var names = ParameterNames(modes.Modes.Select(m => m.Center), space);
        html.Append("<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>mode</th><th>trials</th><th>best value</th><th>mean value</th>");
        foreach (var name in names) html.Append($"<th>{Escape(name)}</th>");
        html.Append("<th>trial numbers</th></tr></thead><tbody>");
        for (int i = 0; i < modes.Modes.Count; i++)
        {
            var mode = modes.Modes[i];
            html.Append($"<tr><td>{i + 1}</td><td>{mode.TrialNumbers.Count}</td><td>{Number(mode.BestValue)}</td><td>{Number(mode.MeanValue)}</td>");
            foreach (var name in names) html.Append($"<td>{Escape(Value(mode.Center.TryGetValue(name, out var v) ? v : null))}</td>");
            html.Append($"<td class=\"numbers\">{Escape(string.Join(", ", mode.TrialNumbers))}</td></tr>");
        }
        html.Append("</tbody></table></div>\n");
    }

    private static void Calibration(StringBuilder html, StudyReportInput input)
    {
        if (input.BestModel is not { } model) { Placeholder(html, $"Not computed: {input.BestModelMissingReason ?? "no model"}."); return; }
        var bins = model.Metrics.Calibration;
        double maxShots = bins.Select(b => b.Shots).DefaultIfEmpty(1).Max();
        var predicted = bins.Select(b => b.MeanPredicted).ToArray();
        var observed = bins.Select(b => b.Observed).ToArray();
        // Binomial standard error of the observed fraction, from the bin's shots.
        var error = bins.Select(b => Math.Sqrt(Math.Max(b.Observed * (1 - b.Observed), 0.25 / b.Shots) / b.Shots)).ToArray();
        var chart = new XyChart($"Calibration of trial {model.TrialNumber} on the data", "predicted p_B (bin mean)", "observed fraction reaching B", 560, 480)
            .XRange(0, 1).YRange(0, 1)
            .Line([0, 1], [0, 1], Palette.Muted, 1.5, "6 4", legend: "perfect calibration")
            .ErrorBars(predicted, observed.Select((o, i) => Math.Max(0, o - error[i])).ToArray(), observed.Select((o, i) => Math.Min(1, o + error[i])).ToArray(), Palette.Primary)
            .Markers(predicted, observed, Palette.Primary, legend: "bins (area ∝ shots)",
                tooltips: bins.Select(b => $"p_B in [{Number(b.Low)}, {Number(b.High)}): {b.Configurations} configurations, {Number(b.Shots)} shots, predicted {Number(b.MeanPredicted)}, observed {Number(b.Observed)}").ToArray(),
                radii: bins.Select(b => 3 + 6 * Math.Sqrt(b.Shots / maxShots)).ToArray());
        foreach (var b in bins) chart.Label(b.MeanPredicted, b.Observed, $"n={b.Configurations}");
        html.Append("<div class=\"side-by-side\">");
        Figure(html, chart.Render(), "Each point is a bin of predicted p_B; error bars are ±1 binomial standard error; n is the number of configurations.");

        html.Append("<table class=\"grid compact\"><thead><tr><th>predicted p_B</th><th>configurations</th><th>shots</th><th>mean predicted</th><th>observed</th></tr></thead><tbody>");
        foreach (var b in bins)
            html.Append(Invariant($"<tr><td>[{b.Low:0.0#}, {b.High:0.0#})</td><td>{b.Configurations}</td><td>{Number(b.Shots)}</td><td>{b.MeanPredicted:F3}</td><td>{b.Observed:F3}</td></tr>"));
        html.Append("</tbody></table></div>\n");
    }

    private static void QHistogram(StringBuilder html, StudyReportInput input)
    {
        if (input.BestModel is not { } model) { Placeholder(html, $"Not computed: {input.BestModelMissingReason ?? "no model"}."); return; }
        var q = model.ReactionCoordinate;
        var finite = Enumerable.Range(0, q.Length).Where(i => float.IsFinite(q[i])).ToArray();
        if (finite.Length == 0) { Placeholder(html, "The model gave no finite q."); return; }
        double low = finite.Min(i => q[i]), high = finite.Max(i => q[i]);
        if (high - low < 1e-9) { low -= 0.5; high += 0.5; }
        int binCount = Math.Clamp((int)Math.Ceiling(Math.Sqrt(finite.Length)), 5, 40);
        double width = (high - low) / binCount;
        // Each configuration counts once, split between the outcomes by the fraction of its shots that reached each.
        var towardA = new double[binCount];
        var towardB = new double[binCount];
        foreach (var i in finite)
        {
            int k = Math.Clamp((int)((q[i] - low) / width), 0, binCount - 1);
            double shots = model.CountA[i] + model.CountB[i];
            towardA[k] += model.CountA[i] / shots;
            towardB[k] += model.CountB[i] / shots;
        }
        var a = new List<(double, double, double, double)>();
        var b = new List<(double, double, double, double)>();
        for (int k = 0; k < binCount; k++)
        {
            double x0 = low + k * width, x1 = x0 + width;
            a.Add((x0, x1, 0, towardA[k]));
            b.Add((x0, x1, towardA[k], towardA[k] + towardB[k]));
        }
        string Tip(int k) => $"q in [{Number(low + k * width)}, {Number(low + (k + 1) * width)}): {Number(towardA[k] + towardB[k])} configurations, {Number(towardB[k] / Math.Max(1e-12, towardA[k] + towardB[k]))} of their shots reached B";
        var tips = Enumerable.Range(0, binCount).Select(Tip).ToArray();
        var chart = new XyChart($"q of trial {model.TrialNumber} on the data", "q (reaction coordinate; p_B = sigmoid(q))", "configurations")
            .Boxes(a, Palette.Primary, "shots reaching A", tips)
            .Boxes(b, Palette.Secondary, "shots reaching B", tips);
        Figure(html, chart.Render(), $"{finite.Length} configurations in {binCount} bins; each configuration's bar is split by the fraction of its shots that reached A and B, so a good q separates the colors.");
    }

    private static void LearningCurve(StringBuilder html, StudyReportInput input)
    {
        var best = input.BestTrial;
        if (best is null || best.Curve.Count == 0) { Placeholder(html, "No complete trial with a validation curve."); return; }
        var chart = new XyChart($"Validation loss per epoch, trial {best.Number}", "epoch", "validation loss");
        var others = input.RankedTrials.Skip(1).Take(input.Top - 1).Where(t => t.Curve.Count > 0).ToArray();
        foreach (var (t, i) in others.Select((t, i) => (t, i)))
            chart.Line(Epochs(t.Curve.Count), t.Curve.ToArray(), Palette.Muted, 1, opacity: 0.5, legend: i == 0 ? $"other top-{input.Top} trials" : null);
        chart.Line(Epochs(best.Curve.Count), best.Curve.ToArray(), Palette.Primary, 2.5, legend: $"best trial ({best.Number})");
        int bestEpoch = Enumerable.Range(0, best.Curve.Count).MinBy(i => best.Curve[i]);
        chart.Markers([bestEpoch + 1.0], [best.Curve[bestEpoch]], Palette.Good, radius: 5, legend: "lowest loss",
            tooltips: [$"epoch {bestEpoch + 1}: {Number(best.Curve[bestEpoch])}"]);
        Figure(html, chart.Render(), $"{best.Curve.Count} epochs; lowest validation loss {Number(best.Curve[bestEpoch])} at epoch {bestEpoch + 1}.");
    }

    private static double[] Epochs(int count) => Enumerable.Range(1, count).Select(e => (double)e).ToArray();

    /// <summary>Parameter names in search-space order (then any the space lacks, alphabetically).</summary>
    internal static IReadOnlyList<string> ParameterNames(IEnumerable<Parameter> parameters, SearchSpace? space)
    {
        var present = parameters.SelectMany(p => p.Keys).ToHashSet(StringComparer.Ordinal);
        var ordered = space?.Options.Select(o => o.Name).Where(present.Contains).ToList() ?? new List<string>();
        ordered.AddRange(present.Except(ordered).Order(StringComparer.Ordinal));
        return ordered;
    }

    private static IEnumerable<(string, object)> OrderedParameters(Parameter parameters, SearchSpace? space) =>
        ParameterNames([parameters], space).Select(n => (n, parameters[n]));

    private static string Duration(TimeSpan span) => span.TotalSeconds < 90 ? Invariant($"{span.TotalSeconds:0.##} s")
        : span.TotalMinutes < 90 ? Invariant($"{span.TotalMinutes:0.#} min") : Invariant($"{span.TotalHours:0.#} h");

    private const string Style = """
        :root { color-scheme: light; }
        body { margin: 0; background: #f4f5f7; color: #1d1f23; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
        header h1 { margin: 0 0 4px; font-size: 26px; }
        .meta { margin: 0 0 16px; color: #666; font-size: 13px; }
        nav ol { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0 0 20px; padding: 12px 16px; list-style-position: inside; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
        nav a { color: #1f5fa8; text-decoration: none; }
        section { background: #fff; margin: 0 0 20px; padding: 6px 22px 18px; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
        h2 { font-size: 20px; border-bottom: 1px solid #e3e3e3; padding-bottom: 6px; }
        h3 { font-size: 16px; margin: 18px 0 8px; }
        figure { margin: 8px 0 12px; }
        figure svg { max-width: 100%; height: auto; display: block; }
        figure.wide svg { max-width: none; }
        figcaption, .caption { color: #555; font-size: 13px; margin-top: 4px; }
        .placeholder { color: #777; font-style: italic; background: #fafafa; border: 1px dashed #ccc; border-radius: 6px; padding: 14px; }
        table { border-collapse: collapse; font-size: 13px; }
        table.facts th { text-align: left; padding: 3px 18px 3px 0; color: #555; font-weight: 600; vertical-align: top; white-space: nowrap; }
        table.facts td { padding: 3px 0; }
        table.grid th, table.grid td { border-bottom: 1px solid #e6e6e6; padding: 4px 10px; text-align: right; white-space: nowrap; }
        table.grid th { background: #f0f2f5; font-weight: 600; }
        table.grid tbody tr:nth-child(even) { background: #fafbfc; }
        td.numbers { text-align: left; white-space: normal; min-width: 160px; }
        .scroll { overflow-x: auto; }
        .side-by-side { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: flex-start; }
        .small-multiples { display: flex; flex-wrap: wrap; gap: 8px; }
        .small-multiples figure { margin: 0; }
        details summary { cursor: pointer; color: #1f5fa8; margin: 6px 0; }
        p.formula code { font-size: 15px; }
        code { overflow-wrap: anywhere; }
        """;
}
