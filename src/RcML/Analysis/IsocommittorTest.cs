using MathNet.Numerics.Distributions;
using static System.FormattableString;

namespace RcML.Analysis;

/// <summary>
/// The committor-histogram (isocommittor) test of a reaction coordinate: configurations the model puts near p_B = 0.5
/// should each commit to B in a fraction of their shots distributed as Binomial(n, p_B). A histogram of observed
/// fractions wider than that (peaks near 0 and 1) means the window mixes configurations that commit to A and to B: the
/// RC misses part of the mechanism there.
/// </summary>
public static class IsocommittorTest
{
    /// <summary>Fewest configurations in the window for a verdict.</summary>
    public const int MinConfigurations = 10;

    /// <summary>Runs the test on predicted p_B and shot counts; fractional counts are rounded for the binomial.</summary>
    public static IsocommittorResult Compute(IReadOnlyList<float> committor, float[] countA, float[] countB,
        double windowLow = 0.4, double windowHigh = 0.6, int bins = 10)
    {
        if (!(windowLow >= 0 && windowLow < windowHigh && windowHigh <= 1))
            throw new ArgumentException($"The isocommittor window must satisfy 0 <= low < high <= 1; got [{windowLow}, {windowHigh}].");
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var observed = new double[bins];
        var expected = new double[bins];
        int count = 0;
        double shots = 0;
        int Bin(double fraction) => Math.Min((int)(fraction * bins), bins - 1);
        for (int r = 0; r < committor.Count; r++)
        {
            double p = committor[r], n = countA[r] + countB[r];
            if (!(p >= windowLow && p <= windowHigh) || n <= 0) continue;
            count++;
            shots += n;
            observed[Bin(countB[r] / n)]++;
            int whole = Math.Max(1, (int)Math.Round(n));
            for (int k = 0; k <= whole; k++) expected[Bin((double)k / whole)] += Binomial.PMF(p, whole, k);
        }
        var histogram = Enumerable.Range(0, bins).Select(b => new IsocommittorBin((double)b / bins, (double)(b + 1) / bins, observed[b], expected[b])).ToArray();
        double meanShots = count > 0 ? shots / count : 0;
        string window = Invariant($"p_B in [{windowLow:0.###}, {windowHigh:0.###}]");

        var merged = Merge(observed, expected);
        if (count < MinConfigurations || merged.Count < 2)
            return new IsocommittorResult(windowLow, windowHigh, count, meanShots, histogram, double.NaN, 0, double.NaN, double.NaN, null,
                $"Not enough configurations with predicted {window} for the test ({count}; at least {MinConfigurations} and two bins expecting 5 each are needed).");
        double chi = merged.Sum(m => (m.Observed - m.Expected) * (m.Observed - m.Expected) / m.Expected);
        int dof = merged.Count - 1;
        double pValue = 1 - ChiSquared.CDF(dof, chi);
        bool passed = pValue >= 0.01;
        // Wider or narrower: spread of the observed fractions against the binomial's.
        double observedSpread = Spread(histogram, h => h.Observed), expectedSpread = Spread(histogram, h => h.Expected);
        string stats = Invariant($"chi-square per degree of freedom {chi / dof:0.##}, p = {pValue:0.###}, {count} configurations with predicted {window}");
        string verdict = passed
            ? $"Passed: the observed shot fractions are consistent with Binomial(n, p_B) ({stats}); configurations the model places at the transition state behave as such."
            : observedSpread > expectedSpread
                ? $"Failed: the observed shot fractions are spread wider than Binomial(n, p_B) predicts ({stats}); configurations at the predicted transition state commit to A or to B, so the RC misses part of the mechanism there."
                : $"Failed: the observed shot fractions differ from Binomial(n, p_B) ({stats}); the model's p_B is miscalibrated in the window.";
        return new IsocommittorResult(windowLow, windowHigh, count, meanShots, histogram, chi, dof, chi / dof, pValue, passed, verdict);
    }

    /// <summary>Adjacent bins merged left to right until each expects at least 5 configurations (a short tail joins its neighbour).</summary>
    private static List<(double Observed, double Expected)> Merge(double[] observed, double[] expected)
    {
        var merged = new List<(double Observed, double Expected)>();
        double o = 0, e = 0;
        for (int b = 0; b < observed.Length; b++)
        {
            o += observed[b];
            e += expected[b];
            if (e >= 5) { merged.Add((o, e)); o = e = 0; }
        }
        if (e > 0 || o > 0)
        {
            if (merged.Count == 0) merged.Add((o, e));
            else merged[^1] = (merged[^1].Observed + o, merged[^1].Expected + e);
        }
        return merged.Where(m => m.Expected > 0).ToList();
    }

    private static double Spread(IReadOnlyList<IsocommittorBin> histogram, Func<IsocommittorBin, double> weight)
    {
        double total = histogram.Sum(weight);
        if (total <= 0) return 0;
        double mean = histogram.Sum(h => weight(h) * (h.Low + h.High) / 2) / total;
        return histogram.Sum(h => weight(h) * Math.Pow((h.Low + h.High) / 2 - mean, 2)) / total;
    }
}
