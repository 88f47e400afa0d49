namespace RcML.AutoML;

/// <summary>
/// Proposes hyperparameters and learns from results, shaped like ML.NET AutoML's ITuner.
/// Loss is always minimized. Implement it to plug in a custom tuner.
/// </summary>
public interface ITuner
{
    /// <summary>Proposes the parameter set for a new trial (the caller stores it in <paramref name="settings"/>.Parameter).</summary>
    Parameter Propose(TrialSettings settings);
    /// <summary>Reports a finished (or failed, or pruned) trial.</summary>
    void Update(TrialResult result);
}

/// <summary>
/// A tuner that can be told about trials other workers are running, so its proposals steer away from them
/// (constant liar) before their results arrive through <see cref="ITuner.Update"/>.
/// </summary>
public interface IPendingAwareTuner
{
    /// <summary>Records a running trial of another worker; a later Update with the same id resolves it.</summary>
    void MarkPending(int trialId, Parameter parameter);
}

/// <summary>What identifies a trial and what it runs with.</summary>
public sealed class TrialSettings
{
    /// <summary>The trial's number in its study (0-based, dense across workers): the same in the store, the tuner, monitors and reports.</summary>
    public int TrialId { get; init; }
    /// <summary>The proposed parameter set.</summary>
    public Parameter Parameter { get; set; } = Parameter.Empty;
    /// <summary>When the trial started (UTC); informational, tuners never read the clock.</summary>
    public DateTime StartedAtUtc { get; init; } = DateTime.UtcNow;
}

/// <summary>The outcome of a trial.</summary>
public sealed class TrialResult
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
