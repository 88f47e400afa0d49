namespace RcML.Simulation;

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
        ColumnNames = shotsPerPoint > 0
            ? ["id", "x", "y", .. noiseColumns.Select(c => c.Name), "n_A", "n_B", "ref_committor"]
            : ["id", "x", "y", .. noiseColumns.Select(c => c.Name), "ref_committor"];
        FailedShots = rows.Sum(r => r.FailedShots);
    }

    /// <summary>Name of the model system simulated.</summary>
    public string SystemName { get; }

    /// <summary>Thermal energy of the simulation.</summary>
    public double KT { get; }

    /// <summary>Shots fired from each point; 0 for a candidate pool (<see cref="ShootingSimulator.DrawPool(int, CandidatePool, CancellationToken)"/>).</summary>
    public int ShotsPerPoint { get; }

    /// <summary>How each noise column was made.</summary>
    public IReadOnlyList<NoiseColumn> NoiseColumns { get; }

    /// <summary>id, x, y, noise_1 ... noise_k, n_A, n_B, ref_committor; without n_A, n_B for a pool (no shots).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The shooting points, ordered by id.</summary>
    public IReadOnlyList<ShootingPoint> Rows { get; }

    /// <summary>Total shots, over all points, that hit the step limit before reaching A or B.</summary>
    public int FailedShots { get; }
}
