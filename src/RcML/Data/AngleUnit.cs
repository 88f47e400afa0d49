namespace RcML.Data;

/// <summary>Unit of periodic CVs.</summary>
public enum AngleUnit
{
    /// <summary>Angles in degrees (PLUMED prints radians; most tables of dihedrals use degrees).</summary>
    Degrees,
    /// <summary>Angles in radians.</summary>
    Radians,
}
