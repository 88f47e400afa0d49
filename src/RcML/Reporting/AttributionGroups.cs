namespace RcML.Reporting;

/// <summary>Attribution per group of CVs that move together in the data, for the models of an <see cref="AttributionHeatmap"/>.</summary>
/// <param name="Labels">Short label per group (e.g. "phi +3": the representative and how many others).</param>
/// <param name="Members">The member CVs of each group.</param>
/// <param name="Values">Attribution of group g in model m at [m, g] (the members' shares summed).</param>
/// <param name="Permutation">The best model's joint permutation share per group, when computed.</param>
/// <param name="Threshold">The |r| that formed the groups.</param>
public sealed record AttributionGroups(string[] Labels, IReadOnlyList<string>[] Members, double[,] Values, double[]? Permutation, double Threshold);
