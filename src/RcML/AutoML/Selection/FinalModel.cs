namespace RcML.AutoML;

/// <summary>How an experiment scored on folds makes the model it returns from its best trial.</summary>
public enum FinalModel
{
    /// <summary>
    /// The best configuration retrained on all the data for the mean of its folds' best epoch counts (no hold-out);
    /// a new initialization, so the model is a fresh draw of the configuration, not the lucky one.
    /// </summary>
    Refit,
    /// <summary>The best trial's first-fold network as trained (on the folds but one; early-stopped on the last).</summary>
    FirstFold,
    /// <summary>
    /// The best trial's fold networks as one ensemble (bagging over the folds: mean p_B, and the members' spread as
    /// CommittorStdDev); costs no further training. Without this process's fold networks, a refit.
    /// </summary>
    Ensemble,
}
