namespace RcML.Simulation;

/// <summary>One shooting point: a configuration, its extra CVs, the shot outcomes and the exact committor there.</summary>
/// <param name="Id">Point index, 0-based.</param>
/// <param name="X">Configuration x.</param>
/// <param name="Y">Configuration y.</param>
/// <param name="Noise">Values of the noise columns, in column order.</param>
/// <param name="CountA">Shots that reached A first.</param>
/// <param name="CountB">Shots that reached B first.</param>
/// <param name="FailedShots">Shots that reached neither within the step limit (not counted in CountA or CountB).</param>
/// <param name="ReferenceCommittor">Exact committor at (X, Y).</param>
public sealed record ShootingPoint(
    int Id, double X, double Y, IReadOnlyList<double> Noise, int CountA, int CountB, int FailedShots, double ReferenceCommittor);
