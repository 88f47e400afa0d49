namespace RcML.Simulation;

/// <summary>
/// The committor of a model system (probability to reach B before A) on a regular grid over the system's domain,
/// as computed by <see cref="CommittorSolver"/>. Evaluates by bilinear interpolation; exactly 0 in A and 1 in B.
/// </summary>
public sealed class ExactCommittor
{
    private readonly double[] _values; // row-major, index j * Nx + i
    private readonly double _hx, _hy;

    internal ExactCommittor(IModelSystem system, double kT, int nx, int ny, double[] values, int solverIterations)
    {
        System = system;
        KT = kT;
        Nx = nx;
        Ny = ny;
        _values = values;
        _hx = system.Domain.Width / (nx - 1);
        _hy = system.Domain.Height / (ny - 1);
        SolverIterations = solverIterations;
    }

    /// <summary>The system this committor belongs to.</summary>
    public IModelSystem System { get; }

    /// <summary>Thermal energy the committor was solved at.</summary>
    public double KT { get; }

    /// <summary>Grid nodes along x.</summary>
    public int Nx { get; }

    /// <summary>Grid nodes along y.</summary>
    public int Ny { get; }

    /// <summary>Conjugate-gradient iterations the solve took.</summary>
    public int SolverIterations { get; }

    /// <summary>The committor at grid node (i, j), at x = XMin + i hx, y = YMin + j hy.</summary>
    public double NodeValue(int i, int j) => _values[j * Nx + i];

    /// <summary>
    /// The committor at (x, y): 0 in A, 1 in B, otherwise bilinear interpolation of the grid values.
    /// Points outside the domain are clamped onto its edge (the edge is reflecting, so q is flat across it).
    /// </summary>
    public double Evaluate(double x, double y)
    {
        if (System.InA(x, y)) return 0.0;
        if (System.InB(x, y)) return 1.0;
        var box = System.Domain;
        double fx = (Math.Clamp(x, box.XMin, box.XMax) - box.XMin) / _hx;
        double fy = (Math.Clamp(y, box.YMin, box.YMax) - box.YMin) / _hy;
        int i = Math.Min((int)fx, Nx - 2), j = Math.Min((int)fy, Ny - 2);
        double tx = fx - i, ty = fy - j;
        int k = j * Nx + i;
        double bottom = _values[k] + tx * (_values[k + 1] - _values[k]);
        double top = _values[k + Nx] + tx * (_values[k + Nx + 1] - _values[k + Nx]);
        return bottom + ty * (top - bottom);
    }
}
