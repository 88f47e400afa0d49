namespace RcML.Data;

/// <summary>Conversions of <see cref="AngleUnit"/>.</summary>
public static class AngleUnitExtensions
{
    /// <summary>The network input kind of a periodic CV in this unit.</summary>
    public static RcML.Committor.InputKind ToPeriodicKind(this AngleUnit unit) =>
        unit == AngleUnit.Degrees ? RcML.Committor.InputKind.PeriodicDegrees : RcML.Committor.InputKind.PeriodicRadians;
}
