using System.Globalization;
using System.Text;

namespace RcML.Tests;

/// <summary>Writes small shooting-data CSV files with a known committor (one periodic CV in degrees, one linear, one noise).</summary>
internal static class SyntheticCsv
{
    public static double TrueCommittor(double phiDegrees, double x) =>
        1 / (1 + Math.Exp(-(2.5 * Math.Sin(phiDegrees * Math.PI / 180) + 1.5 * x)));

    public static string Write(string path, int rows, int shots = 10, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,phi,x,noise,n_A,n_B,ref_committor\n");
        for (int i = 0; i < rows; i++)
        {
            double phi = random.NextDouble() * 360 - 180, x = random.NextDouble() * 4 - 2, noise = random.NextDouble();
            double p = TrueCommittor(phi, x);
            int b = 0;
            for (int s = 0; s < shots; s++) if (random.NextDouble() < p) b++;
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{i},{phi:F3},{x:F4},{noise:F4},{shots - b},{b},{p:F6}\n"));
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
