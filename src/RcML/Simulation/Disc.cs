namespace RcML.Simulation;

/// <summary>A disc in the plane, used as a metastable state around a minimum.</summary>
/// <param name="CenterX">Center x.</param>
/// <param name="CenterY">Center y.</param>
/// <param name="Radius">Radius.</param>
public readonly record struct Disc(double CenterX, double CenterY, double Radius)
{
    /// <summary>Whether (x, y) lies in the closed disc.</summary>
    public bool Contains(double x, double y)
    {
        double dx = x - CenterX, dy = y - CenterY;
        return dx * dx + dy * dy <= Radius * Radius;
    }
}
