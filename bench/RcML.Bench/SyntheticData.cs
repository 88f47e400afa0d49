using RcML.Committor;

namespace RcML.Bench;

/// <summary>Synthetic shooting data: Gaussian CVs, a smooth nonlinear committor, 10 shots per point.</summary>
public static class SyntheticData
{
    public static (string Path, ShootingMatrix Matrix) Write(string dir, int rows, int cols, int seed)
    {
        var path = Path.Combine(dir, $"synthetic_{rows}x{cols}_s{seed}.bin");
        var r = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        var w = Enumerable.Range(0, cols).Select(_ => Gauss() / Math.Sqrt(cols)).ToArray();
        var x = new float[rows * cols];
        var a = new float[rows];
        var b = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double q = 0;
            for (int c = 0; c < cols; c++) { x[i * cols + c] = (float)Gauss(); q += w[c] * x[i * cols + c]; }
            q = 3 * Math.Tanh(q) + 0.5 * x[i * cols] * x[i * cols + 1 % cols];
            double p = 1 / (1 + Math.Exp(-q));
            int nb = 0;
            for (int s = 0; s < 10; s++) if (r.NextDouble() < p) nb++;
            a[i] = 10 - nb; b[i] = nb;
        }
        if (!File.Exists(path))
        {
            using var f = File.Create(path + ".tmp");
            using (var bw = new BinaryWriter(f))
            {
                foreach (var v in x) bw.Write(v);
                foreach (var v in a) bw.Write(v);
                foreach (var v in b) bw.Write(v);
            }
            File.Move(path + ".tmp", path, true);
        }
        return (path, new ShootingMatrix(x, rows, cols, a, b));
    }
}
