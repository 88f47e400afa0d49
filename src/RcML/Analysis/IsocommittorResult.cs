namespace RcML.Analysis;

/// <summary>The result of the <see cref="IsocommittorTest"/>.</summary>
/// <param name="WindowLow">Lower edge of the predicted-p_B window.</param>
/// <param name="WindowHigh">Upper edge of the window.</param>
/// <param name="Configurations">Configurations with predicted p_B in the window.</param>
/// <param name="MeanShots">Mean shots per such configuration.</param>
/// <param name="Histogram">Observed and expected counts per fraction bin.</param>
/// <param name="ChiSquare">Pearson's chi-square over bins merged until each expects at least 5 configurations; NaN when too few.</param>
/// <param name="DegreesOfFreedom">Merged bins minus one (nothing is fitted: p_B comes from the model).</param>
/// <param name="ChiSquarePerDegreeOfFreedom">ChiSquare / DegreesOfFreedom; about 1 when the model's p_B holds.</param>
/// <param name="PValue">Probability of a chi-square at least this large if the shots were Binomial(n, p_B).</param>
/// <param name="Passed">Whether the observed fractions are consistent with Binomial(n, p_B) (p-value at least 0.01); null when too few configurations.</param>
/// <param name="Verdict">One plain sentence.</param>
public sealed record IsocommittorResult(double WindowLow, double WindowHigh, int Configurations, double MeanShots,
    IReadOnlyList<IsocommittorBin> Histogram, double ChiSquare, int DegreesOfFreedom, double ChiSquarePerDegreeOfFreedom, double PValue,
    bool? Passed, string Verdict);
