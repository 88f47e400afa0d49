namespace RcML.Numerics;

/// <summary>Small dense-vector kernels shared by the solvers and tuners.</summary>
internal static class Vectors
{
    /// <summary>
    /// The dot product, summed strictly left to right: seeded tuners and solvers depend on its exact bits
    /// (a vectorized sum would reorder the additions and change seeded results).
    /// </summary>
    public static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (int i = 0; i < u.Length; i++) sum += u[i] * v[i];
        return sum;
    }
}
