using RcML.Committor;

namespace RcML.Tests;

/// <summary>
/// A smooth, known committor on 10 Gaussian CVs of which two matter, with binomial shot counts:
/// q*(x) = 2 x0 + (x1^2 - 1) + 0.8 x0 x1, p_B = sigmoid(q*).
/// </summary>
internal static class SyntheticCommittor
{
    public const int Dimensions = 10;

    public static double TrueLogit(ReadOnlySpan<float> x) => 2.0 * x[0] + (x[1] * x[1] - 1) + 0.8 * x[0] * x[1];

    public static (ShootingMatrix Data, float[] TrueProbability) Sample(int rows, int shots, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows * Dimensions];
        var a = new float[rows];
        var b = new float[rows];
        var p = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var x = features.AsSpan(r * Dimensions, Dimensions);
            for (int c = 0; c < Dimensions; c++) x[c] = (float)Gaussian(random);
            p[r] = (float)(1 / (1 + Math.Exp(-TrueLogit(x))));
            for (int s = 0; s < shots; s++)
                if (random.NextDouble() < p[r]) b[r]++; else a[r]++;
        }
        return (new ShootingMatrix(features, rows, Dimensions, a, b), p);
    }

    public static IReadOnlyList<NetworkInput> Inputs { get; } =
        Enumerable.Range(1, Dimensions).Select(i => new NetworkInput($"cv_{i}", InputKind.Linear)).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
