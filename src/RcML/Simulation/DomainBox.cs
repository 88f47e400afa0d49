namespace RcML.Simulation;

/// <summary>An axis-aligned rectangle: the region the exact committor is solved on.</summary>
/// <param name="XMin">Left edge.</param>
/// <param name="XMax">Right edge.</param>
/// <param name="YMin">Bottom edge.</param>
/// <param name="YMax">Top edge.</param>
public readonly record struct DomainBox(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Width of the box.</summary>
    public double Width => XMax - XMin;

    /// <summary>Height of the box.</summary>
    public double Height => YMax - YMin;

    /// <summary>Whether (x, y) lies inside the box or on its edge.</summary>
    public bool Contains(double x, double y) => x >= XMin && x <= XMax && y >= YMin && y <= YMax;
}
