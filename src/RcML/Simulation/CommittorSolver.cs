namespace RcML.Simulation;

/// <summary>
/// Solves the backward Kolmogorov equation of overdamped Langevin dynamics,
/// (kT/gamma) Laplacian q - (1/gamma) grad V . grad q = 0, with q = 0 on A, q = 1 on B and zero flux through the box edges.
/// </summary>
/// <remarks>
/// The generator is discretized in flux form on the grid nodes, sum_j w_ij (q_j - q_i) = 0 with
/// w_ij = exp(-(V_j - V_i) / 2kT) / h^2 over the four neighbours (the square-root approximation; second-order consistent,
/// and w_ij >= 0 gives a discrete maximum principle, so 0 &lt;= q &lt;= 1). Multiplying row i by exp(-V_i / kT) makes the
/// system symmetric positive definite; it is solved in row-normalized form by BiCGStab with a modified incomplete Cholesky
/// preconditioner, to a max-norm defect of 1e-11 per node.
/// Missing neighbours outside the box are dropped and edges along the box edge get half weight: the finite-volume form
/// of the zero-flux boundary. Edges into a state end at the state boundary (cut cells). The constant factor kT/gamma
/// does not change q and is left out.
/// </remarks>
public static class CommittorSolver
{
    /// <summary>Grid nodes per axis used when none is given: about 1e-3 accurate on the built-in systems, solved in about a second.</summary>
    public const int DefaultGridPoints = 257;

    // Energies more than this many kT above the grid minimum are flattened, so Boltzmann factors never underflow;
    // such regions carry probability below e^-300 and do not affect q where it matters.
    private const double MaxReducedEnergy = 300.0;

    private const double Tolerance = 1e-11;

    // A node closer to a state boundary than this fraction of h is coupled as if it were this far; keeps the matrix tame.
    private const double MinCutFraction = 0.05;

    /// <summary>Solves on a <see cref="DefaultGridPoints"/> x <see cref="DefaultGridPoints"/> grid at the system's default kT.</summary>
    public static ExactCommittor Solve(IModelSystem system) => Solve(system, DefaultGridPoints, DefaultGridPoints);

    /// <summary>Solves on an nx x ny node grid spanning the system's domain box.</summary>
    /// <param name="system">The model system.</param>
    /// <param name="nx">Grid nodes along x (at least 3).</param>
    /// <param name="ny">Grid nodes along y (at least 3).</param>
    /// <param name="kT">Thermal energy; null means <see cref="IModelSystem.DefaultKT"/>.</param>
    public static ExactCommittor Solve(IModelSystem system, int nx, int ny, double? kT = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentOutOfRangeException.ThrowIfLessThan(nx, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(ny, 3);
        double temperature = kT ?? system.DefaultKT;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature, nameof(kT));

        var box = system.Domain;
        double hx = box.Width / (nx - 1), hy = box.Height / (ny - 1);
        int nodes = nx * ny;
        var energy = new double[nodes];
        var state = new sbyte[nodes]; // -1 in A, +1 in B, 0 free
        var unknown = new int[nodes];
        int freeCount = 0;
        double minEnergy = double.PositiveInfinity;
        for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
        {
            int k = j * nx + i;
            double x = box.XMin + i * hx, y = box.YMin + j * hy;
            energy[k] = system.Energy(x, y);
            minEnergy = Math.Min(minEnergy, energy[k]);
            state[k] = system.InA(x, y) ? (sbyte)-1 : system.InB(x, y) ? (sbyte)1 : (sbyte)0;
            unknown[k] = state[k] == 0 ? freeCount++ : -1;
        }
        if (!state.Contains((sbyte)-1) || !state.Contains((sbyte)1))
            throw new ArgumentException($"The {nx}x{ny} grid puts no node in state A or in state B of '{system.Name}'; refine the grid.");

        double Reduced(double v) => Math.Min((v - minEnergy) / temperature, MaxReducedEnergy);
        for (int k = 0; k < nodes; k++)
            energy[k] = Reduced(energy[k]);

        // Row i of the symmetric system: sum_j c_ij (q_i - q_j) = 0, c_ij = exp(-(E_i + E_j) / 2) / h^2.
        var builder = new SparseMatrixBuilder(freeCount, 5 * freeCount);
        var rhs = new double[freeCount];
        double invHx2 = 1 / (hx * hx), invHy2 = 1 / (hy * hy);
        for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
        {
            int k = j * nx + i, row = unknown[k];
            if (row < 0) continue;
            double x = box.XMin + i * hx, y = box.YMin + j * hy, diagonal = 0;
            void Couple(int neighbour, double dx, double dy, double invH2)
            {
                if (unknown[neighbour] >= 0)
                {
                    double c = Math.Exp(-0.5 * (energy[k] + energy[neighbour])) * invH2;
                    // An edge along the box edge borders only one cell: half the flux face (finite-volume zero-flux wall).
                    if ((dx != 0 && (j == 0 || j == ny - 1)) || (dy != 0 && (i == 0 || i == nx - 1))) c *= 0.5;
                    diagonal += c;
                    builder.Add(unknown[neighbour], -c);
                    return;
                }
                // Edge into a state: put the Dirichlet value where the edge crosses the state boundary rather than at the
                // node (a cut cell), so the staircase of grid nodes does not cost first-order accuracy near A and B.
                bool toB = state[neighbour] > 0;
                double t = BoundaryCrossing(system, toB, x, y, dx, dy);
                double cb = Math.Exp(-0.5 * (energy[k] + Reduced(system.Energy(x + t * dx, y + t * dy))))
                            * invH2 / Math.Max(t, MinCutFraction);
                diagonal += cb;
                if (toB) rhs[row] += cb;
            }
            if (i > 0) Couple(k - 1, -hx, 0, invHx2);
            if (i < nx - 1) Couple(k + 1, hx, 0, invHx2);
            if (j > 0) Couple(k - nx, 0, -hy, invHy2);
            if (j < ny - 1) Couple(k + nx, 0, hy, invHy2);
            builder.Add(row, diagonal);
            builder.EndRow();
        }

        var solution = new double[freeCount];
        int iterations = BiCgStabSolver.Solve(builder.Build(), rhs, solution, Tolerance, maxIterations: 20 * (nx + ny) + 500);

        var values = new double[nodes];
        for (int k = 0; k < nodes; k++)
            // The exact discrete solution obeys the maximum principle; clamping only removes solver round-off.
            values[k] = state[k] != 0 ? (state[k] > 0 ? 1.0 : 0.0) : Math.Clamp(solution[unknown[k]], 0.0, 1.0);
        return new ExactCommittor(system, temperature, nx, ny, values, iterations);
    }

    /// <summary>Fraction t in (0, 1] of the edge (x, y) -> (x + dx, y + dy) at which it enters the state, by bisection.</summary>
    private static double BoundaryCrossing(IModelSystem system, bool toB, double x, double y, double dx, double dy)
    {
        double outside = 0, inside = 1;
        for (int step = 0; step < 30; step++)
        {
            double mid = 0.5 * (outside + inside);
            bool inState = toB ? system.InB(x + mid * dx, y + mid * dy) : system.InA(x + mid * dx, y + mid * dy);
            if (inState) inside = mid; else outside = mid;
        }
        return inside;
    }
}
