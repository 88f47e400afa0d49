using RcML.Committor;
using RcML.Data;
using TorchSharp;

namespace RcML.Analysis;

/// <summary>
/// Attributes a trained committor network's output to its raw CVs and to groups of redundant CVs (<see cref="CvGroups"/>),
/// through the network itself evaluated in batches: permutation importance on the cross-entropy, gradient x input and
/// integrated gradients of q.
/// </summary>
/// <remarks>
/// Attribution is per raw CV, so a periodic CV's sin and cos move together: permutation shuffles the angle, and the
/// gradient is taken with respect to the angle. Baseline of the gradient methods: the data mean of each CV, for a periodic
/// CV the circular mean, and a periodic input minus its baseline is wrapped to half a period, so integrated gradients
/// follow the shorter arc (q is periodic, so completeness still holds). Gradient x input uses the same differences.
/// Each method's scores are normalized to sum 1 (negative cross-entropy increases count as 0); all-zero stays zero.
/// A group's members are shuffled with one permutation, so a model that reads any of several near-copies loses all
/// of them at once; its gradient shares are the sums over its members.
/// </remarks>
public static class FeatureAttribution
{
    /// <summary>Attribution of <paramref name="spec"/> on shooting data that has a column for each of its inputs.</summary>
    public static FeatureAttributionResult Compute(CommittorNetworkSpec spec, ShootingData data, FeatureAttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Compute(spec, ColumnsFor(spec, data), data.CountA, data.CountB, options);
    }

    /// <summary>The data's column of each network input, in input order.</summary>
    /// <exception cref="ArgumentException">The data lacks one; the message names it and what the data has.</exception>
    internal static float[][] ColumnsFor(CommittorNetworkSpec spec, ShootingData data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = data.FeatureNames.ToList();
        return spec.Inputs.Select(input =>
        {
            int index = names.IndexOf(input.Name);
            if (index < 0)
                throw new ArgumentException($"The model reads the CV '{input.Name}', which the data lacks; the data has: {string.Join(", ", names)}.");
            return data.FeatureValues[index];
        }).ToArray();
    }

    /// <summary>Attribution of <paramref name="spec"/> on raw CV columns (one per network input, in input order) and shot counts.</summary>
    public static FeatureAttributionResult Compute(CommittorNetworkSpec spec, IReadOnlyList<float[]> columns, float[] countA, float[] countB,
        FeatureAttributionOptions? options = null)
    {
        options ??= new FeatureAttributionOptions();
        ArgumentNullException.ThrowIfNull(spec);
        int d = spec.Inputs.Count, n = countA.Length;
        if (columns.Count != d)
            throw new ArgumentException($"Expected {d} CV columns (one per network input), got {columns.Count}.", nameof(columns));
        if (n == 0 || columns.Any(c => c.Length != n) || countB.Length != n)
            throw new ArgumentException("The CV columns and counts must have the same, non-zero length.", nameof(columns));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Permutations);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntegrationSteps, 1);

        using var evaluator = new BatchCommittorEvaluator(spec);
        var groups = options.GroupThreshold is { } threshold
            ? CvGroups.Find(spec.Inputs, columns, threshold)
            : Enumerable.Range(0, d).Select(i => new CvGroup([i], 1)).ToArray();
        // Every CV alone, then every group of several CVs: each is shuffled as one set.
        var sets = Enumerable.Range(0, d).Select(i => (IReadOnlyList<int>)[i])
            .Concat(groups.Where(g => g.Members.Count > 1).Select(g => g.Members)).ToArray();
        var (crossEntropy, increases) = PermutationIncreases(evaluator, columns, countA, countB, sets, options);

        var baseline = Baselines(spec, columns);
        var gradientRows = EvenlySpaced(n, options.MaxGradientRows);
        var (gradientTimesInput, integrated, gap) = GradientAttributions(evaluator, columns, gradientRows, baseline, options.IntegrationSteps);

        var permutationShare = Normalize(increases.Take(d).Select(v => Math.Max(v, 0)).ToArray());
        var gxiShare = Normalize(gradientTimesInput);
        var igShare = Normalize(integrated);
        var cvs = spec.Inputs.Select((input, i) => new CvAttribution(input.Name, input.Kind, permutationShare[i], gxiShare[i], igShare[i],
            increases[i], baseline[i])).ToArray();

        // A group's joint increase: its own set's, or its only member's.
        int next = d;
        var groupIncrease = groups.Select(g => g.Members.Count > 1 ? increases[next++] : increases[g.Members[0]]).ToArray();
        var groupPermutationShare = Normalize(groupIncrease.Select(v => Math.Max(v, 0)).ToArray());
        var groupResults = groups.Select((g, k) => new GroupAttribution(
            g.Members.Select(i => cvs[i].Name).ToArray(),
            cvs[g.Members.MaxBy(i => cvs[i].Permutation + cvs[i].GradientTimesInput + cvs[i].IntegratedGradients)].Name,
            g.MinCorrelation, groupPermutationShare[k], g.Members.Sum(i => gxiShare[i]), g.Members.Sum(i => igShare[i]), groupIncrease[k])).ToArray();
        return new FeatureAttributionResult(cvs, groupResults, options.GroupThreshold, crossEntropy, n, gradientRows.Length,
            options.Permutations, options.IntegrationSteps, gap);
    }

    /// <summary>Mean cross-entropy increase when each set of CVs is shuffled jointly (one row permutation for all its members).</summary>
    private static (double CrossEntropy, double[] Increases) PermutationIncreases(BatchCommittorEvaluator evaluator, IReadOnlyList<float[]> columns,
        float[] countA, float[] countB, IReadOnlyList<IReadOnlyList<int>> sets, FeatureAttributionOptions options)
    {
        int n = countA.Length, width = evaluator.Width;
        var x = evaluator.Standardize(columns, n);
        using var _ = torch.no_grad();
        using var z = evaluator.FirstPreactivation(x, n);
        double crossEntropy = CommittorLoss.PerShot(evaluator.FromFirstPreactivation(z), countA, countB);
        var increases = new double[sets.Count];
        if (options.Permutations == 0) return (crossEntropy, increases);

        var order = new int[n];
        for (int s = 0; s < sets.Count; s++)
        {
            var expanded = sets[s].SelectMany(i => Enumerable.Range(evaluator.ExpandedOffset[i], InputExpansion.Columns(evaluator.Spec.Inputs[i])))
                .Select(c => (long)c).ToArray();
            int c = expanded.Length;
            var difference = new float[n * c];
            for (int p = 0; p < options.Permutations; p++)
            {
                // One generator per (set, repeat), seeded deterministically (HashCode is randomized per process).
                var random = new Random(unchecked(options.Seed * 1_000_003 + s * 7_919 + p));
                for (int r = 0; r < n; r++) order[r] = r;
                random.Shuffle(order);
                for (int r = 0; r < n; r++)
                    for (int j = 0; j < c; j++)
                        difference[r * c + j] = x[order[r] * width + expanded[j]] - x[r * width + expanded[j]];
                using var permuted = evaluator.ReplaceColumns(z, expanded, difference);
                increases[s] += CommittorLoss.PerShot(evaluator.FromFirstPreactivation(permuted), countA, countB) - crossEntropy;
            }
            increases[s] /= options.Permutations;
        }
        return (crossEntropy, increases);
    }

    /// <summary>Rows per batch of the gradient methods (bounds the memory autograd keeps for wide networks).</summary>
    private const int GradientBatch = 8192;

    private static (double[] GradientTimesInput, double[] Integrated, double MeanGap) GradientAttributions(BatchCommittorEvaluator evaluator,
        IReadOnlyList<float[]> columns, int[] rows, double[] baseline, int steps)
    {
        var inputs = evaluator.Spec.Inputs;
        int d = inputs.Count, m = rows.Length, perRow = steps + 1, width = evaluator.Width;
        var delta = new double[m, d];
        for (int k = 0; k < m; k++)
            for (int i = 0; i < d; i++) delta[k, i] = Difference(inputs[i].Kind, columns[i][rows[k]], baseline[i]);

        var baselineRow = new float[width];
        for (int i = 0; i < d; i++) evaluator.Write(baselineRow, 0, i, baseline[i]);
        double qBaseline = evaluator.ReactionCoordinates(baselineRow, 1)[0];

        // Point j of gradient row k: j = 0 the row itself, j >= 1 integration step j - 1 from the baseline.
        double Raw(int k, int j, int i) => j == 0 ? columns[i][rows[k]] : baseline[i] + (j - 0.5) / steps * delta[k, i];
        var gradientTimesInput = new double[d];
        var integrated = new double[m, d];
        var q = new double[m];
        int total = m * perRow;
        for (int start = 0; start < total; start += GradientBatch)
        {
            int count = Math.Min(GradientBatch, total - start);
            var x = new float[count * width];
            for (int b = 0; b < count; b++)
            {
                int k = (start + b) / perRow, j = (start + b) % perRow;
                for (int i = 0; i < d; i++) evaluator.Write(x, b, i, Raw(k, j, i));
            }
            var (values, gradient) = evaluator.WithGradient(x, count);
            for (int b = 0; b < count; b++)
            {
                int k = (start + b) / perRow, j = (start + b) % perRow;
                var g = gradient.AsSpan(b * width, width);
                if (j == 0) q[k] = values[b];
                for (int i = 0; i < d; i++)
                {
                    double raw = evaluator.RawGradient(g, i, Raw(k, j, i));
                    if (j == 0) gradientTimesInput[i] += Math.Abs(raw * delta[k, i]);
                    else integrated[k, i] += raw;
                }
            }
        }

        var meanIntegrated = new double[d];
        double gap = 0;
        for (int k = 0; k < m; k++)
        {
            double sum = 0;
            for (int i = 0; i < d; i++)
            {
                double ig = delta[k, i] * integrated[k, i] / steps;
                meanIntegrated[i] += Math.Abs(ig) / m;
                sum += ig;
            }
            gap += Math.Abs(q[k] - qBaseline - sum);
        }
        for (int i = 0; i < d; i++) gradientTimesInput[i] /= m;
        return (gradientTimesInput, meanIntegrated, gap / m);
    }

    /// <summary>Data mean per CV; circular mean for periodic CVs (in their own unit).</summary>
    private static double[] Baselines(CommittorNetworkSpec spec, IReadOnlyList<float[]> columns) =>
        spec.Inputs.Select((input, i) =>
        {
            if (input.Kind == InputKind.Linear) return columns[i].Average(v => (double)v);
            double toRadians = InputExpansion.ToRadians(input.Kind);
            double s = columns[i].Sum(v => Math.Sin(v * toRadians)), c = columns[i].Sum(v => Math.Cos(v * toRadians));
            return s == 0 && c == 0 ? 0 : Math.Atan2(s, c) / toRadians;
        }).ToArray();

    /// <summary>x - baseline; for a periodic CV wrapped into [-half period, half period).</summary>
    private static double Difference(InputKind kind, double x, double baseline)
    {
        double delta = x - baseline;
        if (kind == InputKind.Linear) return delta;
        double period = 2 * Math.PI / InputExpansion.ToRadians(kind);
        return delta - period * Math.Floor(delta / period + 0.5);
    }

    private static int[] EvenlySpaced(int n, int max) =>
        n <= max ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, max).Select(k => (int)((long)k * n / max)).ToArray();

    private static double[] Normalize(double[] values)
    {
        double total = values.Sum();
        return total > 0 ? values.Select(v => v / total).ToArray() : new double[values.Length];
    }
}
