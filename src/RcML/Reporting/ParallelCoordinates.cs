using System.Text;
using RcML.AutoML;
using RcML.Reporting.Svg;
using RcML.Storage;
using static RcML.Reporting.Html;

namespace RcML.Reporting;

/// <summary>
/// Parallel coordinates of the trials: one vertical axis per hyperparameter, in the search space's normalized
/// [0, 1] coordinates (so log ranges look as the tuner sees them), plus a value axis; each trial a polyline colored by value.
/// </summary>
internal static class ParallelCoordinates
{
    /// <summary>An axis: where a value sits in [0, 1], and labelled ticks.</summary>
    private sealed record Axis(string Name, Func<object, double> ToUnit, IReadOnlyList<(double Unit, string Label)> Ticks);

    private const double Top = 62, Bottom = 70, Side = 70, InactiveGap = 26;

    public static void Write(StringBuilder html, StudyReportInput input, SearchSpace? space)
    {
        var trials = input.Trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is { } v && double.IsFinite(v))
            .OrderByDescending(t => t.Value).ToArray(); // worst first, so the best are drawn on top
        if (trials.Length == 0) { StudyReport.Placeholder(html, "No trial with a value yet."); return; }

        var axes = ParameterAxes(trials.Select(t => t.Parameters).ToArray(), space);
        double best = trials.Min(t => t.Value!.Value), worst = trials.Max(t => t.Value!.Value);
        if (worst - best < 1e-12) worst = best + 1e-12;
        // Inverted, so the best (lowest) value is at the top.
        var valueAxis = new Axis("value", v => (worst - (double)v) / (worst - best),
            Enumerable.Range(0, 5).Select(i => (i / 4.0, Number(worst - i / 4.0 * (worst - best)))).ToArray());
        var allAxes = axes.Append(valueAxis).ToArray();

        // Few axes fill the page; many keep readable spacing and scroll sideways instead of shrinking the text.
        const double pageWidth = 1000, minSpacing = 96, colorBarRoom = 60, height = 480;
        double spacing = Math.Max(minSpacing, (pageWidth - 2 * Side - colorBarRoom) / Math.Max(1, allAxes.Length - 1));
        double width = 2 * Side + colorBarRoom + spacing * Math.Max(1, allAxes.Length - 1);
        double plotHeight = height - Top - Bottom;
        double AxisX(int i) => Side + i * spacing;
        double AxisY(double unit) => Top + (1 - unit) * plotHeight;
        double inactiveY = Top + plotHeight + InactiveGap;

        var svg = new SvgWriter(width, height, $"Parallel coordinates of {trials.Length} trials", centerTitle: false);
        var topNumbers = input.RankedTrials.Take(input.Top).Select(t => t.Number).ToHashSet();
        var scale = ColorScale.Trials;
        foreach (var trial in trials)
        {
            double goodness = 1 - (trial.Value!.Value - best) / (worst - best);
            var points = allAxes.Select((axis, i) =>
            {
                object? value = axis == valueAxis ? trial.Value!.Value : trial.Parameters.TryGetValue(axis.Name, out var v) ? v : null;
                return (AxisX(i), value is null ? inactiveY : AxisY(axis.ToUnit(value)));
            });
            bool isTop = topNumbers.Contains(trial.Number);
            svg.Polyline(points, scale.At(goodness), isTop ? 2.6 : 1.2, trial.State == TrialState.Pruned ? "5 3" : null,
                isTop ? 0.95 : 0.6, StudyReport.Tooltip(trial));
        }

        for (int i = 0; i < allAxes.Length; i++)
        {
            var axis = allAxes[i];
            double x = AxisX(i);
            svg.Line(x, Top, x, Top + plotHeight, Palette.Axis, 1.5);
            foreach (var (unit, label) in axis.Ticks)
            {
                double y = AxisY(unit);
                svg.Line(x - 4, y, x, y, Palette.Axis);
                svg.Text(x - 6, y, label, anchor: "end", size: 10, fill: Palette.Axis, baseline: "middle", halo: true);
            }
            if (axis != valueAxis)
                svg.Text(x - 6, inactiveY, "inactive", anchor: "end", size: 9, fill: Palette.Muted, baseline: "middle");
            string name = axis.Name.Length > 18 ? axis.Name[..17] + "…" : axis.Name;
            svg.Text(x, Top - 14 - (allAxes.Length > 7 && i % 2 == 1 ? 12 : 0), name, anchor: "middle", size: 12, weight: "600");
        }
        svg.ColorBar(width - 72, Top + 20, 12, plotHeight - 40, scale, worst, best, "value (color)");

        html.Append("<figure class=\"wide\"><div class=\"scroll\">").Append(svg).Append("</div><figcaption>")
            .Append(Escape($"Axes are the search space's normalized coordinates (log ranges on a log scale); the value axis has the best (lowest) value at the top. " +
                $"Darker is better; the top {topNumbers.Count} trials are drawn thicker, pruned trials dashed; parameters that were inactive in a trial sit below their axis."))
            .Append("</figcaption></figure>\n");
    }

    private static Axis[] ParameterAxes(IReadOnlyList<Parameter> parameters, SearchSpace? space)
    {
        var names = StudyReport.ParameterNames(parameters, space);
        return names.Select(name =>
            space is not null && space.IndexOf(name) >= 0 ? FromOption(space[name]) : FromValues(name, parameters)).ToArray();
    }

    private static Axis FromOption(OptionBase option)
    {
        if (option is ChoiceOption choice)
            return new Axis(option.Name, option.ToUnit, choice.Choices.Select(c => (option.ToUnit(c), Value(c))).ToArray());
        // Every value of a narrow integer range; otherwise five ticks at even normalized positions, labelled with the values there.
        var values = option is UniformIntOption { LogBase: false } integer && integer.Max - integer.Min <= 10
            ? Enumerable.Range(integer.Min, integer.Max - integer.Min + 1).Cast<object>()
            : Enumerable.Range(0, 5).Select(i => option.FromUnit(i / 4.0)).Distinct();
        var ticks = values.Select(v => (option.ToUnit(v), Value(v))).ToArray();
        return new Axis(option.Name, option.ToUnit, ticks);
    }

    /// <summary>An axis from the values seen, when the search space does not know the parameter.</summary>
    private static Axis FromValues(string name, IReadOnlyList<Parameter> parameters)
    {
        var seen = parameters.Where(p => p.ContainsKey(name)).Select(p => p[name]).ToArray();
        if (seen.All(v => v is int or double or float or long))
        {
            double min = seen.Min(v => Convert.ToDouble(v)), max = seen.Max(v => Convert.ToDouble(v));
            double span = max > min ? max - min : 1;
            return new Axis(name, v => (Convert.ToDouble(v) - min) / span,
                [(0, Number(min)), (0.5, Number(min + span / 2)), (1, Number(min + span))]);
        }
        var labels = seen.Select(Value).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Axis(name, v => (labels.IndexOf(Value(v)) + 0.5) / labels.Count, labels.Select((l, i) => ((i + 0.5) / labels.Count, l)).ToArray());
    }
}
