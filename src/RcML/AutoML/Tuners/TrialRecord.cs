namespace RcML.AutoML;

/// <summary>A finished or pending trial as tuners see it.</summary>
/// <param name="TrialId">The trial id.</param>
/// <param name="Parameter">Its parameter set.</param>
/// <param name="Feature">Its unit-hypercube encoding.</param>
/// <param name="Loss">Its loss (NaN when failed or pending).</param>
/// <param name="IsFailed">Failed (or non-finite loss).</param>
/// <param name="IsPruned">Pruned early.</param>
public sealed record TrialRecord(int TrialId, Parameter Parameter, double[] Feature, double Loss, bool IsFailed, bool IsPruned)
{
    /// <summary>Seconds per training of the configuration (0 when unknown).</summary>
    public double Seconds { get; init; }
    /// <summary>Wall seconds of the whole trial, all its trainings (0 when unknown).</summary>
    public double TotalSeconds { get; init; }
}
