namespace RcML.Simulation;

/// <summary>
/// The Muller-Brown potential scaled by 0.1, with kT = 1: the A-side barrier is then about 10.6 kT above minimum A,
/// so A and B are clearly metastable, while a shot from the transition region commits in about 2,000 steps of
/// dt = 1e-4 (median; practically all within 30,000).
/// A is a disc around the deep minimum (-0.558, 1.442), B a disc around (0.623, 0.028);
/// the shallow intermediate minimum (-0.050, 0.467) lies on the way, so the committor is not a function of x or y alone.
/// </summary>
public sealed class MullerBrownSystem : IModelSystem
{
    /// <summary>Factor applied to the standard Muller-Brown energies.</summary>
    public const double EnergyScale = 0.1;

    private static readonly double[] Amplitude = [-200 * EnergyScale, -100 * EnergyScale, -170 * EnergyScale, 15 * EnergyScale];
    private static readonly double[] Axx = [-1, -1, -6.5, 0.7];
    private static readonly double[] Axy = [0, 0, 11, 0.6];
    private static readonly double[] Ayy = [-10, -10, -6.5, 0.7];
    private static readonly double[] X0 = [1, 0, -0.5, -1];
    private static readonly double[] Y0 = [0, 0.5, 1.5, 1];

    /// <summary>State A: disc of radius 0.1 around the deepest minimum.</summary>
    public Disc StateA { get; } = new(-0.558, 1.442, 0.1);

    /// <summary>State B: disc of radius 0.1 around the second minimum.</summary>
    public Disc StateB { get; } = new(0.623, 0.028, 0.1);

    /// <inheritdoc />
    public string Name => "muller-brown";

    /// <inheritdoc />
    // Every box edge is at least ~5.8 kT above the higher saddle or lies deep in a basin, so the reflecting walls do not shape q.
    public DomainBox Domain { get; } = new(-1.75, 1.25, -0.5, 2.25);

    /// <inheritdoc />
    public double DefaultKT => 1.0;

    /// <inheritdoc />
    public double Friction => 1.0;

    /// <inheritdoc />
    // Curvatures of the scaled potential reach a few hundred near the minima; dt * curvature stays around 0.02-0.05.
    public double TimeStep => 1e-4;

    /// <inheritdoc />
    public double Energy(double x, double y)
    {
        double v = 0;
        for (int i = 0; i < 4; i++)
        {
            double dx = x - X0[i], dy = y - Y0[i];
            v += Amplitude[i] * Math.Exp(Axx[i] * dx * dx + Axy[i] * dx * dy + Ayy[i] * dy * dy);
        }
        return v;
    }

    /// <inheritdoc />
    public (double Gx, double Gy) Gradient(double x, double y)
    {
        double gx = 0, gy = 0;
        for (int i = 0; i < 4; i++)
        {
            double dx = x - X0[i], dy = y - Y0[i];
            double e = Amplitude[i] * Math.Exp(Axx[i] * dx * dx + Axy[i] * dx * dy + Ayy[i] * dy * dy);
            gx += e * (2 * Axx[i] * dx + Axy[i] * dy);
            gy += e * (Axy[i] * dx + 2 * Ayy[i] * dy);
        }
        return (gx, gy);
    }

    /// <inheritdoc />
    public bool InA(double x, double y) => StateA.Contains(x, y);

    /// <inheritdoc />
    public bool InB(double x, double y) => StateB.Contains(x, y);
}
