namespace RcML.Data;

/// <summary>How to read shooting data: which columns are outcomes, features, periodic CVs.</summary>
public sealed class ShootingDataOptions
{
    /// <summary>Column with the number of shots that reached state A.</summary>
    public string CountAColumn { get; set; } = "n_A";

    /// <summary>Column with the number of shots that reached state B.</summary>
    public string CountBColumn { get; set; } = "n_B";

    /// <summary>
    /// Instead of counts: a column of committor estimates p_B in [0, 1] (e.g. "p_B"), weighted by
    /// <see cref="WeightColumn"/>. Null (the default) reads counts.
    /// </summary>
    public string? ProbabilityColumn { get; set; }

    /// <summary>With <see cref="ProbabilityColumn"/>: the number of shots behind each estimate; null weighs each row 1.</summary>
    public string? WeightColumn { get; set; }

    /// <summary>
    /// Feature columns (names or glob patterns such as "dih_*"). Null takes every numeric column except the
    /// labels, <see cref="IdColumn"/> and columns starting with <see cref="ReferencePrefix"/>.
    /// </summary>
    public IList<string>? Features { get; set; }

    /// <summary>Glob patterns of periodic CVs (angles), expanded to sin/cos pairs inside the model.</summary>
    public IList<string> Periodic { get; set; } = new List<string>();

    /// <summary>Unit of the periodic CVs.</summary>
    public AngleUnit PeriodicUnit { get; set; } = AngleUnit.Degrees;

    /// <summary>Identifier column, never a feature.</summary>
    public string IdColumn { get; set; } = "id";

    /// <summary>Prefix of reference columns (e.g. ref_committor), kept for evaluation and never features.</summary>
    public string ReferencePrefix { get; set; } = "ref_";

    /// <summary>For a COLVAR file joined with an outcome table: the column both share (PLUMED's "time" by default).</summary>
    public string JoinColumn { get; set; } = "time";
}
