namespace RcML.AutoML;

/// <summary>How losses are warped before the GP standardizes them.</summary>
public enum OutputWarping
{
    /// <summary>Standardize only.</summary>
    None,
    /// <summary>log(loss − min + 1% of the range): tames heavy upper tails (diverged trainings).</summary>
    Log,
    /// <summary>Normal scores of the ranks: robust to any monotone distortion, loses magnitudes.</summary>
    Rank,
    /// <summary>
    /// Losses above the <see cref="GaussianProcessTunerOptions.ClipQuantile"/> quantile are set to it: the GP spends its
    /// resolution on the better trials, so a few very poor ones (diverged trainings) no longer squash the small
    /// differences among good ones after standardization.
    /// </summary>
    Clip,
}
