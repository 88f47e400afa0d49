namespace RcML.Analysis;

/// <summary>Settings of <see cref="FeatureAttribution.Compute(RcML.Committor.CommittorNetworkSpec, RcML.Data.ShootingData, FeatureAttributionOptions?)"/>.</summary>
public sealed record FeatureAttributionOptions
{
    /// <summary>Shuffles per CV (and per group) for permutation importance (averaged); 0 skips permutation importance.</summary>
    public int Permutations { get; init; } = 5;
    /// <summary>Riemann (midpoint) steps of integrated gradients.</summary>
    public int IntegrationSteps { get; init; } = 48;
    /// <summary>Rows used by the two gradient methods (an evenly spaced subset of the data; all rows when fewer).</summary>
    public int MaxGradientRows { get; init; } = 2000;
    /// <summary>Seed of the shuffles.</summary>
    public int Seed { get; init; }
    /// <summary>
    /// |r| from which CVs count as one group (see <see cref="CvGroups"/>); groups are attributed jointly besides each
    /// CV. Null: no grouping (every CV is its own group).
    /// </summary>
    public double? GroupThreshold { get; init; } = CvGroups.DefaultThreshold;
}
