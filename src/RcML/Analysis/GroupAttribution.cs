namespace RcML.Analysis;

/// <summary>
/// How much a group of redundant CVs (see <see cref="CvGroups"/>) matters to a committor model: its members shuffled
/// together (one permutation of the rows for all of them, so their mutual relation stays), and the gradient methods
/// summed over the members. Shares sum to 1 over the groups per method.
/// </summary>
/// <param name="Members">The member CVs, in the network's input order.</param>
/// <param name="Representative">The member with the largest attribution (summed over the methods): the one to read or bias.</param>
/// <param name="MinCorrelation">The weakest link between members (|r|; 1 for a single CV).</param>
/// <param name="Permutation">Share of the (non-negative) joint cross-entropy increases.</param>
/// <param name="GradientTimesInput">Sum of the members' gradient x input shares.</param>
/// <param name="IntegratedGradients">Sum of the members' integrated-gradient shares.</param>
/// <param name="CrossEntropyIncrease">Mean increase of the cross-entropy per shot (nats) when the members are shuffled jointly.</param>
public sealed record GroupAttribution(IReadOnlyList<string> Members, string Representative, double MinCorrelation, double Permutation,
    double GradientTimesInput, double IntegratedGradients, double CrossEntropyIncrease)
{
    /// <summary>A short name: the representative, with the number of other members (e.g. "phi +3").</summary>
    public string Label => Members.Count == 1 ? Representative : $"{Representative} +{Members.Count - 1}";

    /// <summary>The share by one method.</summary>
    public double Share(AttributionMethod method) => method switch
    {
        AttributionMethod.Permutation => Permutation,
        AttributionMethod.GradientTimesInput => GradientTimesInput,
        AttributionMethod.IntegratedGradients => IntegratedGradients,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
