namespace RcML.Analysis;

/// <summary>Attribution of one committor model to its raw CVs and to groups of redundant CVs.</summary>
/// <param name="Cvs">One entry per raw input of the network, in the network's input order.</param>
/// <param name="Groups">Every CV in exactly one group (most groups have one member), ordered by their first member.</param>
/// <param name="GroupThreshold">The |r| that formed the groups; null when grouping was off.</param>
/// <param name="CrossEntropy">Cross-entropy per shot of the model on the data (the permutation baseline).</param>
/// <param name="Rows">Configurations used for permutation importance.</param>
/// <param name="GradientRows">Configurations used for the gradient methods.</param>
/// <param name="Permutations">Shuffles per CV (0: permutation importance not computed).</param>
/// <param name="IntegrationSteps">Steps of integrated gradients.</param>
/// <param name="MeanCompletenessGap">
/// Mean |q(x) - q(baseline) - sum of integrated gradients| over the gradient rows: the integration error (should be small next to |q|).
/// </param>
public sealed record FeatureAttributionResult(IReadOnlyList<CvAttribution> Cvs, IReadOnlyList<GroupAttribution> Groups, double? GroupThreshold,
    double CrossEntropy, int Rows, int GradientRows, int Permutations, int IntegrationSteps, double MeanCompletenessGap)
{
    /// <summary>The CVs sorted by one method's share, largest first (ties by name).</summary>
    public IReadOnlyList<CvAttribution> SortedBy(AttributionMethod method) =>
        Cvs.OrderByDescending(c => c.Share(method)).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The groups sorted by one method's share, largest first (ties by representative).</summary>
    public IReadOnlyList<GroupAttribution> GroupsSortedBy(AttributionMethod method) =>
        Groups.OrderByDescending(g => g.Share(method)).ThenBy(g => g.Representative, StringComparer.Ordinal).ToArray();
}
