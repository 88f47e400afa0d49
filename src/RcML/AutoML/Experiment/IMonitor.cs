using RcML.Storage;

namespace RcML.AutoML;

/// <summary>Hears what an experiment does, as ML.NET AutoML's IMonitor. Called from worker threads.</summary>
public interface IMonitor
{
    /// <summary>A trial started.</summary>
    void ReportRunningTrial(TrialSettings settings);
    /// <summary>A trial finished (completed or pruned).</summary>
    void ReportCompletedTrial(TrialResult result);
    /// <summary>The study's best trial changed (a trial of this run, of an earlier run or of another worker); also called once at the start when the study has a completed trial. <see cref="TrialResult.Model"/> is null when the store kept no model.</summary>
    void ReportBestTrial(TrialResult result);
    /// <summary>A trial failed (or was interrupted: error "interrupted"); the experiment goes on.</summary>
    void ReportFailTrial(TrialSettings settings, Exception? exception = null);
}

/// <summary>A monitor that ignores everything.</summary>
public sealed class SilentMonitor : IMonitor
{
    /// <inheritdoc/>
    public void ReportRunningTrial(TrialSettings settings) { }
    /// <inheritdoc/>
    public void ReportCompletedTrial(TrialResult result) { }
    /// <inheritdoc/>
    public void ReportBestTrial(TrialResult result) { }
    /// <inheritdoc/>
    public void ReportFailTrial(TrialSettings settings, Exception? exception = null) { }
}

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
