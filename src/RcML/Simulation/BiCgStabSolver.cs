using static RcML.Numerics.Vectors;

namespace RcML.Simulation;

/// <summary>
/// Solves a symmetric M-matrix system A x = b in its row-normalized form D^-1 A x = D^-1 b (D = diag A) with
/// right-preconditioned BiCGStab, preconditioned by a modified incomplete Cholesky factor of A.
/// </summary>
/// <remarks>
/// For the committor, row i of D^-1 A x = D^-1 b reads "q_i minus the weighted mean of its neighbours", in committor units
/// whatever the Boltzmann weights. Conjugate gradients on A itself would weigh nodes by exp(-V/kT) and leave high-energy
/// nodes unconverged; in the normalized form every node counts the same and the max-norm stopping test is meaningful.
/// </remarks>
internal static class BiCgStabSolver
{
    public static int Solve(SparseMatrix a, ReadOnlySpan<double> b, Span<double> x, double tolerance, int maxIterations,
        double modification = 0.97)
    {
        int n = a.Size;
        var factor = IncompleteCholesky.Factor(a, modification);
        var diagonal = new double[n];
        for (int i = 0; i < n; i++) diagonal[i] = a.Diagonal(i);

        // Normalized operator N = D^-1 A; preconditioner N ~ D^-1 U^T U, so M^-1 v = (U^T U)^-1 D v.
        void Operator(ReadOnlySpan<double> v, Span<double> result)
        {
            a.Multiply(v, result);
            for (int i = 0; i < n; i++) result[i] /= diagonal[i];
        }
        var scratch = new double[n];
        void Precondition(ReadOnlySpan<double> v, Span<double> result)
        {
            for (int i = 0; i < n; i++) scratch[i] = v[i] * diagonal[i];
            factor.Apply(scratch, result);
        }

        var target = new double[n];
        for (int i = 0; i < n; i++) target[i] = b[i] / diagonal[i];
        var r = new double[n];
        double residual = TrueResidual(x);
        if (residual <= tolerance) return 0;

        var shadow = (double[])r.Clone();
        var p = new double[n];
        var v = new double[n];
        var pHat = new double[n];
        var s = new double[n];
        var sHat = new double[n];
        var t = new double[n];
        double rho = 1, alpha = 1, omega = 1;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            double rhoNext = Dot(shadow, r);
            if (rhoNext == 0) throw new InvalidOperationException("BiCGStab broke down (rho = 0).");
            double beta = rhoNext / rho * (alpha / omega);
            rho = rhoNext;
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
            Precondition(p, pHat);
            Operator(pHat, v);
            alpha = rho / Dot(shadow, v);
            for (int i = 0; i < n; i++) s[i] = r[i] - alpha * v[i];
            if (MaxAbs(s) <= tolerance)
            {
                for (int i = 0; i < n; i++) x[i] += alpha * pHat[i];
                if (TrueResidual(x) <= tolerance * 10) return iteration;
                continue; // the recursive residual drifted: restart the check from the true residual next round
            }
            Precondition(s, sHat);
            Operator(sHat, t);
            omega = Dot(t, s) / Dot(t, t);
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * pHat[i] + omega * sHat[i];
                r[i] = s[i] - omega * t[i];
            }
            residual = MaxAbs(r);
            if (residual <= tolerance && TrueResidual(x) <= tolerance * 10) return iteration;
        }
        throw new InvalidOperationException(
            $"BiCGStab did not converge in {maxIterations} iterations (max residual {residual:G3}, tolerance {tolerance:G3}).");

        double TrueResidual(ReadOnlySpan<double> solution)
        {
            Operator(solution, r);
            for (int i = 0; i < n; i++) r[i] = target[i] - r[i];
            return residual = MaxAbs(r);
        }
    }

    private static double MaxAbs(ReadOnlySpan<double> u)
    {
        double max = 0;
        for (int i = 0; i < u.Length; i++) max = Math.Max(max, Math.Abs(u[i]));
        return max;
    }
}
