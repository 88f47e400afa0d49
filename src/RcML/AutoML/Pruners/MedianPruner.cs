namespace RcML.AutoML;

/// <summary>
/// Optuna's median rule: after <see cref="WarmupSteps"/>, prune when the trial's best value so far is worse than the
/// median of the other trials' best values up to the same step, once <see cref="StartupTrials"/> others reached it.
/// Checked every <see cref="Interval"/> steps.
/// </summary>
public sealed class MedianPruner(int startupTrials = 5, int warmupSteps = 50, int interval = 10) : IPruner
{
    /// <summary>Other trials that must have reached a step before it is judged.</summary>
    public int StartupTrials { get; } = startupTrials;
    /// <summary>Steps never pruned at.</summary>
    public int WarmupSteps { get; } = warmupSteps;
    /// <summary>Check every this many steps.</summary>
    public int Interval { get; } = interval;

    /// <inheritdoc/>
    public bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others)
    {
        if (step <= WarmupSteps || step % Interval != 0) return false;
        var reached = others.Where(o => o.Count >= step).Select(o => BestUpTo(o, step)).Where(double.IsFinite).ToList();
        if (reached.Count < StartupTrials) return false;
        return BestUpTo(curve, step) > Median(reached);
    }

    internal static double BestUpTo(IReadOnlyList<double> curve, int step)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < step && i < curve.Count; i++) if (curve[i] < best) best = curve[i];
        return best;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}
