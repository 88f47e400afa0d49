using RcML.AutoML;

namespace RcML.Bench;

/// <summary>
/// A tuning task: a search space (mirrored in bench/peers/optuna_server.py) and an objective evaluated in C# for every
/// tuner. The objective also gets the trial's seed (<see cref="SeedOfTrial"/>); only the committor tasks use it, as the
/// initialization seed of the training.
/// </summary>
public sealed record TuningTask(string Name, SearchSpace Space, Func<Parameter, int, double> Objective, double? Optimum)
{
    /// <summary>
    /// The committor tasks: a configuration trained from a given initialization seed, scored on validation and on an
    /// independent test set against the exact committor.
    /// </summary>
    public Func<Parameter, int, Retrained>? Retrain { get; init; }

    /// <summary>The seed the objective gets in trial k (0-based) of the run with tuner seed s; 1 for every trial by default.</summary>
    public Func<int, int, int> SeedOfTrial { get; init; } = (_, _) => 1;

    /// <summary>The objective of trial <paramref name="trial"/> of the run with tuner seed <paramref name="seed"/>.</summary>
    public double Evaluate(Parameter p, int seed, int trial) => Objective(p, SeedOfTrial(seed, trial));

    /// <summary>What the task is, for the report (tasks whose name does not say it all).</summary>
    public string? Description { get; init; }
}
