namespace RcML.Analysis;

/// <summary>CVs whose values move together in the data, found by <see cref="CvGroups.Find"/>.</summary>
/// <param name="Members">Indices of the member CVs (into the inputs given to <see cref="CvGroups.Find"/>), ascending.</param>
/// <param name="MinCorrelation">Smallest |r| between members that links them (1 for a single CV).</param>
public sealed record CvGroup(IReadOnlyList<int> Members, double MinCorrelation);
