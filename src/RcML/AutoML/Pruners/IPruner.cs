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
