using RcML.Committor;
using RcML.Data;
using RcML.Onnx;

namespace RcML.Analysis;

/// <summary>The three ways <see cref="FeatureAttribution"/> attributes a committor model's output to its raw CVs.</summary>
public enum AttributionMethod
{
    /// <summary>Increase of the cross-entropy per shot when the CV's column is shuffled.</summary>
    Permutation,
    /// <summary>Mean |dq/dx_i (x_i - baseline_i)|.</summary>
    GradientTimesInput,
    /// <summary>Mean |integrated gradient of q from the baseline|.</summary>
    IntegratedGradients,
}

/// <summary>Settings of <see cref="FeatureAttribution.Compute(CommittorNetworkSpec, ShootingData, FeatureAttributionOptions?)"/>.</summary>
public sealed record FeatureAttributionOptions
{
    /// <summary>Shuffles per CV for permutation importance (averaged).</summary>
    public int Permutations { get; init; } = 5;
    /// <summary>Riemann (midpoint) steps of integrated gradients.</summary>
    public int IntegrationSteps { get; init; } = 48;
    /// <summary>Rows used by the two gradient methods (an evenly spaced subset of the data; all rows when fewer).</summary>
    public int MaxGradientRows { get; init; } = 2000;
    /// <summary>Seed of the shuffles.</summary>
    public int Seed { get; init; }
}

/// <summary>How much one raw CV matters to a committor model, by each method. Shares sum to 1 over the CVs per method.</summary>
/// <param name="Name">The CV.</param>
/// <param name="Kind">Linear or periodic (a periodic CV's sin/cos pair is attributed together).</param>
/// <param name="Permutation">Share of the (non-negative) cross-entropy increases.</param>
/// <param name="GradientTimesInput">Share of mean |gradient x (input - baseline)|.</param>
/// <param name="IntegratedGradients">Share of mean |integrated gradients|.</param>
/// <param name="CrossEntropyIncrease">Mean increase of the cross-entropy per shot (nats) when the CV is shuffled; may be slightly negative for a CV that does not matter.</param>
/// <param name="Baseline">The baseline of the gradient methods: the data mean (circular mean for a periodic CV).</param>
public sealed record CvAttribution(string Name, InputKind Kind, double Permutation, double GradientTimesInput, double IntegratedGradients,
    double CrossEntropyIncrease, double Baseline)
{
    /// <summary>The share by one method.</summary>
    public double Share(AttributionMethod method) => method switch
    {
        AttributionMethod.Permutation => Permutation,
        AttributionMethod.GradientTimesInput => GradientTimesInput,
        AttributionMethod.IntegratedGradients => IntegratedGradients,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}

/// <summary>Attribution of one committor model to its raw CVs.</summary>
/// <param name="Cvs">One entry per raw input of the network, in the network's input order.</param>
/// <param name="CrossEntropy">Cross-entropy per shot of the model on the data (the permutation baseline).</param>
/// <param name="Rows">Configurations used for permutation importance.</param>
/// <param name="GradientRows">Configurations used for the gradient methods.</param>
/// <param name="Permutations">Shuffles per CV.</param>
/// <param name="IntegrationSteps">Steps of integrated gradients.</param>
/// <param name="MeanCompletenessGap">
/// Mean |q(x) - q(baseline) - sum of integrated gradients| over the gradient rows: the integration error (should be small next to |q|).
/// </param>
public sealed record FeatureAttributionResult(IReadOnlyList<CvAttribution> Cvs, double CrossEntropy, int Rows, int GradientRows,
    int Permutations, int IntegrationSteps, double MeanCompletenessGap)
{
    /// <summary>The CVs sorted by one method's share, largest first (ties by name).</summary>
    public IReadOnlyList<CvAttribution> SortedBy(AttributionMethod method) =>
        Cvs.OrderByDescending(c => c.Share(method)).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray();
}

/// <summary>
/// Attributes a trained committor network's output to its raw CVs, through the network itself (<see cref="CommittorNetworkEvaluator"/>):
/// permutation importance on the cross-entropy, gradient x input and integrated gradients of q.
/// </summary>
/// <remarks>
/// Attribution is per raw CV, so a periodic CV's sin and cos move together: permutation shuffles the angle, and the
/// gradient is taken with respect to the angle. Baseline of the gradient methods: the data mean of each CV, for a periodic
/// CV the circular mean, and a periodic input minus its baseline is wrapped to half a period, so integrated gradients
/// follow the shorter arc (q is periodic, so completeness still holds). Gradient x input uses the same differences.
/// Each method's scores are normalized to sum 1 (negative cross-entropy increases count as 0); all-zero stays zero.
/// </remarks>
public static class FeatureAttribution
{
    /// <summary>Attribution of <paramref name="spec"/> on shooting data that has a column for each of its inputs.</summary>
    public static FeatureAttributionResult Compute(CommittorNetworkSpec spec, ShootingData data, FeatureAttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var names = data.FeatureNames.ToList();
        var columns = spec.Inputs.Select(input =>
        {
            int index = names.IndexOf(input.Name);
            if (index < 0)
                throw new ArgumentException($"The model reads the CV '{input.Name}', which the data lacks; the data has: {string.Join(", ", names)}.");
            return data.FeatureValues[index];
        }).ToArray();
        return Compute(spec, columns, data.CountA, data.CountB, options);
    }

    /// <summary>Attribution of <paramref name="spec"/> on raw CV columns (one per network input, in input order) and shot counts.</summary>
    public static FeatureAttributionResult Compute(CommittorNetworkSpec spec, IReadOnlyList<float[]> columns, float[] countA, float[] countB,
        FeatureAttributionOptions? options = null)
    {
        options ??= new FeatureAttributionOptions();
        var evaluator = new CommittorNetworkEvaluator(spec);
        int d = spec.Inputs.Count, n = countA.Length;
        if (columns.Count != d)
            throw new ArgumentException($"Expected {d} CV columns (one per network input), got {columns.Count}.", nameof(columns));
        if (n == 0 || columns.Any(c => c.Length != n) || countB.Length != n)
            throw new ArgumentException("The CV columns and counts must have the same, non-zero length.", nameof(columns));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Permutations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntegrationSteps, 1);

        var rows = new double[n][];
        for (int r = 0; r < n; r++)
        {
            rows[r] = new double[d];
            for (int i = 0; i < d; i++) rows[r][i] = columns[i][r];
        }

        var (crossEntropy, increases) = PermutationIncreases(evaluator, rows, countA, countB, options);
        var baseline = Baselines(spec, columns);
        var gradientRows = EvenlySpaced(n, options.MaxGradientRows).Select(r => rows[r]).ToArray();
        var (gradientTimesInput, integrated, gap) = GradientAttributions(evaluator, gradientRows, baseline, options.IntegrationSteps);

        var permutationShare = Normalize(increases.Select(v => Math.Max(v, 0)).ToArray());
        var gxiShare = Normalize(gradientTimesInput);
        var igShare = Normalize(integrated);
        var cvs = spec.Inputs.Select((input, i) => new CvAttribution(input.Name, input.Kind, permutationShare[i], gxiShare[i], igShare[i],
            increases[i], baseline[i])).ToArray();
        return new FeatureAttributionResult(cvs, crossEntropy, n, gradientRows.Length, options.Permutations, options.IntegrationSteps, gap);
    }

    private static (double CrossEntropy, double[] Increases) PermutationIncreases(CommittorNetworkEvaluator evaluator, double[][] rows,
        float[] countA, float[] countB, FeatureAttributionOptions options)
    {
        int n = rows.Length, d = evaluator.InputCount;
        var q = new float[n];
        for (int r = 0; r < n; r++) q[r] = (float)evaluator.ReactionCoordinate(rows[r]);
        double crossEntropy = CommittorLoss.PerShot(q, countA, countB);

        var increases = new double[d];
        // CVs are independent: one evaluator (it reuses buffers) and one set of arrays per CV, in parallel.
        Parallel.For(0, d, i =>
        {
            var local = new CommittorNetworkEvaluator(evaluator.Spec);
            var row = new double[d];
            var order = new int[n];
            var permutedQ = new float[n];
            for (int p = 0; p < options.Permutations; p++)
            {
                // One generator per (CV, repeat), seeded deterministically (HashCode is randomized per process).
                var random = new Random(unchecked(options.Seed * 1_000_003 + i * 7_919 + p));
                for (int r = 0; r < n; r++) order[r] = r;
                random.Shuffle(order);
                for (int r = 0; r < n; r++)
                {
                    rows[r].CopyTo(row, 0);
                    row[i] = rows[order[r]][i];
                    permutedQ[r] = (float)local.ReactionCoordinate(row);
                }
                increases[i] += CommittorLoss.PerShot(permutedQ, countA, countB) - crossEntropy;
            }
            increases[i] /= options.Permutations;
        });
        return (crossEntropy, increases);
    }

    private static (double[] GradientTimesInput, double[] Integrated, double MeanGap) GradientAttributions(CommittorNetworkEvaluator evaluator,
        double[][] rows, double[] baseline, int steps)
    {
        var inputs = evaluator.Spec.Inputs;
        int d = inputs.Count;
        var gradientTimesInput = new double[d];
        var integrated = new double[d];
        var delta = new double[d];
        var gradient = new double[d];
        var point = new double[d];
        var sum = new double[d];
        double qBaseline = evaluator.ReactionCoordinate(baseline), gap = 0;
        foreach (var x in rows)
        {
            for (int i = 0; i < d; i++) delta[i] = Difference(inputs[i].Kind, x[i], baseline[i]);
            double q = evaluator.ReactionCoordinate(x, gradient);
            for (int i = 0; i < d; i++) gradientTimesInput[i] += Math.Abs(gradient[i] * delta[i]);

            Array.Clear(sum);
            for (int s = 0; s < steps; s++)
            {
                double alpha = (s + 0.5) / steps;
                for (int i = 0; i < d; i++) point[i] = baseline[i] + alpha * delta[i];
                evaluator.ReactionCoordinate(point, gradient);
                for (int i = 0; i < d; i++) sum[i] += gradient[i];
            }
            double total = 0;
            for (int i = 0; i < d; i++)
            {
                double ig = delta[i] * sum[i] / steps;
                integrated[i] += Math.Abs(ig);
                total += ig;
            }
            gap += Math.Abs(q - qBaseline - total);
        }
        for (int i = 0; i < d; i++)
        {
            gradientTimesInput[i] /= rows.Length;
            integrated[i] /= rows.Length;
        }
        return (gradientTimesInput, integrated, gap / rows.Length);
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
