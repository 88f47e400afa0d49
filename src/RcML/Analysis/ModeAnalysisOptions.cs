namespace RcML.Analysis;

/// <summary>Settings of <see cref="ModeAnalysis"/>.</summary>
public sealed record ModeAnalysisOptions
{
    /// <summary>Fraction of the complete trials counted as good (the best ones).</summary>
    public double GoodFraction { get; init; } = 0.2;
    /// <summary>Fewest good trials (when the study has that many).</summary>
    public int MinGoodTrials { get; init; } = 5;
    /// <summary>Most modes tried.</summary>
    public int MaxModes { get; init; } = 5;
    /// <summary>
    /// Smallest mean silhouette for accepting more than one mode (Kaufman and Rousseeuw: above 0.5 a reasonable structure,
    /// above 0.7 a strong one); below it the good trials form one mode.
    /// </summary>
    public double MinSilhouette { get; init; } = 0.5;
    /// <summary>Two modes reach similar accuracy when their best values differ by at most this fraction of |best value|.</summary>
    public double RelativeTolerance { get; init; } = 0.01;
    /// <summary>An absolute tolerance (e.g. the noise of a trial's value) added to the relative one.</summary>
    public double AbsoluteTolerance { get; init; }
}
