using RcML.AutoML;

namespace RcML.Reporting;

/// <summary>One mode of good trials.</summary>
/// <param name="Center">Representative parameters of the mode (e.g. its medoid trial's).</param>
/// <param name="TrialNumbers">Numbers of the trials in the mode.</param>
/// <param name="BestValue">Lowest value among them.</param>
/// <param name="MeanValue">Mean value among them.</param>
public sealed record TrialMode(Parameter Center, IReadOnlyList<int> TrialNumbers, double BestValue, double MeanValue);
