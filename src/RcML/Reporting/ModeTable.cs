namespace RcML.Reporting;

/// <summary>Modes (clusters) of good trials: the distinct parameter regions where low losses were found.</summary>
/// <param name="Modes">The modes, best first.</param>
/// <param name="Description">How good trials and modes were chosen, shown as the caption (e.g. "top 20% of 120 trials, k-means in the unit cube").</param>
public sealed record ModeTable(IReadOnlyList<TrialMode> Modes, string? Description = null);
