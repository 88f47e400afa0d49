using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RcML.Committor;

/// <summary>
/// The binomial cross-entropy of shooting outcomes, per shot:
/// -sum[n_B log p_B + n_A log(1 - p_B)] / sum(n_A + n_B) with p_B = sigmoid(q),
/// computed from the logit q as log p_B = logsigmoid(q), log(1 - p_B) = logsigmoid(-q) so it never overflows.
/// </summary>
public static class CommittorLoss
{
    /// <summary>Loss per shot for logits q and counts (TorchSharp, differentiable).</summary>
    public static Tensor PerShot(Tensor q, Tensor countA, Tensor countB) =>
        -(countB * F.logsigmoid(q) + countA * F.logsigmoid(-q)).sum() / (countA + countB).sum();

    /// <summary>Summed loss for logits q (not divided by the number of shots).</summary>
    public static double Sum(ReadOnlySpan<float> q, ReadOnlySpan<float> countA, ReadOnlySpan<float> countB)
    {
        double sum = 0;
        for (int i = 0; i < q.Length; i++)
            sum -= countB[i] * LogSigmoid(q[i]) + countA[i] * LogSigmoid(-q[i]);
        return sum;
    }

    /// <summary>Loss per shot for logits q.</summary>
    public static double PerShot(ReadOnlySpan<float> q, ReadOnlySpan<float> countA, ReadOnlySpan<float> countB)
    {
        double shots = 0;
        for (int i = 0; i < q.Length; i++) shots += countA[i] + countB[i];
        return Sum(q, countA, countB) / shots;
    }

    /// <summary>Loss per shot for committor probabilities p (clamped away from 0 and 1 by 1e-12).</summary>
    public static double PerShotFromProbability(ReadOnlySpan<float> p, ReadOnlySpan<float> countA, ReadOnlySpan<float> countB)
    {
        double sum = 0, shots = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double pb = Math.Clamp((double)p[i], 1e-12, 1 - 1e-12);
            sum -= countB[i] * Math.Log(pb) + countA[i] * Math.Log(1 - pb);
            shots += countA[i] + countB[i];
        }
        return sum / shots;
    }

    /// <summary>log(sigmoid(x)) without overflow.</summary>
    public static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));
}
