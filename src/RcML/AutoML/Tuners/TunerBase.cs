namespace RcML.AutoML;

/// <summary>
/// Bookkeeping shared by the built-in tuners: the search space, a seeded random source, finished trials,
/// and pending trials (proposed, not yet updated) so that parallel workers can be steered apart.
/// </summary>
public abstract class TunerBase : ITuner, IPendingAwareTuner
{
    private readonly List<TrialRecord> _finished = new();
    private readonly Dictionary<int, TrialRecord> _pending = new();

    /// <summary>Creates a tuner over <paramref name="searchSpace"/>; everything it does is determined by <paramref name="seed"/> and the history.</summary>
    protected TunerBase(SearchSpace searchSpace, int seed)
    {
        SearchSpace = searchSpace ?? throw new ArgumentNullException(nameof(searchSpace));
        Random = new Random(seed);
    }

    /// <summary>The space searched.</summary>
    public SearchSpace SearchSpace { get; }
    /// <summary>The tuner's seeded random source.</summary>
    protected Random Random { get; }
    /// <summary>Finished trials in update order.</summary>
    public IReadOnlyList<TrialRecord> Finished => _finished;
    /// <summary>Trials proposed but not yet updated, in id order.</summary>
    public IReadOnlyList<TrialRecord> Pending => _pending.Values.OrderBy(r => r.TrialId).ToList();

    /// <summary>The best successful trial so far, or null.</summary>
    public TrialRecord? Best => _finished.Where(r => !r.IsFailed).MinBy(r => r.Loss);

    /// <inheritdoc/>
    public Parameter Propose(TrialSettings settings)
    {
        var p = ProposeCore(settings);
        _pending[settings.TrialId] = new TrialRecord(settings.TrialId, p, SearchSpace.MappingToFeatureSpace(p), double.NaN, false, false);
        return p;
    }

    /// <inheritdoc/>
    public void MarkPending(int trialId, Parameter parameter) =>
        _pending[trialId] = new TrialRecord(trialId, parameter, SearchSpace.MappingToFeatureSpace(parameter), double.NaN, false, false);

    /// <inheritdoc/>
    public void Update(TrialResult result)
    {
        var s = result.TrialSettings;
        _pending.Remove(s.TrialId, out var proposed);
        var p = s.Parameter.Count > 0 ? s.Parameter : proposed?.Parameter ?? throw new ArgumentException("The result carries no parameter set.");
        var failed = result.IsFailed || !double.IsFinite(result.Loss);
        _finished.Add(new TrialRecord(s.TrialId, p, SearchSpace.MappingToFeatureSpace(p), failed ? double.NaN : result.Loss, failed, result.IsPruned)
        {
            Seconds = result.DurationInMilliseconds / 1000 / Math.Max(1, result.Trainings),
            TotalSeconds = result.DurationInMilliseconds / 1000,
        });
        OnUpdated(_finished[^1]);
    }

    /// <summary>Proposes the next parameter set; <see cref="Finished"/> and <see cref="Pending"/> describe the history.</summary>
    protected abstract Parameter ProposeCore(TrialSettings settings);

    /// <summary>Called after a result has been recorded.</summary>
    protected virtual void OnUpdated(TrialRecord record) { }

    /// <summary>Losses of the finished trials with failures imputed as the worst successful loss (0 when none succeeded).</summary>
    protected double[] ImputedLosses()
    {
        var ok = _finished.Where(r => !r.IsFailed).Select(r => r.Loss).ToList();
        var worst = ok.Count > 0 ? ok.Max() : 0.0;
        return _finished.Select(r => r.IsFailed ? worst : r.Loss).ToArray();
    }

    /// <summary>Whether a parameter set was already tried or is pending.</summary>
    protected bool IsKnown(Parameter p) => _finished.Any(r => r.Parameter.Equals(p)) || _pending.Values.Any(r => r.Parameter.Equals(p));

    /// <summary>A uniform random point of the unit hypercube.</summary>
    protected double[] RandomFeature()
    {
        var u = new double[SearchSpace.FeatureSpaceDim];
        for (var i = 0; i < u.Length; i++) u[i] = Random.NextDouble();
        return u;
    }
}
