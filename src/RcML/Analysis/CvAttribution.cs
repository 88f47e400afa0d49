using RcML.Committor;

namespace RcML.Analysis;

/// <summary>How much one raw CV matters to a committor model, by each method. Shares sum to 1 over the CVs per method.</summary>
/// <param name="Name">The CV.</param>
/// <param name="Kind">Linear or periodic (a periodic CV's sin/cos pair is attributed together).</param>
/// <param name="Permutation">Share of the (non-negative) cross-entropy increases.</param>
/// <param name="GradientTimesInput">Share of mean |gradient x (input - baseline)|.</param>
/// <param name="IntegratedGradients">Share of mean |integrated gradients|.</param>
/// <param name="CrossEntropyIncrease">Mean increase of the cross-entropy per shot (nats) when the CV is shuffled; may be slightly negative for a CV that does not matter.</param>
/// <param name="Baseline">The baseline of the gradient methods: the data mean (circular mean for a periodic CV).</param>
public sealed record CvAttribution(string Name, InputKind Kind, double Permutation, double GradientTimesInput, double IntegratedGradients,
    double CrossEntropyIncrease, double Baseline)
{
    /// <summary>The share by one method.</summary>
    public double Share(AttributionMethod method) => method switch
    {
        AttributionMethod.Permutation => Permutation,
        AttributionMethod.GradientTimesInput => GradientTimesInput,
        AttributionMethod.IntegratedGradients => IntegratedGradients,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
