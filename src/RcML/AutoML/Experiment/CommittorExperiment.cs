using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Storage;

namespace RcML.AutoML;

/// <summary>
/// A hyperparameter search for committor networks, shaped like ML.NET AutoML's <c>AutoMLExperiment</c>:
/// set a sweepable pipeline, data, tuner and budgets, then <see cref="RunAsync"/>. Every trial is written to the study
/// store as it happens (state, parameters, per-epoch validation curve, value, seed, model), so a study can be resumed,
/// shared by several workers, and analysed later. Loss (validation cross-entropy per shot) is minimized.
/// </summary>
public sealed class CommittorExperiment
{
    private const string InterruptedError = "interrupted";
    private readonly MLContext _ml;
    private SweepablePipeline? _pipeline;
    private IDataView? _train, _validation;
    private int _folds;
    private ITuner? _tuner;
    private Func<SearchSpace, int, ITuner>? _tunerFactory;
    private double? _seconds;
    private int? _maxTrials;
    private IPruner _pruner = new NoPruner();
    private int _parallelism = 1;
    private IStudyStorage? _storage;
    private string _studyName = "default";
    private IReadOnlyDictionary<string, string>? _studyAttributes;
    private IMonitor _monitor = new SilentMonitor();
    private int _seed;
    private IReadOnlyList<string>? _modelInputColumns;
    private int _keepModels = 10;
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(10);
    private TimeSpan _staleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Creates an experiment; see <c>mlContext.ReactionCoordinates().CreateExperiment()</c>.</summary>
    public CommittorExperiment(MLContext ml) => _ml = ml ?? throw new ArgumentNullException(nameof(ml));

    /// <summary>The featurization and the sweepable committor trainer.</summary>
    public CommittorExperiment SetPipeline(SweepablePipeline pipeline) { _pipeline = pipeline; return this; }

    /// <summary>Trains each trial on <paramref name="train"/> and scores it on <paramref name="validation"/>.</summary>
    public CommittorExperiment SetDataset(IDataView train, IDataView validation) { _train = train; _validation = validation; _folds = 0; return this; }

    /// <summary>Scores each trial by k-fold cross-validation on <paramref name="data"/>; the best parameters are refit on all of it.</summary>
    public CommittorExperiment SetDataset(IDataView data, int folds = 5)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "Cross-validation needs at least 2 folds.");
        _train = data; _validation = null; _folds = folds; return this;
    }

    /// <summary>The tuner instance (warm-started from the store's finished trials when the study exists).</summary>
    public CommittorExperiment SetTuner(ITuner tuner) { _tuner = tuner; _tunerFactory = null; return this; }

    /// <summary>A tuner built from the search space and the experiment's seed when the run starts.</summary>
    public CommittorExperiment SetTuner(Func<SearchSpace, int, ITuner> factory) { _tunerFactory = factory; _tuner = null; return this; }

    /// <summary>Stops starting trials after this many seconds and interrupts running ones once any trial has completed.</summary>
    public CommittorExperiment SetTrainingTimeInSeconds(double seconds) { _seconds = seconds; return this; }

    /// <summary>Stops when the study holds this many finished trials (earlier runs' included).</summary>
    public CommittorExperiment SetMaxTrials(int trials) { _maxTrials = trials; return this; }

    /// <summary>Prunes unpromising trials from their per-epoch validation loss.</summary>
    public CommittorExperiment SetPruner(IPruner pruner) { _pruner = pruner; return this; }

    /// <summary>Trials run at once in this process.</summary>
    public CommittorExperiment SetParallelism(int trials) { _parallelism = Math.Max(1, trials); return this; }

    /// <summary>Where trials are written; the default is an in-memory store.</summary>
    public CommittorExperiment SetStorage(IStudyStorage storage, string studyName, IReadOnlyDictionary<string, string>? attributes = null)
    {
        _storage = storage; _studyName = studyName; _studyAttributes = attributes; return this;
    }

    /// <summary>Receives progress.</summary>
    public CommittorExperiment SetMonitor(IMonitor monitor) { _monitor = monitor; return this; }

    /// <summary>Seed of the tuner and of the trials (trial k trains with seed + k).</summary>
    public CommittorExperiment SetSeed(int seed) { _seed = seed; return this; }

    /// <summary>The raw columns a saved model reads (default: the training data's columns).</summary>
    public CommittorExperiment SetModelInputColumns(IReadOnlyList<string> columns) { _modelInputColumns = columns; return this; }

    /// <summary>How many of the best trials keep their model in the store (default 10).</summary>
    public CommittorExperiment SetModelsToKeep(int count) { _keepModels = Math.Max(1, count); return this; }

    /// <summary>How often a running trial's heartbeat is written, and after how long without one a trial counts as crashed.</summary>
    public CommittorExperiment SetHeartbeat(TimeSpan interval, TimeSpan staleAfter) { _heartbeatInterval = interval; _staleAfter = staleAfter; return this; }

    /// <summary>Runs the search; returns the best trial of the study with its model.</summary>
    public Task<ExperimentResult> RunAsync(CancellationToken cancellation = default) =>
        Task.Factory.StartNew(() => new Run(this, cancellation).Execute(), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>One execution of the experiment: its state lives here, not in the builder.</summary>
    private sealed class Run
    {
        private readonly CommittorExperiment _x;
        private readonly CancellationToken _userCancellation;
        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly HashSet<int> _fedToTuner = new();
        private readonly Dictionary<int, List<double>> _ownCurves = new();
        private readonly Dictionary<int, ITransformer> _ownModels = new();
        private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}";
        private IStudyStorage _storage = null!;
        private StudyInfo _study = null!;
        private ITuner _tuner = null!;
        private ITransformer? _featurizer;
        private IDataView _train = null!;
        private IDataView? _validation;
        private IReadOnlyList<(IDataView Train, IDataView Validation)>? _folds;
        private DataViewSchema _inputSchema = null!;
        private IReadOnlyList<StoredTrial> _stored = Array.Empty<StoredTrial>();
        private int _localIds, _finishedThisRun, _consecutiveFailures;
        private bool _anyComplete;
        private Exception? _fatal;

        public Run(CommittorExperiment experiment, CancellationToken cancellation)
        {
            _x = experiment;
            _userCancellation = cancellation;
        }

        public ExperimentResult Execute()
        {
            var pipeline = _x._pipeline ?? throw new InvalidOperationException("Call SetPipeline before RunAsync.");
            var data = _x._train ?? throw new InvalidOperationException("Call SetDataset before RunAsync.");
            if (_x._seconds is null && _x._maxTrials is null)
                throw new InvalidOperationException("Set a budget: SetTrainingTimeInSeconds and/or SetMaxTrials.");

            _storage = _x._storage ?? new InMemoryStudyStorage();
            _study = _storage.GetOrCreateStudy(_x._studyName, pipeline.SearchSpace.ToJson(), _x._studyAttributes);
            _tuner = _x._tuner ?? _x._tunerFactory?.Invoke(pipeline.SearchSpace, _x._seed)
                ?? new GaussianProcessTuner(pipeline.SearchSpace, _x._seed);
            Featurize(pipeline, data);
            if (_x._parallelism > 1) TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / _x._parallelism));

            lock (_gate) Synchronize();
            var workers = Enumerable.Range(0, _x._parallelism)
                .Select(_ => Task.Factory.StartNew(WorkerLoop, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(workers);
            if (_fatal is not null) throw _fatal;

            lock (_gate) Synchronize();
            var best = _stored.Where(t => t.State == TrialState.Complete && t.Value is not null).MinBy(t => t.Value!.Value);
            if (best is null)
            {
                _userCancellation.ThrowIfCancellationRequested();
                throw new InvalidOperationException(
                    $"No trial of study '{_study.Name}' completed. {_stored.Count(t => t.State == TrialState.Failed)} failed; " +
                    $"last error: {_stored.LastOrDefault(t => t.Error is not null)?.Error ?? "none"}.");
            }
            return new ExperimentResult
            {
                BestTrial = new TrialResult
                {
                    TrialSettings = new TrialSettings { TrialId = best.Number, Parameter = best.Parameters, StartedAtUtc = best.StartedUtc },
                    Loss = best.Value!.Value,
                    DurationInMilliseconds = (best.DurationSeconds ?? 0) * 1000,
                    LossCurve = best.Curve,
                    Model = BestModel(pipeline, best),
                },
                BestStoredTrial = best,
                Trials = _stored,
                Study = _study,
                TrialsThisRun = _finishedThisRun,
            };
        }

        private void Featurize(SweepablePipeline pipeline, IDataView data)
        {
            _inputSchema = _x._modelInputColumns is { } names ? CommittorModelFile.InputSchema(names) : data.Schema;
            _featurizer = pipeline.Featurization?.Fit(data);
            _train = _x._ml.Data.Cache(_featurizer?.Transform(data) ?? data);
            if (_x._validation is { } validation)
                _validation = _x._ml.Data.Cache(_featurizer?.Transform(validation) ?? validation);
            if (_x._folds >= 2)
                _folds = _x._ml.Data.CrossValidationSplit(_train, _x._folds, seed: _x._seed)
                    .Select(f => (f.TrainSet, f.TestSet)).ToArray();
        }

        private void WorkerLoop()
        {
            while (true)
            {
                StoredTrial trial;
                TrialSettings settings;
                lock (_gate)
                {
                    if (_fatal is not null || !HasBudget()) return;
                    Synchronize();
                    if (!HasBudget()) return;
                    settings = new TrialSettings { TrialId = -(++_localIds) };
                    settings.Parameter = _tuner.Propose(settings);
                    int number = _stored.Count;
                    trial = _storage.StartTrial(_study.StudyId, settings.Parameter, _x._seed + number, _worker);
                    _stored = [.. _stored, trial];
                    _ownCurves[trial.TrialId] = new List<double>();
                }
                _x._monitor.ReportRunningTrial(AsReported(trial));
                RunTrial(trial, settings);
            }
        }

        private bool HasBudget()
        {
            if (_userCancellation.IsCancellationRequested) return false;
            if (TimeIsUp) return false;
            // Running trials (this worker's and others', as last read from the store) count too, so workers sharing
            // a study do not overshoot its budget.
            if (_x._maxTrials is { } max && _stored.Count(t => Counts(t) || t.State == TrialState.Running) >= max) return false;
            return true;
        }

        private bool TimeIsUp => _x._seconds is { } s && _clock.Elapsed.TotalSeconds >= s;

        /// <summary>Past the time budget, running trials stop, but only once some trial has completed (else nothing would).</summary>
        private void InterruptIfOverTime(CancellationTokenSource interrupt)
        {
            if (TimeIsUp && _anyComplete) interrupt.Cancel();
        }

        /// <summary>A trial as monitors see it: identified by its number in the study.</summary>
        private static TrialSettings AsReported(StoredTrial trial) =>
            new() { TrialId = trial.Number, Parameter = trial.Parameters, StartedAtUtc = trial.StartedUtc };

        /// <summary>Finished trials count toward the trial budget; trials interrupted by a budget or Ctrl+C do not.</summary>
        private static bool Counts(StoredTrial t) => t.State != TrialState.Running && t.Error != InterruptedError;

        /// <summary>Reads the store: marks crashed workers' trials failed, feeds the tuner what it has not seen.</summary>
        private void Synchronize()
        {
            _storage.FailStaleTrials(_study.StudyId, _x._staleAfter);
            _stored = _storage.GetTrials(_study.StudyId);
            foreach (var t in _stored)
            {
                if (_fedToTuner.Contains(t.TrialId) || _ownCurves.ContainsKey(t.TrialId)) continue;
                if (t.State == TrialState.Running)
                {
                    if (_tuner is IPendingAwareTuner aware) aware.MarkPending(t.TrialId, t.Parameters);
                    continue;
                }
                if (t.Error == InterruptedError) { _fedToTuner.Add(t.TrialId); continue; }
                _tuner.Update(ToResult(t, new TrialSettings { TrialId = t.TrialId, Parameter = t.Parameters }));
                _fedToTuner.Add(t.TrialId);
                _anyComplete |= t.State == TrialState.Complete;
            }
        }

        private static TrialResult ToResult(StoredTrial t, TrialSettings settings) => new()
        {
            TrialSettings = settings,
            Loss = t.Value ?? double.NaN,
            IsFailed = t.State == TrialState.Failed,
            IsPruned = t.State == TrialState.Pruned,
            DurationInMilliseconds = (t.DurationSeconds ?? 0) * 1000,
            LossCurve = t.Curve,
        };

        private void RunTrial(StoredTrial trial, TrialSettings settings)
        {
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(_userCancellation);
            using var heartbeat = new Timer(_ => Beat(trial.TrialId, interrupt), null, _x._heartbeatInterval, _x._heartbeatInterval);
            var curve = _ownCurves[trial.TrialId];
            bool pruned = false;
            var options = _x._pipeline!.Committor.ToOptions(settings.Parameter, trial.Seed);
            options.OnEpoch = report =>
            {
                if (double.IsNaN(report.ValidationLoss)) return true;
                List<IReadOnlyList<double>> others;
                lock (_gate)
                {
                    curve.Add(report.ValidationLoss);
                    others = OtherCurves(trial.TrialId);
                }
                _storage.ReportIntermediate(trial.TrialId, report.Epoch, report.ValidationLoss);
                InterruptIfOverTime(interrupt);
                pruned = _x._pruner.ShouldPrune(report.Epoch, curve.ToArray(), others);
                return !pruned;
            };

            var stopwatch = Stopwatch.StartNew();
            TrialState state;
            double? value = null;
            string? error = null;
            ITransformer? model = null;
            try
            {
                (value, model) = Train(options, interrupt.Token);
                state = pruned ? TrialState.Pruned : TrialState.Complete;
                if (pruned) value = curve.Count > 0 ? curve.Min() : value;
            }
            catch (OperationCanceledException) { state = TrialState.Failed; error = InterruptedError; }
            catch (Exception e) when (e is TrainingDivergedException or ArgumentException or InvalidOperationException or ExternalException)
            {
                state = TrialState.Failed;
                error = e.Message;
            }
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);

            var result = new TrialResult
            {
                TrialSettings = settings, Loss = value ?? double.NaN, IsPruned = state == TrialState.Pruned,
                IsFailed = state == TrialState.Failed, DurationInMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
                LossCurve = curve.ToArray(), Model = model,
            };
            Finish(trial, state, value, error, model, result);
        }

        private void Finish(StoredTrial trial, TrialState state, double? value, string? error, ITransformer? model, TrialResult result)
        {
            bool accepted = _storage.FinishTrial(trial.TrialId, state, value, error);
            if (accepted && state == TrialState.Complete && model is not null && IsAmongBest(value!.Value))
                _storage.SaveModel(trial.TrialId, ModelBytes(model));
            var reported = AsReported(trial);
            lock (_gate)
            {
                if (error == InterruptedError) return;
                _finishedThisRun++;
                _tuner.Update(result);
                bool isBest = state == TrialState.Complete && _stored.Where(t => t.State == TrialState.Complete && t.Value is not null)
                    .All(t => t.Value!.Value > value!.Value);
                if (state == TrialState.Complete)
                {
                    _anyComplete = true;
                    if (model is not null) _ownModels[trial.TrialId] = model;
                }
                _stored = _storage.GetTrials(_study.StudyId);
                _consecutiveFailures = state == TrialState.Failed ? _consecutiveFailures + 1 : 0;
                if (_consecutiveFailures >= 10 && !_anyComplete)
                    _fatal = new InvalidOperationException($"The first {_consecutiveFailures} trials failed; last error: {error}");
                var forMonitor = new TrialResult
                {
                    TrialSettings = reported, Loss = result.Loss, IsFailed = result.IsFailed, IsPruned = result.IsPruned,
                    DurationInMilliseconds = result.DurationInMilliseconds, LossCurve = result.LossCurve, Model = model,
                };
                if (state == TrialState.Failed) _x._monitor.ReportFailTrial(reported, error is null ? null : new Exception(error));
                else _x._monitor.ReportCompletedTrial(forMonitor);
                if (isBest) _x._monitor.ReportBestTrial(forMonitor);
            }
        }

        private (double Loss, ITransformer Model) Train(CommittorTrainerOptions options, CancellationToken cancellation)
        {
            var trainer = new CommittorTrainer(_x._ml, options);
            if (_folds is null)
            {
                var predictor = trainer.Fit(_train, _validation, cancellation);
                double loss = double.IsNaN(predictor.Training.ValidationLoss) ? predictor.Training.TrainLoss : predictor.Training.ValidationLoss;
                return (loss, Chain(predictor));
            }
            var losses = new List<double>();
            CommittorPredictionTransformer? first = null;
            foreach (var (train, validation) in _folds)
            {
                var predictor = trainer.Fit(train, validation, cancellation);
                first ??= predictor;
                losses.Add(predictor.Training.ValidationLoss);
                options.OnEpoch = null; // prune and report on the first fold only
                trainer = new CommittorTrainer(_x._ml, options);
            }
            return (losses.Average(), Chain(first!));
        }

        private ITransformer Chain(ITransformer predictor) =>
            _featurizer is null ? predictor : new TransformerChain<ITransformer>(_featurizer, predictor);

        private List<IReadOnlyList<double>> OtherCurves(int trialId)
        {
            var curves = new List<IReadOnlyList<double>>();
            foreach (var (id, c) in _ownCurves) if (id != trialId) curves.Add(c.ToArray());
            foreach (var t in _stored) if (!_ownCurves.ContainsKey(t.TrialId) && t.Curve.Count > 0) curves.Add(t.Curve);
            return curves;
        }

        private bool IsAmongBest(double value) =>
            _stored.Count(t => t.State == TrialState.Complete && t.Value is { } v && v < value) < _x._keepModels;

        private void Beat(int trialId, CancellationTokenSource interrupt)
        {
            try
            {
                _storage.Heartbeat(trialId);
                InterruptIfOverTime(interrupt);
            }
            catch (Exception) { /* a missed heartbeat is retried at the next tick */ }
        }

        private byte[] ModelBytes(ITransformer model)
        {
            using var stream = new MemoryStream();
            _x._ml.Model.Save(model, _inputSchema, stream);
            return stream.ToArray();
        }

        /// <summary>The best trial's model: this run's, the store's, or (cross-validation) refit on all data.</summary>
        private ITransformer? BestModel(SweepablePipeline pipeline, StoredTrial best)
        {
            if (_folds is not null)
            {
                var options = pipeline.Committor.ToOptions(best.Parameters, best.Seed);
                return Chain(new CommittorTrainer(_x._ml, options).Fit(_train, null, _userCancellation));
            }
            if (_ownModels.TryGetValue(best.TrialId, out var own)) return own;
            var bytes = _storage.LoadModel(best.TrialId);
            return bytes is null ? null : CommittorModelFile.Load(_x._ml, bytes, $"the stored model of trial {best.Number}").Model;
        }
    }
}
