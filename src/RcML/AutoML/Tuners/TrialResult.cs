namespace RcML.AutoML;

/// <summary>The outcome of a trial.</summary>
public sealed record TrialResult
{
    /// <summary>The trial's settings, including the parameter set it ran with.</summary>
    public required TrialSettings TrialSettings { get; init; }
    /// <summary>Loss to minimize; ignored when <see cref="IsFailed"/> (and treated as failed when not finite).</summary>
    public double Loss { get; init; }
    /// <summary>Wall time of the trial.</summary>
    public double DurationInMilliseconds { get; init; }
    /// <summary>Trainings the duration covers (the folds a trial was scored on); a configuration's cost is the duration per training.</summary>
    public int Trainings { get; init; } = 1;
    /// <summary>Stopped early by a pruner; <see cref="Loss"/> is its last (intermediate) loss.</summary>
    public bool IsPruned { get; init; }
    /// <summary>The trial crashed or diverged; tuners impute a bad loss so they steer away.</summary>
    public bool IsFailed { get; init; }
    /// <summary>Optional per-epoch validation loss.</summary>
    public IReadOnlyList<double>? LossCurve { get; init; }
    /// <summary>The trained model (featurization + committor network), when the experiment kept it.</summary>
    public Microsoft.ML.ITransformer? Model { get; init; }
}
