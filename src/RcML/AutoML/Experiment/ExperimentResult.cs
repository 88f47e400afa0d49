using RcML.Storage;

namespace RcML.AutoML;

/// <summary>The outcome of <see cref="CommittorExperiment.RunAsync"/>.</summary>
public sealed class ExperimentResult
{
    /// <summary>The best trial: its settings, loss and (when trained or refit here) model.</summary>
    public required TrialResult BestTrial { get; init; }
    /// <summary>The best trial as stored.</summary>
    public required StoredTrial BestStoredTrial { get; init; }
    /// <summary>Every trial of the study, this run's and earlier ones'.</summary>
    public required IReadOnlyList<StoredTrial> Trials { get; init; }
    /// <summary>The study.</summary>
    public required StudyInfo Study { get; init; }
    /// <summary>Trials this run finished (complete, pruned or failed).</summary>
    public required int TrialsThisRun { get; init; }
    /// <summary>The run stopped because its cancellation token fired; the result is the study's best so far.</summary>
    public bool Interrupted { get; init; }
}
