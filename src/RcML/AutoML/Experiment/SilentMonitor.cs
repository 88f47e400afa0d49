namespace RcML.AutoML;

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
