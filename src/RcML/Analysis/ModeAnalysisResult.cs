namespace RcML.Analysis;

/// <summary>Modes of the good trials of a study.</summary>
/// <param name="Modes">Modes, best first.</param>
/// <param name="GoodTrials">Trials clustered.</param>
/// <param name="ValueThreshold">Worst value among the good trials.</param>
/// <param name="Silhouette">Mean silhouette of the chosen clustering (NaN for one mode).</param>
/// <param name="Tolerance">Absolute tolerance on best values used for <see cref="Mode.ReachesBest"/>.</param>
/// <param name="MultipleGoodModes">Whether two or more distinct modes reach the best value within the tolerance.</param>
/// <param name="Verdict">A one-sentence summary.</param>
public sealed record ModeAnalysisResult(IReadOnlyList<Mode> Modes, int GoodTrials, double ValueThreshold, double Silhouette, double Tolerance,
    bool MultipleGoodModes, string Verdict);
