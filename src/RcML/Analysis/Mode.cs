using RcML.AutoML;

namespace RcML.Analysis;

/// <summary>One mode: a cluster of good trials in the normalized parameter space.</summary>
/// <param name="Representative">The medoid trial's parameters.</param>
/// <param name="RepresentativeTrial">The medoid trial's number.</param>
/// <param name="Size">Good trials in the mode.</param>
/// <param name="BestValue">Best (lowest) value in the mode.</param>
/// <param name="BestTrial">Number of the trial with the best value.</param>
/// <param name="MeanValue">Mean value in the mode.</param>
/// <param name="Trials">Numbers of the mode's trials, best first.</param>
/// <param name="ReachesBest">Whether the mode's best value is within the tolerance of the overall best.</param>
public sealed record Mode(Parameter Representative, int RepresentativeTrial, int Size, double BestValue, int BestTrial, double MeanValue,
    IReadOnlyList<int> Trials, bool ReachesBest);
