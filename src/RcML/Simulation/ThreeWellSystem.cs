namespace RcML.Simulation;

/// <summary>
/// The three-hole potential of Metzner, Schuette and Vanden-Eijnden (2006):
/// V = 3 exp(-x^2 - (y - 1/3)^2) - 3 exp(-x^2 - (y - 5/3)^2) - 5 exp(-(x - 1)^2 - y^2) - 5 exp(-(x + 1)^2 - y^2)
///   + 0.2 x^4 + 0.2 (y - 1/3)^4.
/// A and B are the deep wells near (-1, 0) and (1, 0); they are joined by a direct lower channel and an upper channel
/// through the shallow well near (0, 1.5). At kT = 0.4 both channels carry flux, so the committor has two transition regions.
/// </summary>
public sealed class ThreeWellSystem : IModelSystem
{
    private const double Third = 1.0 / 3.0;
    private const double FiveThirds = 5.0 / 3.0;

    /// <summary>State A: disc of radius 0.2 around the left deep minimum.</summary>
    public Disc StateA { get; } = new(-1.048, -0.042, 0.2);

    /// <summary>State B: disc of radius 0.2 around the right deep minimum.</summary>
    public Disc StateB { get; } = new(1.048, -0.042, 0.2);

    /// <inheritdoc />
    public string Name => "three-well";

    /// <inheritdoc />
    // The lowest point of the box edge is ~7.6 energy units (19 kT) above the deep minima.
    public DomainBox Domain { get; } = new(-2.5, 2.5, -1.75, 2.75);

    /// <inheritdoc />
    public double DefaultKT => 0.4;

    /// <inheritdoc />
    public double Friction => 1.0;

    /// <inheritdoc />
    public double TimeStep => 1e-3;

    /// <inheritdoc />
    public double Energy(double x, double y)
    {
        double x2 = x * x, ym = y - Third, yu = y - FiveThirds, y2 = y * y;
        return 3 * Math.Exp(-x2 - ym * ym) - 3 * Math.Exp(-x2 - yu * yu)
             - 5 * Math.Exp(-(x - 1) * (x - 1) - y2) - 5 * Math.Exp(-(x + 1) * (x + 1) - y2)
             + 0.2 * x2 * x2 + 0.2 * ym * ym * ym * ym;
    }

    /// <inheritdoc />
    public (double Gx, double Gy) Gradient(double x, double y)
    {
        double x2 = x * x, ym = y - Third, yu = y - FiveThirds, y2 = y * y;
        double e1 = 3 * Math.Exp(-x2 - ym * ym);
        double e2 = -3 * Math.Exp(-x2 - yu * yu);
        double e3 = -5 * Math.Exp(-(x - 1) * (x - 1) - y2);
        double e4 = -5 * Math.Exp(-(x + 1) * (x + 1) - y2);
        double gx = -2 * (x * (e1 + e2) + (x - 1) * e3 + (x + 1) * e4) + 0.8 * x2 * x;
        double gy = -2 * (ym * e1 + yu * e2 + y * (e3 + e4)) + 0.8 * ym * ym * ym;
        return (gx, gy);
    }

    /// <inheritdoc />
    public bool InA(double x, double y) => StateA.Contains(x, y);

    /// <inheritdoc />
    public bool InB(double x, double y) => StateB.Contains(x, y);
}
