namespace RcML.Analysis;

/// <summary>How one CV enters a <see cref="BasisTerm"/>: as it is, or as the sine or cosine of an angle.</summary>
public enum BasisFactor
{
    /// <summary>The CV's value.</summary>
    Value,
    /// <summary>sin of the angle (in its own unit).</summary>
    Sin,
    /// <summary>cos of the angle.</summary>
    Cos,
}
