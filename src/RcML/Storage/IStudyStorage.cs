using RcML.AutoML;

namespace RcML.Storage;

/// <summary>
/// Where studies and their trials live (as in Optuna's storages). Every call is its own transaction, so a
/// worker killed at any point loses at most its running trial. Implementations: <c>SqliteStudyStorage</c>
/// (default, one file), <c>PostgresStudyStorage</c> (many workers on many machines), <c>InMemoryStudyStorage</c>.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>Creates the study, or returns the existing one of that name (its search space must match).</summary>
    StudyInfo GetOrCreateStudy(string name, string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null);

    /// <summary>The study of that name, or null.</summary>
    StudyInfo? FindStudy(string name);

    /// <summary>All studies.</summary>
    IReadOnlyList<StudyInfo> ListStudies();

    /// <summary>Deletes a study with its trials and models; false when there was none.</summary>
    bool DeleteStudy(string name);

    /// <summary>
    /// Starts a trial in state Running with the next free number of the study (atomically, across workers).
    /// </summary>
    StoredTrial StartTrial(int studyId, Parameter parameters, int seed, string worker);

    /// <summary>
    /// Records the parameters and seed of a running trial started before they were chosen (as Optuna asks for a
    /// trial, then samples it): the tuner proposes knowing the trial's number, and the seed derives from it.
    /// Ignored once the trial is no longer running.
    /// </summary>
    void SetTrialParameters(int trialId, Parameter parameters, int seed);

    /// <summary>Records the intermediate value of a running trial at a step (epoch); also counts as a heartbeat.</summary>
    void ReportIntermediate(int trialId, int step, double value);

    /// <summary>Keeps a running trial alive.</summary>
    void Heartbeat(int trialId);

    /// <summary>Ends a running trial. Ending a trial that is no longer running (e.g. failed by a heartbeat timeout) is refused with false.</summary>
    bool FinishTrial(int trialId, TrialState state, double? value, string? error = null);

    /// <summary>Stores the trained model (an ML.NET model zip) of a finished trial.</summary>
    void SaveModel(int trialId, byte[] modelZip);

    /// <summary>The stored model of a trial, or null.</summary>
    byte[]? LoadModel(int trialId);

    /// <summary>Trials of a study, ordered by number.</summary>
    IReadOnlyList<StoredTrial> GetTrials(int studyId);

    /// <summary>Marks Running trials whose last heartbeat is older than <paramref name="timeout"/> as Failed; returns how many.</summary>
    int FailStaleTrials(int studyId, TimeSpan timeout);
}
