using RcML.Data;

namespace RcML.Export;

/// <summary>Settings of <see cref="TorchScriptExporter"/>.</summary>
public sealed record TorchScriptExportOptions
{
    /// <summary>
    /// The unit of periodic inputs: radians by default (PLUMED's TORSION), degrees (Colvars' dihedral), or null for each
    /// input's unit in the training data.
    /// </summary>
    public AngleUnit? Angles { get; init; } = AngleUnit.Radians;

    /// <summary>
    /// Adds p_B = sigmoid(q) as a second output column, and for an ensemble the members' standard deviation of p_B as a
    /// third (default false: the output is q alone, shape [N, 1]).
    /// </summary>
    public bool IncludeCommittor { get; init; }
}
