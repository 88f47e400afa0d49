namespace RcML.AutoML;

/// <summary>
/// Racing against the incumbent (the best trial scored on every fold): a trial trains fold 1 (the cost of one
/// validation split) and goes on to the next fold only while it beats the incumbent on the folds so far, compared fold
/// by fold. A trial stopped after j folds reports the incumbent's mean plus its mean paired difference on those j folds:
/// an estimate of its all-fold mean that cancels how easy those folds are, and never below the incumbent's. So the
/// study's lowest value always belongs to a trial scored on all folds, and its winner is chosen on the mean over folds,
/// not on one split's luck.
/// </summary>
public sealed class RacingSelection : IFoldSelection
{
    private double[]? _incumbent;

    /// <summary>Races over <paramref name="folds"/> folds (5 by default).</summary>
    public RacingSelection(int folds = 5)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "Racing needs at least 2 folds.");
        Folds = folds;
    }

    /// <inheritdoc/>
    public int Folds { get; }

    /// <summary>The incumbent's loss on each fold (null before a trial has trained every fold).</summary>
    public IReadOnlyList<double>? Incumbent { get { lock (this) return _incumbent; } }

    /// <inheritdoc/>
    public bool ShouldContinue(IReadOnlyList<double> losses)
    {
        if (losses.Count >= Folds) return false;
        lock (this) return _incumbent is null || MeanDifference(losses, _incumbent) < 0;
    }

    /// <inheritdoc/>
    public double Value(IReadOnlyList<double> losses)
    {
        lock (this) return _incumbent is null ? losses.Average() : _incumbent.Average() + MeanDifference(losses, _incumbent);
    }

    /// <inheritdoc/>
    public bool Record(IReadOnlyList<double> losses)
    {
        lock (this)
        {
            if (losses.Count < Folds || (_incumbent is not null && !(losses.Average() < _incumbent.Average()))) return false;
            _incumbent = losses.ToArray();
            return true;
        }
    }

    private static double MeanDifference(IReadOnlyList<double> losses, double[] incumbent)
    {
        double sum = 0;
        for (int j = 0; j < losses.Count; j++) sum += losses[j] - incumbent[j];
        return sum / losses.Count;
    }
}
