namespace RcML.AutoML;

/// <summary>
/// Decides from intermediate values (validation loss per epoch) whether a running trial is unpromising,
/// as Optuna's pruners do. Lower is better.
/// </summary>
public interface IPruner
{
    /// <summary>
    /// True to stop the trial now. <paramref name="curve"/> is the trial's own curve up to and including
    /// <paramref name="step"/> (curve[i] is the value at step i + 1); <paramref name="others"/> are the curves of the
    /// study's other trials (finished, pruned or still running).
    /// </summary>
    bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others);
}

/// <summary>Never prunes.</summary>
public sealed class NoPruner : IPruner
{
    /// <inheritdoc/>
    public bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others) => false;
}

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

/// <summary>
/// Asynchronous successive halving (ASHA): rungs at MinSteps * ReductionFactor^k epochs; at a rung the trial goes on
/// only if its best value is within the best 1/ReductionFactor of all values recorded at that rung so far.
/// </summary>
public sealed class SuccessiveHalvingPruner(int minSteps = 25, int reductionFactor = 3, int minTrialsAtRung = 3) : IPruner
{
    /// <summary>Epochs of the first rung.</summary>
    public int MinSteps { get; } = minSteps;
    /// <summary>Each rung keeps 1/ReductionFactor of the trials and is ReductionFactor times further.</summary>
    public int ReductionFactor { get; } = reductionFactor;
    /// <summary>Trials (the current one included) that must have reached a rung before it prunes.</summary>
    public int MinTrialsAtRung { get; } = minTrialsAtRung;

    /// <inheritdoc/>
    public bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others)
    {
        if (!IsRung(step)) return false;
        double mine = MedianPruner.BestUpTo(curve, step);
        var atRung = others.Where(o => o.Count >= step).Select(o => MedianPruner.BestUpTo(o, step)).Where(double.IsFinite)
            .Append(mine).OrderBy(v => v).ToList();
        if (atRung.Count < MinTrialsAtRung) return false;
        int keep = Math.Max(1, atRung.Count / ReductionFactor);
        return mine > atRung[keep - 1];
    }

    private bool IsRung(int step)
    {
        for (long rung = MinSteps; rung <= step; rung *= ReductionFactor)
            if (rung == step) return true;
        return false;
    }
}
