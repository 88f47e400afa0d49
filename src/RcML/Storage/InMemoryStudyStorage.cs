using RcML.AutoML;

namespace RcML.Storage;

/// <summary>
/// Studies kept in this process only (<c>memory:</c>): for tests and throw-away searches. Thread-safe: one lock
/// around every call, so trial numbers are dense across threads. Times come from <see cref="TimeProvider"/> (UTC).
/// </summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, StudyInfo> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StoredTrial> _trials = new();
    private readonly Dictionary<int, SortedDictionary<int, double>> _curves = new();
    private readonly Dictionary<int, byte[]> _models = new();
    private int _nextStudyId = 1, _nextTrialId = 1;

    /// <summary>Creates an empty store; <paramref name="clock"/> defaults to the system clock.</summary>
    public InMemoryStudyStorage(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <inheritdoc/>
    public StudyInfo GetOrCreateStudy(string name, string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (_studies.TryGetValue(name, out var existing))
                return SearchSpaceJson.SameSpace(existing.SearchSpaceJson, searchSpaceJson) ? existing : throw SearchSpaceJson.Mismatch(name);
            var study = new StudyInfo(_nextStudyId++, name, searchSpaceJson, Now,
                new Dictionary<string, string>(attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal));
            _studies.Add(name, study);
            return study;
        }
    }

    /// <inheritdoc/>
    public StudyInfo? FindStudy(string name)
    {
        lock (_gate) return _studies.GetValueOrDefault(name);
    }

    /// <inheritdoc/>
    public IReadOnlyList<StudyInfo> ListStudies()
    {
        lock (_gate) return _studies.Values.OrderBy(s => s.StudyId).ToList();
    }

    /// <inheritdoc/>
    public bool DeleteStudy(string name)
    {
        lock (_gate)
        {
            if (!_studies.Remove(name, out var study)) return false;
            foreach (var id in _trials.Values.Where(t => t.StudyId == study.StudyId).Select(t => t.TrialId).ToList())
            {
                _trials.Remove(id);
                _curves.Remove(id);
                _models.Remove(id);
            }
            return true;
        }
    }

    /// <inheritdoc/>
    public StoredTrial StartTrial(int studyId, Parameter parameters, int seed, string worker)
    {
        lock (_gate)
        {
            if (!_studies.Values.Any(s => s.StudyId == studyId)) throw new StudyStorageException($"No study with id {studyId}.");
            var number = _trials.Values.Count(t => t.StudyId == studyId);
            var trial = new StoredTrial
            {
                TrialId = _nextTrialId++, StudyId = studyId, Number = number, State = TrialState.Running,
                Parameters = parameters, Curve = [], Seed = seed, Worker = worker, StartedUtc = Now,
            };
            _trials.Add(trial.TrialId, trial);
            _curves.Add(trial.TrialId, new SortedDictionary<int, double>());
            return trial;
        }
    }

    /// <inheritdoc/>
    public void SetTrialParameters(int trialId, Parameter parameters, int seed)
    {
        lock (_gate)
            if (Running(trialId) is { } t) _trials[trialId] = t with { Parameters = parameters, Seed = seed };
    }

    /// <inheritdoc/>
    /// <remarks>Ignored once the trial is no longer running.</remarks>
    public void ReportIntermediate(int trialId, int step, double value)
    {
        lock (_gate)
        {
            if (Running(trialId) is not { } t) return;
            _curves[trialId][step] = value;
            _trials[trialId] = t with { HeartbeatUtc = Now };
        }
    }

    /// <inheritdoc/>
    public void Heartbeat(int trialId)
    {
        lock (_gate)
            if (Running(trialId) is { } t) _trials[trialId] = t with { HeartbeatUtc = Now };
    }

    /// <inheritdoc/>
    public bool FinishTrial(int trialId, TrialState state, double? value, string? error = null)
    {
        if (state == TrialState.Running) throw new ArgumentException("A trial cannot finish as Running.", nameof(state));
        lock (_gate)
        {
            if (Running(trialId) is not { } t) return false;
            // NaN is no value, as in the SQL stores.
            _trials[trialId] = t with { State = state, Value = value is double.NaN ? null : value, Error = error, FinishedUtc = Now };
            return true;
        }
    }

    /// <inheritdoc/>
    public void SaveModel(int trialId, byte[] modelZip)
    {
        lock (_gate)
        {
            if (!_trials.ContainsKey(trialId)) throw new StudyStorageException($"No trial with id {trialId}.");
            _models[trialId] = modelZip.ToArray();
        }
    }

    /// <inheritdoc/>
    public byte[]? LoadModel(int trialId)
    {
        lock (_gate) return _models.TryGetValue(trialId, out var m) ? m.ToArray() : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredTrial> GetTrials(int studyId)
    {
        lock (_gate)
            return _trials.Values.Where(t => t.StudyId == studyId).OrderBy(t => t.Number)
                .Select(t => t with { Curve = _curves[t.TrialId].Values.ToList() }).ToList();
    }

    /// <inheritdoc/>
    public int FailStaleTrials(int studyId, TimeSpan timeout)
    {
        lock (_gate)
        {
            var now = Now;
            var stale = _trials.Values.Where(t => t.StudyId == studyId && t.State == TrialState.Running
                                                  && (t.HeartbeatUtc ?? t.StartedUtc) < now - timeout).ToList();
            foreach (var t in stale)
                _trials[t.TrialId] = t with { State = TrialState.Failed, Error = StudyStorage.HeartbeatTimeoutError, FinishedUtc = now };
            return stale.Count;
        }
    }

    private StoredTrial? Running(int trialId) =>
        _trials.TryGetValue(trialId, out var t) && t.State == TrialState.Running ? t : null;

    /// <inheritdoc/>
    public void Dispose() { }
}
