namespace RcML.Sampling;

/// <summary>Settings of <see cref="ShootingPointSelector.Select"/>.</summary>
public sealed class ShootingPointSelectorOptions
{
    /// <summary>How candidates are weighted (default <see cref="SelectionStrategy.Transition"/>).</summary>
    public SelectionStrategy Strategy { get; set; } = SelectionStrategy.Transition;

    /// <summary>Number of configurations to pick; at most the pool size.</summary>
    public int Count { get; set; } = 100;

    /// <summary>Seed of the weighted draw; the same seed and pool give the same picks.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Half width of the Lorentzian in q (logit) units: weight 1/2 at q = +-Width, i.e. p_B = 0.27 and 0.73 for 1.</summary>
    public double Width { get; set; } = 1.0;

    /// <summary>Bin width in q of the density histogram the <see cref="SelectionStrategy.Spread"/> strategy divides by.</summary>
    public double DensityBinWidth { get; set; } = 0.25;
}
