using static RcML.Numerics.Vectors;

namespace RcML.AutoML;

/// <summary>
/// Exact GP regression with an ARD Matérn-5/2 kernel plus fitted Gaussian noise, for standardized targets.
/// Hyperparameters θ = [log ℓ_1..ℓ_D, log s², log(σ²−1e-6)] are the MAP estimate under weak log-normal priors
/// (analytic gradient, multi-start L-BFGS).
/// </summary>
internal sealed class GaussianProcess
{
    private const double NoiseFloor = 1e-6;
    private static readonly double Sqrt5 = Math.Sqrt(5.0);

    private readonly double[][] _x;
    private readonly double[] _invEll;
    private readonly double _s2;
    private readonly double[] _l;      // Cholesky factor of K (row-major, lower)
    private readonly double[] _alpha;  // K⁻¹ y

    /// <summary>Fitted hyperparameters θ (reuse as a warm start).</summary>
    public double[] Theta { get; }
    /// <summary>Fitted noise variance (in standardized units).</summary>
    public double NoiseVariance { get; }

    private GaussianProcess(double[][] x, double[] y, double[] theta)
    {
        _x = x; Theta = theta;
        var d = x[0].Length;
        _invEll = Enumerable.Range(0, d).Select(k => Math.Exp(-theta[k])).ToArray();
        _s2 = Math.Exp(theta[d]);
        NoiseVariance = NoiseFloor + Math.Exp(theta[d + 1]);
        var n = x.Length;
        for (var jitter = 1e-10; ; jitter *= 100)
        {
            var k = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < i; j++) k[i * n + j] = k[j * n + i] = Kernel(x[i], x[j]);
                k[i * n + i] = _s2 * (1 + jitter) + NoiseVariance;
            }
            if (Cholesky(k, n)) { _l = k; break; }
            if (jitter > 1e-2) throw new InvalidOperationException("GP kernel matrix is not positive definite.");
        }
        _alpha = (double[])y.Clone();
        SolveLower(_l, n, _alpha); SolveUpperT(_l, n, _alpha);
    }

    private double Kernel(double[] a, double[] b)
    {
        var r2 = 0.0;
        for (var k = 0; k < a.Length; k++) { var t = (a[k] - b[k]) * _invEll[k]; r2 += t * t; }
        var r = Math.Sqrt(r2);
        return _s2 * (1 + Sqrt5 * r + 5.0 / 3.0 * r2) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>Posterior mean and latent (noise-free) variance at x.</summary>
    public (double Mean, double Variance) Predict(double[] x)
    {
        var n = _x.Length;
        var kx = new double[n];
        for (var i = 0; i < n; i++) kx[i] = Kernel(x, _x[i]);
        var mean = 0.0;
        for (var i = 0; i < n; i++) mean += kx[i] * _alpha[i];
        SolveLower(_l, n, kx);
        var v = _s2;
        for (var i = 0; i < n; i++) v -= kx[i] * kx[i];
        return (mean, Math.Max(v, 1e-12 * _s2));
    }

    /// <summary>Conditions on (x, y) with fixed hyperparameters θ.</summary>
    public static GaussianProcess Condition(double[][] x, double[] y, double[] theta) => new(x, y, theta);

    /// <summary>Fits hyperparameters (from <paramref name="warmStart"/> and <paramref name="restarts"/> prior draws) and conditions on (x, y).</summary>
    public static GaussianProcess Fit(double[][] x, double[] y, Random random, double[]? warmStart, int restarts, int maxIterations)
    {
        var d = x[0].Length;
        var prior = new Prior(d);
        var starts = new List<double[]> { prior.Mean() };
        if (warmStart is { Length: var len } && len == d + 2) starts.Add(warmStart);
        for (var r = 0; r < restarts; r++) starts.Add(prior.Draw(random));
        double[]? best = null; var bestF = double.PositiveInfinity;
        foreach (var s in starts)
        {
            var (t, f) = Lbfgs.Minimize((th, g) => NegLogPosterior(x, y, th, g, prior), s, maxIterations);
            if (f < bestF) { bestF = f; best = t; }
        }
        return new GaussianProcess(x, y, best ?? prior.Mean());
    }

    /// <summary>Weak log-normal priors keep θ identifiable with few points; length scales grow with √D as in dimension-scaled priors.</summary>
    private sealed class Prior(int d)
    {
        public readonly double[] Mu = Enumerable.Repeat(Math.Log(0.3 * Math.Sqrt(d)), d).Append(0.0).Append(Math.Log(1e-3)).ToArray();
        public readonly double[] Sd = Enumerable.Repeat(1.2, d).Append(1.0).Append(2.5).ToArray();
        public double[] Mean() => (double[])Mu.Clone();
        public double[] Draw(Random r) => Mu.Select((m, i) => m + Sd[i] * Gaussian.Sample(r)).ToArray();
    }

    /// <summary>−(log marginal likelihood + log prior) and its gradient in θ, with the default priors.</summary>
    internal static double NegLogPosterior(double[][] x, double[] y, double[] theta, double[] grad) =>
        NegLogPosterior(x, y, theta, grad, new Prior(x[0].Length));

    /// <summary>−(log marginal likelihood + log prior) and its gradient in θ.</summary>
    private static double NegLogPosterior(double[][] x, double[] y, double[] theta, double[] grad, Prior prior)
    {
        var n = x.Length; var d = x[0].Length;
        var invEll2 = new double[d];
        for (var k = 0; k < d; k++) invEll2[k] = Math.Exp(-2 * theta[k]);
        var s2 = Math.Exp(theta[d]);
        var noiseExp = Math.Exp(theta[d + 1]);
        if (!double.IsFinite(s2) || !double.IsFinite(noiseExp) || invEll2.Any(v => !double.IsFinite(v))) return double.PositiveInfinity;

        var kMat = new double[n * n];
        var gMat = new double[n * n]; // s² (5/3)(1+√5 r) e^{-√5 r}: ∂k/∂log ℓ_k = gMat · Δ_k²/ℓ_k²
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var r2 = 0.0;
                for (var k = 0; k < d; k++) { var t = x[i][k] - x[j][k]; r2 += t * t * invEll2[k]; }
                var r = Math.Sqrt(r2);
                var e = Math.Exp(-Sqrt5 * r);
                kMat[i * n + j] = kMat[j * n + i] = s2 * (1 + Sqrt5 * r + 5.0 / 3.0 * r2) * e;
                gMat[i * n + j] = s2 * 5.0 / 3.0 * (1 + Sqrt5 * r) * e;
            }
            kMat[i * n + i] = s2 * (1 + 1e-10) + NoiseFloor + noiseExp;
        }
        var l = (double[])kMat.Clone();
        if (!Cholesky(l, n)) return double.PositiveInfinity;
        var alpha = (double[])y.Clone();
        SolveLower(l, n, alpha); SolveUpperT(l, n, alpha);
        var logDet = 0.0;
        for (var i = 0; i < n; i++) logDet += Math.Log(l[i * n + i]);
        var lml = -0.5 * Dot(y, alpha) - logDet - 0.5 * n * Math.Log(2 * Math.PI);

        // W = ααᵀ − K⁻¹; ∂lml/∂θ = ½ tr(W ∂K/∂θ).
        var kInv = InverseFromCholesky(l, n);
        Array.Clear(grad);
        double gS2 = 0, gNoise = 0;
        for (var i = 0; i < n; i++)
        {
            var wii = alpha[i] * alpha[i] - kInv[i * n + i];
            gS2 += 0.5 * wii * s2;
            gNoise += 0.5 * wii * noiseExp;
            for (var j = 0; j < i; j++)
            {
                var w = alpha[i] * alpha[j] - kInv[i * n + j]; // symmetric pair counted twice → factor ½·2
                gS2 += w * kMat[i * n + j];
                var wg = w * gMat[i * n + j];
                for (var k = 0; k < d; k++) { var t = x[i][k] - x[j][k]; grad[k] += wg * t * t * invEll2[k]; }
            }
        }
        grad[d] = gS2; grad[d + 1] = gNoise;

        // Negate and add the log-normal priors.
        var f = -lml;
        for (var k = 0; k < d + 2; k++)
        {
            var z = (theta[k] - prior.Mu[k]) / prior.Sd[k];
            f += 0.5 * z * z;
            grad[k] = -grad[k] + z / prior.Sd[k];
        }
        return f;
    }

    // ---- small dense linear algebra on row-major n×n arrays ----

    /// <summary>In-place lower Cholesky; false if not positive definite.</summary>
    internal static bool Cholesky(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var s = a[j * n + j];
            for (var k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
            if (!(s > 0)) return false;
            var ljj = Math.Sqrt(s);
            a[j * n + j] = ljj;
            for (var i = j + 1; i < n; i++)
            {
                var t = a[i * n + j];
                for (var k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = t / ljj;
            }
            for (var k = j + 1; k < n; k++) a[j * n + k] = 0;
        }
        return true;
    }

    private static void SolveLower(double[] l, int n, double[] b)
    {
        for (var i = 0; i < n; i++)
        {
            var t = b[i];
            for (var k = 0; k < i; k++) t -= l[i * n + k] * b[k];
            b[i] = t / l[i * n + i];
        }
    }

    private static void SolveUpperT(double[] l, int n, double[] b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            var t = b[i];
            for (var k = i + 1; k < n; k++) t -= l[k * n + i] * b[k];
            b[i] = t / l[i * n + i];
        }
    }

    private static double[] InverseFromCholesky(double[] l, int n)
    {
        // M = L⁻¹ (lower), then K⁻¹ = Mᵀ M.
        var m = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            m[j * n + j] = 1.0 / l[j * n + j];
            for (var i = j + 1; i < n; i++)
            {
                var t = 0.0;
                for (var k = j; k < i; k++) t -= l[i * n + k] * m[k * n + j];
                m[i * n + j] = t / l[i * n + i];
            }
        }
        var inv = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var t = 0.0;
                for (var k = i; k < n; k++) t += m[k * n + i] * m[k * n + j];
                inv[i * n + j] = inv[j * n + i] = t;
            }
        return inv;
    }

}
