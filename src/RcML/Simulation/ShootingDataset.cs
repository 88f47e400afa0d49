namespace RcML.Simulation;

/// <summary>
/// An extra CV column: XWeight * x + YWeight * y + NoiseScale * N(0, 1).
/// Both weights are zero for a pure-noise column, so attribution should find it irrelevant.
/// </summary>
/// <param name="Name">Column name, noise_1 ... noise_k.</param>
/// <param name="XWeight">Weight of x.</param>
/// <param name="YWeight">Weight of y.</param>
/// <param name="NoiseScale">Standard deviation of the added Gaussian noise.</param>
public sealed record NoiseColumn(string Name, double XWeight, double YWeight, double NoiseScale)
{
    /// <summary>Whether the column carries information about the configuration.</summary>
    public bool IsRelevant => XWeight != 0 || YWeight != 0;
}

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

/// <summary>The result of a <see cref="ShootingSimulator"/> run.</summary>
public sealed class ShootingDataset
{
    internal ShootingDataset(string systemName, double kT, int shotsPerPoint, IReadOnlyList<NoiseColumn> noiseColumns,
        IReadOnlyList<ShootingPoint> rows)
    {
        SystemName = systemName;
        KT = kT;
        ShotsPerPoint = shotsPerPoint;
        NoiseColumns = noiseColumns;
        Rows = rows;
        ColumnNames = ["id", "x", "y", .. noiseColumns.Select(c => c.Name), "n_A", "n_B", "ref_committor"];
        FailedShots = rows.Sum(r => r.FailedShots);
    }

    /// <summary>Name of the model system simulated.</summary>
    public string SystemName { get; }

    /// <summary>Thermal energy of the simulation.</summary>
    public double KT { get; }

    /// <summary>Shots fired from each point.</summary>
    public int ShotsPerPoint { get; }

    /// <summary>How each noise column was made.</summary>
    public IReadOnlyList<NoiseColumn> NoiseColumns { get; }

    /// <summary>id, x, y, noise_1 ... noise_k, n_A, n_B, ref_committor.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The shooting points, ordered by id.</summary>
    public IReadOnlyList<ShootingPoint> Rows { get; }

    /// <summary>Total shots, over all points, that hit the step limit before reaching A or B.</summary>
    public int FailedShots { get; }
}
