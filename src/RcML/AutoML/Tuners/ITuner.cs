namespace RcML.AutoML;

/// <summary>
/// Proposes hyperparameters and learns from results, shaped like ML.NET AutoML's ITuner.
/// Loss is always minimized. Implement it to plug in a custom tuner.
/// </summary>
public interface ITuner
{
    /// <summary>Proposes the parameter set for a new trial (the caller stores it in <paramref name="settings"/>.Parameter).</summary>
    Parameter Propose(TrialSettings settings);
    /// <summary>Reports a finished (or failed, or pruned) trial.</summary>
    void Update(TrialResult result);
}
