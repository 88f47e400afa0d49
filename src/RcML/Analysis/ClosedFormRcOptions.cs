namespace RcML.Analysis;

/// <summary>Settings of <see cref="ClosedFormRc"/>'s <c>Distill</c> overloads.</summary>
public sealed record ClosedFormRcOptions
{
    /// <summary>Most basis terms in the formula (besides the constant).</summary>
    public int MaxTerms { get; init; } = 6;
    /// <summary>Most CVs the formula may use: the representatives of the model's top CV groups by permutation importance.</summary>
    public int MaxCvs { get; init; } = 4;
    /// <summary>Smallest permutation share of a group for its representative to be a candidate.</summary>
    public double MinGroupShare { get; init; } = 0.02;
    /// <summary>|r| from which CVs form a group (see <see cref="CvGroups"/>).</summary>
    public double GroupThreshold { get; init; } = CvGroups.DefaultThreshold;
    /// <summary>Folds of the cross-validation that chooses the number of terms.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>
    /// Pseudo-shots per configuration drawn from the network's p_B, added to the observed shots in the fit (the formula
    /// is fitted to the model and the data); null: the mean observed shots per configuration; 0: shots only.
    /// </summary>
    public double? ModelShots { get; init; }
    /// <summary>The network's attribution on the same data, when already computed (with permutation importance and groups).</summary>
    public FeatureAttributionResult? Attribution { get; init; }
    /// <summary>Seed of the folds.</summary>
    public int Seed { get; init; }
}
