namespace RcML.AutoML;

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
