using MathNet.Numerics;

namespace RcML.AutoML;

/// <summary>Standard normal helpers shared by the tuners.</summary>
internal static class Gaussian
{
    private const double LogSqrt2Pi = 0.91893853320467274178;

    public static double LogPdf(double z) => -0.5 * z * z - LogSqrt2Pi;
    public static double Pdf(double z) => Math.Exp(LogPdf(z));
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2.0));

    /// <summary>log(φ(z) + zΦ(z)), the log of expected improvement per unit σ, stable for very negative z.</summary>
    public static double LogH(double z)
    {
        if (z > -8.0) return Math.Log(Math.Max(Pdf(z) + z * Cdf(z), double.Epsilon));
        // Asymptotic series: h(z) ≈ φ(z)/z² (1 - 3/z² + 15/z⁴ - 105/z⁶ + 945/z⁸); avoids the cancellation of φ + zΦ.
        var w = 1.0 / (z * z);
        return LogPdf(z) + Math.Log(w) + Math.Log(1 - w * (3 - w * (15 - w * (105 - 945 * w))));
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Sample(Random r)
    {
        var u1 = 1.0 - r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * r.NextDouble());
    }
}
