using System.Diagnostics;
using System.Globalization;

namespace RcML.Storage;

/// <summary>
/// Running trials whose worker is gone: a worker on this machine whose process has exited is detected at once
/// (worker ids are <c>machine:pid</c>, see <see cref="ThisProcess"/>); a worker elsewhere once its heartbeat is
/// older than the timeout. Every command that opens a study fails them first, so a killed run never leaves trials
/// that look alive.
/// </summary>
public static class AbandonedTrials
{
    /// <summary>The error text of a trial whose worker process on this machine has exited.</summary>
    public const string WorkerExitedError = "worker exited";

    /// <summary>How long a running trial may go without a heartbeat before it counts as crashed (2 minutes).</summary>
    public static TimeSpan DefaultHeartbeatTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>This process's worker id: <c>machine:pid</c>.</summary>
    public static string ThisProcess { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Marks Failed the study's running trials whose worker process on this machine has exited
    /// (<see cref="WorkerExitedError"/>) or whose heartbeat is older than <paramref name="heartbeatTimeout"/>
    /// (<see cref="StudyStorage.HeartbeatTimeoutError"/>); returns how many.
    /// </summary>
    public static int FailAbandonedTrials(this IStudyStorage storage, int studyId, TimeSpan? heartbeatTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.FailStaleTrials(studyId, heartbeatTimeout ?? DefaultHeartbeatTimeout)
               + storage.FailExitedWorkers(storage.GetTrials(studyId));
    }

    /// <summary>Marks Failed those of <paramref name="trials"/> still running whose worker process on this machine has exited; returns how many.</summary>
    public static int FailExitedWorkers(this IStudyStorage storage, IEnumerable<StoredTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return trials.Count(t => t.State == TrialState.Running && HasExited(t)
                                 && storage.FinishTrial(t.TrialId, TrialState.Failed, null, WorkerExitedError));
    }

    /// <summary>
    /// Whether the trial's worker ran on this machine and its process is gone. A process with the same id that started
    /// well after the trial is another process (ids are reused); the minute's margin covers clock differences.
    /// </summary>
    private static bool HasExited(StoredTrial trial)
    {
        int colon = trial.Worker.LastIndexOf(':');
        if (colon <= 0 || !string.Equals(trial.Worker[..colon], Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return false;
        if (!int.TryParse(trial.Worker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.StartTime.ToUniversalTime() > trial.StartedUtc + TimeSpan.FromMinutes(1);
        }
        catch (ArgumentException) { return true; } // no such process
        catch (InvalidOperationException) { return true; } // exited while looking
    }
}
