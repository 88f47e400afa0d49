namespace RcML.Analysis;

/// <summary>Settings of <see cref="HyperparameterImportance"/>.</summary>
public sealed record HyperparameterImportanceOptions
{
    /// <summary>Trees of the random-forest surrogate (Optuna's default is 64).</summary>
    public int Trees { get; init; } = 64;
    /// <summary>Most leaves per tree.</summary>
    public int MaxLeaves { get; init; } = 32;
    /// <summary>Fewest trials in a leaf (Optuna's fANOVA uses 1).</summary>
    public int MinTrialsPerLeaf { get; init; } = 1;
    /// <summary>Seed of the forest's bagging.</summary>
    public int Seed { get; init; }
    /// <summary>How many of the most important parameters get a marginal effect curve.</summary>
    public int MarginalEffects { get; init; } = 3;
    /// <summary>Grid points of a numeric parameter's marginal effect curve (a categorical one gets one per choice).</summary>
    public int GridPoints { get; init; } = 20;
}
