namespace RcML.AutoML;

/// <summary>
/// How a trial is scored on the folds of a <see cref="CommittorExperiment"/>'s data: how many folds it trains, and the
/// value it reports. Values must be comparable across trials whatever their number of folds, and the study's best value
/// must belong to a trial scored on every fold, so the lowest value is never a single split's luck.
/// </summary>
public interface IFoldSelection
{
    /// <summary>Folds the data is split into.</summary>
    int Folds { get; }

    /// <summary>Whether a trial whose first folds gave <paramref name="losses"/> (validation losses, in fold order) trains the next fold.</summary>
    bool ShouldContinue(IReadOnlyList<double> losses);

    /// <summary>The trial's value from the folds it trained.</summary>
    double Value(IReadOnlyList<double> losses);

    /// <summary>Records a completed trial's fold losses; true when it becomes the best trial scored on every fold.</summary>
    bool Record(IReadOnlyList<double> losses);
}
