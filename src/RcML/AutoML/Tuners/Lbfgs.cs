using static RcML.Numerics.Vectors;

namespace RcML.AutoML;

/// <summary>Unconstrained L-BFGS with a backtracking Armijo line search; enough for a few dozen GP hyperparameters.</summary>
internal static class Lbfgs
{
    /// <summary>Minimizes f; <paramref name="fg"/> returns f(x) and writes ∇f(x) into its second argument. Non-finite f rejects a step.</summary>
    public static (double[] X, double F) Minimize(Func<double[], double[], double> fg, double[] x0, int maxIterations = 50, int memory = 8)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var g = new double[n];
        var f = fg(x, g);
        if (!double.IsFinite(f)) return (x, f);
        var s = new List<double[]>(); var y = new List<double[]>(); var rho = new List<double>();
        var d = new double[n]; var xNew = new double[n]; var gNew = new double[n];
        for (var it = 0; it < maxIterations; it++)
        {
            // Two-loop recursion: d = -H g.
            Array.Copy(g, d, n);
            var alpha = new double[s.Count];
            for (var k = s.Count - 1; k >= 0; k--) { alpha[k] = rho[k] * Dot(s[k], d); Axpy(-alpha[k], y[k], d); }
            if (s.Count > 0) { var gamma = Dot(s[^1], y[^1]) / Dot(y[^1], y[^1]); for (var i = 0; i < n; i++) d[i] *= gamma; }
            for (var k = 0; k < s.Count; k++) { var beta = rho[k] * Dot(y[k], d); Axpy(alpha[k] - beta, s[k], d); }
            for (var i = 0; i < n; i++) d[i] = -d[i];
            var slope = Dot(g, d);
            if (!(slope < 0)) { s.Clear(); y.Clear(); rho.Clear(); for (var i = 0; i < n; i++) d[i] = -g[i]; slope = -Dot(g, g); }
            if (slope > -1e-14) break;

            var step = s.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(1e-12, g.Max(Math.Abs))) : 1.0;
            var fNew = double.NaN; var accepted = false;
            for (var ls = 0; ls < 30; ls++)
            {
                for (var i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
                fNew = fg(xNew, gNew);
                if (double.IsFinite(fNew) && fNew <= f + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            if (!accepted) break;

            var sk = new double[n]; var yk = new double[n];
            for (var i = 0; i < n; i++) { sk[i] = xNew[i] - x[i]; yk[i] = gNew[i] - g[i]; }
            var sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                if (s.Count == memory) { s.RemoveAt(0); y.RemoveAt(0); rho.RemoveAt(0); }
                s.Add(sk); y.Add(yk); rho.Add(1.0 / sy);
            }
            var converged = Math.Abs(f - fNew) <= 1e-9 * Math.Max(1.0, Math.Abs(f)) || gNew.Max(Math.Abs) < 1e-6;
            Array.Copy(xNew, x, n); Array.Copy(gNew, g, n); f = fNew;
            if (converged) break;
        }
        return (x, f);
    }

    private static void Axpy(double a, double[] x, double[] y) { for (var i = 0; i < x.Length; i++) y[i] += a * x[i]; }
}
