namespace RcML.Simulation;

/// <summary>
/// A double well in rotated, bent coordinates: with s, t the coordinates rotated by 30 degrees and u = s - Curvature * t^2,
/// V = BarrierHeight (u^2 - 1)^2 + Stiffness t^2 / 2. Minima sit at u = +-1, t = 0; the dividing surface u = 0 is a
/// tilted parabola, so neither x nor y alone (nor any linear combination) is the reaction coordinate.
/// </summary>
public sealed class TiltedDoubleWellSystem : IModelSystem
{
    /// <summary>Barrier height at the saddle, in energy units (5 kT at the default kT = 1).</summary>
    public const double BarrierHeight = 5.0;

    /// <summary>Spring constant across the channel.</summary>
    public const double Stiffness = 4.0;

    /// <summary>Bend of the dividing surface: u = s - Curvature * t^2.</summary>
    public const double Curvature = 0.4;

    /// <summary>Tilt of the well axis against the x axis, in radians (30 degrees).</summary>
    public const double TiltAngle = Math.PI / 6;

    private static readonly double Cos = Math.Cos(TiltAngle);
    private static readonly double Sin = Math.Sin(TiltAngle);

    /// <summary>State A: disc of radius 0.25 around the minimum at s = -1, t = 0.</summary>
    public Disc StateA { get; } = new(-Cos, -Sin, 0.25);

    /// <summary>State B: disc of radius 0.25 around the minimum at s = +1, t = 0.</summary>
    public Disc StateB { get; } = new(Cos, Sin, 0.25);

    /// <inheritdoc />
    public string Name => "double-well";

    /// <inheritdoc />
    public DomainBox Domain { get; } = new(-2.5, 2.5, -2.5, 2.5);

    /// <inheritdoc />
    public double DefaultKT => 1.0;

    /// <inheritdoc />
    public double Friction => 1.0;

    /// <inheritdoc />
    // Curvature along u is 8 * BarrierHeight = 40 at the minima.
    public double TimeStep => 5e-4;

    /// <inheritdoc />
    public double Energy(double x, double y)
    {
        double s = Cos * x + Sin * y, t = -Sin * x + Cos * y;
        double u = s - Curvature * t * t;
        double w = u * u - 1;
        return BarrierHeight * w * w + 0.5 * Stiffness * t * t;
    }

    /// <inheritdoc />
    public (double Gx, double Gy) Gradient(double x, double y)
    {
        double s = Cos * x + Sin * y, t = -Sin * x + Cos * y;
        double u = s - Curvature * t * t;
        double dVdu = 4 * BarrierHeight * u * (u * u - 1);
        double dVds = dVdu;
        double dVdt = -2 * Curvature * t * dVdu + Stiffness * t;
        return (Cos * dVds - Sin * dVdt, Sin * dVds + Cos * dVdt);
    }

    /// <inheritdoc />
    public bool InA(double x, double y) => StateA.Contains(x, y);

    /// <inheritdoc />
    public bool InB(double x, double y) => StateB.Contains(x, y);
}
