namespace RcML.Sampling;

/// <summary>How <see cref="ShootingPointSelector"/> weighs candidate configurations.</summary>
public enum SelectionStrategy
{
    /// <summary>
    /// Closeness to the transition state q = 0: AIMMD's Lorentzian in logit space, w = 1 / (1 + (q / Width)^2).
    /// </summary>
    Transition,
    /// <summary>
    /// The transition weight divided by the candidates' density along q (a histogram of the pool's q), so picks spread
    /// over the committor range instead of piling up where candidates are dense.
    /// </summary>
    Spread,
    /// <summary>The ensemble's CommittorStdDev: where the members disagree most (needs an ensemble model).</summary>
    Uncertainty,
}
