namespace RcML.AutoML;

/// <summary>Every trial trains every fold; its value is the mean validation loss.</summary>
public sealed class CrossValidationSelection : IFoldSelection
{
    private double _best = double.PositiveInfinity;

    /// <summary>k-fold cross-validation.</summary>
    public CrossValidationSelection(int folds)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "Cross-validation needs at least 2 folds.");
        Folds = folds;
    }

    /// <inheritdoc/>
    public int Folds { get; }

    /// <inheritdoc/>
    public bool ShouldContinue(IReadOnlyList<double> losses) => losses.Count < Folds;

    /// <inheritdoc/>
    public double Value(IReadOnlyList<double> losses) => losses.Average();

    /// <inheritdoc/>
    public bool Record(IReadOnlyList<double> losses)
    {
        lock (this)
        {
            if (losses.Count < Folds || !(losses.Average() < _best)) return false;
            _best = losses.Average();
            return true;
        }
    }
}
