using MathNet.Numerics.LinearAlgebra;

namespace RcML.Analysis;

/// <summary>
/// Weighted logistic regression by Newton's method (IRLS) with fractional targets: minimizes
/// -sum w_i [t_i log s(f_i) + (1 - t_i) log(1 - s(f_i))] for f = b0 + X b, with a tiny ridge for stability.
/// Columns are standardized inside; the coefficients returned are for the raw columns.
/// </summary>
internal static class LogisticFit
{
    public static (double Intercept, double[] Coefficients) Fit(IReadOnlyList<double[]> columns, double[] target, double[] weight,
        IReadOnlyList<int>? rows = null)
    {
        var use = rows ?? Enumerable.Range(0, target.Length).ToArray();
        int n = use.Count, p = columns.Count;
        var mean = new double[p];
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            mean[j] = use.Average(r => columns[j][r]);
            double sd = Math.Sqrt(use.Average(r => (columns[j][r] - mean[j]) * (columns[j][r] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        var x = Matrix<double>.Build.Dense(n, p + 1, (i, j) => j == 0 ? 1 : (columns[j - 1][use[i]] - mean[j - 1]) / scale[j - 1]);
        var beta = Vector<double>.Build.Dense(p + 1);
        double totalWeight = use.Sum(r => weight[r]);
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var f = x * beta;
            var h = new double[n];
            var g = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = 1 / (1 + Math.Exp(-f[i])), w = weight[use[i]] / totalWeight;
                g[i] = w * (s - target[use[i]]);
                h[i] = w * Math.Max(s * (1 - s), 1e-10);
            }
            var gradient = x.TransposeThisAndMultiply(Vector<double>.Build.Dense(g));
            var weighted = x.Clone();
            for (int i = 0; i < n; i++) weighted.SetRow(i, x.Row(i) * h[i]);
            var hessian = x.TransposeThisAndMultiply(weighted);
            for (int j = 1; j <= p; j++) { hessian[j, j] += 1e-8; gradient[j] += 1e-8 * beta[j]; }
            var step = hessian.Cholesky().Solve(gradient);
            double largest = step.AbsoluteMaximum();
            if (largest > 5) step *= 5 / largest; // damped: far from the optimum a full Newton step can overshoot
            beta -= step;
            if (step.AbsoluteMaximum() < 1e-10) break;
        }
        var coefficients = new double[p];
        double intercept = beta[0];
        for (int j = 0; j < p; j++)
        {
            coefficients[j] = beta[j + 1] / scale[j];
            intercept -= coefficients[j] * mean[j];
        }
        return (intercept, coefficients);
    }

    /// <summary>b0 + sum_j b_j x_j at one row.</summary>
    public static double Logit(double intercept, double[] coefficients, IReadOnlyList<double[]> columns, int row)
    {
        double f = intercept;
        for (int j = 0; j < coefficients.Length; j++) f += coefficients[j] * columns[j][row];
        return f;
    }

    /// <summary>Binomial cross-entropy (nats) of one configuration's shots at logit f.</summary>
    public static double Loss(double f, double countA, double countB) =>
        countB * Softplus(-f) + countA * Softplus(f);

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
}
