namespace RcML.Committor;

/// <summary>How well predicted committors explain shooting outcomes (and, where known, the exact committor).</summary>
public sealed record CommittorMetrics
{
    /// <summary>Number of configurations.</summary>
    public required int Configurations { get; init; }
    /// <summary>Number of shots.</summary>
    public required double Shots { get; init; }
    /// <summary>Binomial cross-entropy per shot of the model (nats).</summary>
    public required double CrossEntropy { get; init; }
    /// <summary>Cross-entropy per shot of the reference committor, when the data has one.</summary>
    public double? ReferenceCrossEntropy { get; init; }
    /// <summary>Model minus reference cross-entropy per shot (0 is perfect).</summary>
    public double? ExcessCrossEntropy => CrossEntropy - ReferenceCrossEntropy;
    /// <summary>Root mean square difference between predicted and reference p_B.</summary>
    public double? RmseToReference { get; init; }
    /// <summary>Cross-entropy per shot of a constant p_B equal to the overall fraction (a no-information baseline).</summary>
    public required double ConstantCrossEntropy { get; init; }
    /// <summary>Calibration table.</summary>
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }

    /// <summary>Computes the metrics from predicted p_B, counts, and an optional reference committor.</summary>
    public static CommittorMetrics Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> countA, ReadOnlySpan<float> countB,
        ReadOnlySpan<float> reference = default, int bins = 10)
    {
        double shotsA = 0, shotsB = 0;
        for (int i = 0; i < countA.Length; i++) { shotsA += countA[i]; shotsB += countB[i]; }
        double overall = shotsB / (shotsA + shotsB);
        var constant = new float[predicted.Length];
        Array.Fill(constant, (float)overall);

        double? rmse = null;
        if (!reference.IsEmpty)
        {
            double sum = 0;
            for (int i = 0; i < predicted.Length; i++) sum += (predicted[i] - reference[i]) * (predicted[i] - reference[i]);
            rmse = Math.Sqrt(sum / predicted.Length);
        }

        return new CommittorMetrics
        {
            Configurations = predicted.Length,
            Shots = shotsA + shotsB,
            CrossEntropy = CommittorLoss.PerShotFromProbability(predicted, countA, countB),
            ReferenceCrossEntropy = reference.IsEmpty ? null : CommittorLoss.PerShotFromProbability(reference, countA, countB),
            RmseToReference = rmse,
            ConstantCrossEntropy = CommittorLoss.PerShotFromProbability(constant, countA, countB),
            Calibration = Calibrate(predicted, countA, countB, bins),
        };
    }

    private static List<CalibrationBin> Calibrate(ReadOnlySpan<float> p, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int bins)
    {
        var configurations = new int[bins];
        var shots = new double[bins];
        var predictedSum = new double[bins];
        var observedB = new double[bins];
        for (int i = 0; i < p.Length; i++)
        {
            int k = Math.Clamp((int)(p[i] * bins), 0, bins - 1);
            double n = a[i] + b[i];
            configurations[k]++;
            shots[k] += n;
            predictedSum[k] += p[i] * n;
            observedB[k] += b[i];
        }
        var table = new List<CalibrationBin>();
        for (int k = 0; k < bins; k++)
            if (configurations[k] > 0)
                table.Add(new CalibrationBin((double)k / bins, (double)(k + 1) / bins, configurations[k], shots[k],
                    predictedSum[k] / shots[k], observedB[k] / shots[k]));
        return table;
    }
}
