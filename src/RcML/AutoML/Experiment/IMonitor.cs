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
