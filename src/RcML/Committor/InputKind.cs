namespace RcML.Committor;

/// <summary>How a raw input CV enters the network.</summary>
public enum InputKind
{
    /// <summary>Used as it is.</summary>
    Linear,
    /// <summary>A periodic angle in degrees: becomes the pair sin(x), cos(x).</summary>
    PeriodicDegrees,
    /// <summary>A periodic angle in radians: becomes the pair sin(x), cos(x).</summary>
    PeriodicRadians,
}
