using MathNet.Numerics.Statistics;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Storage;

namespace RcML.AutoML;

public sealed partial class CommittorExperiment
{
    /// <summary>The error of trials stopped by a time budget or cancellation; they do not count toward the trial budget.</summary>
    public const string InterruptedError = "interrupted";

    /// <summary>
    /// One execution of the experiment: its state lives here, not in the builder. A trial is known by its number in the
    /// study everywhere (tuner, monitor, results); the store's row id is used only to address the store.
    /// </summary>
    private sealed class Run
    {
        private enum Budget { Start, Wait, Done }

        /// <summary>How many typical trainings (see <see cref="TrainingCap"/>) one training may last before the cap ends it.</summary>
        private const double TypicalTrainingsPerCap = 5;

        private readonly CommittorExperiment _x;
        private readonly CancellationToken _userCancellation;
        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly HashSet<int> _fedToTuner = new();
        private readonly Dictionary<int, List<double>> _ownCurves = new();
        private readonly Dictionary<int, ITransformer> _ownModels = new();
        private IStudyStorage _storage = null!;
        private StudyInfo _study = null!;
        private ITuner _tuner = null!;
        private ITransformer? _featurizer;
        private IDataView _train = null!;
        private IDataView? _validation;
        private IReadOnlyList<(IDataView Train, IDataView Validation)>? _folds;
        private DataViewSchema _inputSchema = null!;
        private IReadOnlyList<StoredTrial> _stored = Array.Empty<StoredTrial>();
        private int _finishedThisRun, _consecutiveFailures;
        private int? _reportedBest;
        private bool _anyComplete;
        private Exception? _fatal;
        private readonly List<double> _completedTrainingSeconds = new();
        private double? _defaultTrainingSeconds;
        private double _typicalTrainingSeconds = double.NaN;
        // The fold networks of this run's best trials by value, best first: the first is normally the incumbent, scored on
        // every fold (or a trial cut short by the time budget when nothing else completed), the others were scored on every
        // fold. The final model is made from the first, or from the first SetFinalModel's trials as one ensemble.
        private readonly List<(int Number, double Value, IReadOnlyList<CommittorPredictionTransformer> Folds)> _topFolds = new();

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

            lock (_gate)
            {
                Synchronize();
                ReportStudyBest();
            }
            var workers = Enumerable.Range(0, _x._parallelism)
                .Select(_ => Task.Factory.StartNew(WorkerLoop, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(workers);
            if (_fatal is not null) throw _fatal;

            lock (_gate) Synchronize();
            var best = StudyBest();
            if (best is null)
            {
                _userCancellation.ThrowIfCancellationRequested();
                throw new InvalidOperationException(
                    $"No trial of study '{_study.Name}' completed. {_stored.Count(t => t.State == TrialState.Failed)} failed; " +
                    $"last error: {_stored.LastOrDefault(t => t.Error is not null)?.Error ?? "none"}.");
            }
            return new ExperimentResult
            {
                BestTrial = AsResult(best, BestModel(pipeline, best)),
                BestStoredTrial = best,
                Trials = _stored,
                Study = _study,
                TrialsThisRun = _finishedThisRun,
                Interrupted = _userCancellation.IsCancellationRequested,
            };
        }

        private void Featurize(SweepablePipeline pipeline, IDataView data)
        {
            _inputSchema = _x._modelInputColumns is { } names ? CommittorModelFile.InputSchema(names) : data.Schema;
            _featurizer = pipeline.Featurization?.Fit(data);
            _train = _x._ml.Data.Cache(_featurizer?.Transform(data) ?? data);
            if (_x._validation is { } validation)
                _validation = _x._ml.Data.Cache(_featurizer?.Transform(validation) ?? validation);
            if (_x._selection is { } selection)
                _folds = _x._ml.Data.CrossValidationSplit(_train, selection.Folds, seed: _x._seed)
                    .Select(f => (f.TrainSet, f.TestSet)).ToArray();
        }

        private void WorkerLoop()
        {
            try
            {
                while (NextTrial() is { } trial)
                {
                    _x._monitor.ReportRunningTrial(AsSettings(trial));
                    RunTrial(trial);
                }
            }
            catch (Exception e)
            {
                lock (_gate) _fatal ??= e;
            }
        }

        /// <summary>Starts the next trial when the budget allows, waiting while other workers run its last trials; null when done.</summary>
        private StoredTrial? NextTrial()
        {
            while (true)
            {
                lock (_gate)
                {
                    Synchronize();
                    switch (CheckBudget())
                    {
                        case Budget.Done: return null;
                        case Budget.Start: return StartTrial();
                    }
                }
                _userCancellation.WaitHandle.WaitOne(TimeSpan.FromTicks(Math.Min(_x._heartbeatInterval.Ticks, TimeSpan.TicksPerSecond)));
            }
        }

        /// <summary>
        /// Finished trials (complete, pruned, failed) count toward the trial budget; running ones are the budget's rest
        /// being spent. While another worker runs it, wait: its trial may still fail as abandoned and need replacing.
        /// </summary>
        private Budget CheckBudget()
        {
            if (_fatal is not null || _userCancellation.IsCancellationRequested || TimeIsUp) return Budget.Done;
            if (_x._maxTrials is not { } max) return Budget.Start;
            int finished = _stored.Count(Counts);
            int running = _stored.Count(t => t.State == TrialState.Running);
            if (finished + running < max) return Budget.Start;
            bool othersRunning = _stored.Any(t => t.State == TrialState.Running && !_ownCurves.ContainsKey(t.Number));
            return finished < max && othersRunning ? Budget.Wait : Budget.Done;
        }

        /// <summary>
        /// Takes the study's next number, then asks the tuner (which knows the trial by that number) and derives the seed
        /// from it, so trial k has the same seed whichever worker runs it.
        /// </summary>
        private StoredTrial StartTrial()
        {
            var trial = _storage.StartTrial(_study.StudyId, Parameter.Empty, seed: 0, AbandonedTrials.ThisProcess);
            _ownCurves[trial.Number] = new List<double>();
            Parameter parameters;
            try
            {
                parameters = _tuner.Propose(new TrialSettings { TrialId = trial.Number, StartedAtUtc = trial.StartedUtc });
            }
            catch (Exception e)
            {
                _storage.FinishTrial(trial.TrialId, TrialState.Failed, null, $"the tuner failed: {e.Message}");
                throw;
            }
            int seed = TrialSeed(_x._seed, trial.Number);
            _storage.SetTrialParameters(trial.TrialId, parameters, seed);
            trial = trial with { Parameters = parameters, Seed = seed };
            _stored = [.. _stored, trial];
            return trial;
        }

        private bool TimeIsUp => _x._seconds is { } s && _clock.Elapsed.TotalSeconds >= s - FinalModelSeconds();

        /// <summary>
        /// The expected time of the final model's trainings on all the data (a refit, or an ensemble's refits), as long as
        /// the best trial's folds took; the study stops starting trials that much before the budget.
        /// </summary>
        private double FinalModelSeconds()
        {
            int refits = _x._finalModel switch { FinalModel.Refit => 1, FinalModel.Ensemble => _x._finalRefits, _ => 0 };
            if (_folds is null || refits == 0) return 0;
            lock (_gate) return _topFolds.Count > 0 ? FinalModels.RefitSeconds(_topFolds[0].Folds, _folds.Count, refits) : 0;
        }

        /// <summary>A training past <see cref="TrainingCap"/> ends with its best weights.</summary>
        private bool OverTrainingTime(EpochReport report) => TrainingCap() is { } cap && report.Elapsed.TotalSeconds >= cap;

        /// <summary>
        /// <see cref="SetMaxTrainingTimeInSeconds"/> when set; else, with a time budget, a tenth of it, and once the typical
        /// training is timed, at most <see cref="TypicalTrainingsPerCap"/> typical trainings (never below a hundredth of the
        /// budget). Typical is the default configuration's training, the one trial every seed runs, so the cap does not
        /// depend on the seed (the median training of complete trials when this run has not trained the default). The
        /// initial design is random: without the relative cap a seed that draws a few slow configurations (deep, wide,
        /// small batches) spends half a short budget on them and runs a fifth of the trials another seed runs; cut at a few
        /// typical trainings, they still report how good they got in that time.
        /// </summary>
        private double? TrainingCap()
        {
            if (_x._trainingSeconds is { } set) return set;
            if (_x._seconds is not { } budget) return null;
            double typical = Volatile.Read(ref _typicalTrainingSeconds);
            return double.IsNaN(typical) ? budget / 10 : Math.Min(budget / 10, Math.Max(budget / 100, TypicalTrainingsPerCap * typical));
        }

        /// <summary>Records the trainings of a complete trial (pruned ones are cut short and would understate the cost).</summary>
        private void RecordTrainingSeconds(IReadOnlyList<double> seconds, bool isDefault)
        {
            lock (_gate)
            {
                if (isDefault) _defaultTrainingSeconds = seconds.Median();
                _completedTrainingSeconds.AddRange(seconds);
                double typical = _defaultTrainingSeconds ?? (_completedTrainingSeconds.Count >= 3 ? _completedTrainingSeconds.Median() : double.NaN);
                Volatile.Write(ref _typicalTrainingSeconds, typical);
            }
        }

        /// <summary>Past the time budget with no trial complete, the running trials end early (best weights so far) instead of running on.</summary>
        private bool OutOfTimeWithNothingComplete => TimeIsUp && !_anyComplete;

        /// <summary>
        /// The time budget's say after an epoch of any training: past the budget the trial is interrupted (once some trial
        /// completed); past the training cap, or the budget with nothing complete, the training ends with its best weights.
        /// </summary>
        private bool MayTrainOn(EpochReport report, CancellationTokenSource interrupt)
        {
            InterruptIfOverTime(interrupt);
            return !OutOfTimeWithNothingComplete && !OverTrainingTime(report);
        }

        /// <summary>Past the time budget, running trials stop, but only once some trial has completed (else nothing would).</summary>
        private void InterruptIfOverTime(CancellationTokenSource interrupt)
        {
            if (TimeIsUp && _anyComplete) interrupt.Cancel();
        }

        private static TrialSettings AsSettings(StoredTrial trial) =>
            new() { TrialId = trial.Number, Parameter = trial.Parameters, StartedAtUtc = trial.StartedUtc };

        private static bool Counts(StoredTrial t) => t.State != TrialState.Running && t.Error != InterruptedError;

        /// <summary>Reads the store: fails abandoned trials, feeds the tuner what it has not seen.</summary>
        private void Synchronize()
        {
            _storage.FailStaleTrials(_study.StudyId, _x._staleAfter);
            _stored = _storage.GetTrials(_study.StudyId);
            if (_storage.FailExitedWorkers(_stored) > 0) _stored = _storage.GetTrials(_study.StudyId);
            foreach (var t in _stored)
            {
                if (_fedToTuner.Contains(t.Number) || _ownCurves.ContainsKey(t.Number)) continue;
                if (t.Parameters.Count == 0)
                {
                    // Started by a worker that has not yet recorded what the tuner proposed (or died before it did).
                    if (t.State != TrialState.Running) _fedToTuner.Add(t.Number);
                    continue;
                }
                if (t.State == TrialState.Running)
                {
                    if (_tuner is IPendingAwareTuner aware) aware.MarkPending(t.Number, t.Parameters);
                    continue;
                }
                _fedToTuner.Add(t.Number);
                if (t.Error == InterruptedError) continue;
                _tuner.Update(OnCompleteScale(AsResult(t, model: null)));
                _anyComplete |= t.State == TrialState.Complete;
            }
        }

        private static TrialResult AsResult(StoredTrial t, ITransformer? model) => new()
        {
            TrialSettings = AsSettings(t),
            Loss = t.Value ?? double.NaN,
            IsFailed = t.State == TrialState.Failed,
            IsPruned = t.State == TrialState.Pruned,
            DurationInMilliseconds = (t.DurationSeconds ?? 0) * 1000,
            LossCurve = t.Curve,
            Model = model,
        };

        private void RunTrial(StoredTrial trial)
        {
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(_userCancellation);
            using var heartbeat = new Timer(_ => Beat(trial.TrialId, interrupt), null, _x._heartbeatInterval, _x._heartbeatInterval);
            var curve = _ownCurves[trial.Number];
            bool pruned = false;
            var options = _x._pipeline!.Committor.ToOptions(trial.Parameters, trial.Seed);
            options.OnEpoch = report =>
            {
                if (double.IsNaN(report.ValidationLoss)) return true;
                List<IReadOnlyList<double>> others;
                lock (_gate)
                {
                    curve.Add(report.ValidationLoss);
                    others = OtherCurves(trial.Number);
                }
                _storage.ReportIntermediate(trial.TrialId, report.Epoch, report.ValidationLoss);
                bool onTime = MayTrainOn(report, interrupt);
                pruned = _x._pruner.ShouldPrune(report.Epoch, curve.ToArray(), others);
                return !pruned && onTime;
            };

            var stopwatch = Stopwatch.StartNew();
            TrialState state;
            double? value = null;
            string? error = null;
            ITransformer? model = null;
            int trainings = 1;
            try
            {
                (value, model, trainings) = Train(trial.Number, options, () => pruned, interrupt, trial.Parameters.Equals(_x._pipeline!.SearchSpace.Default));
                state = pruned ? TrialState.Pruned : TrialState.Complete;
                if (pruned) value = curve.Count > 0 ? curve.Min() : value;
            }
            catch (OperationCanceledException) { state = TrialState.Failed; error = InterruptedError; }
            catch (Exception e) when (e is TrainingDivergedException or ArgumentException or InvalidOperationException or ExternalException)
            {
                state = TrialState.Failed;
                error = e.Message;
            }
            catch (Exception e)
            {
                _storage.FinishTrial(trial.TrialId, TrialState.Failed, null, e.Message);
                throw;
            }
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);

            Finish(trial, new TrialResult
            {
                TrialSettings = AsSettings(trial), Loss = value ?? double.NaN, IsPruned = state == TrialState.Pruned,
                IsFailed = state == TrialState.Failed, DurationInMilliseconds = stopwatch.Elapsed.TotalMilliseconds, Trainings = trainings,
                LossCurve = curve.ToArray(), Model = model,
            }, state, value, error);
        }

        private void Finish(StoredTrial trial, TrialResult result, TrialState state, double? value, string? error)
        {
            bool accepted = _storage.FinishTrial(trial.TrialId, state, value, error);
            if (accepted && state == TrialState.Complete && result.Model is not null && IsAmongBest(value!.Value))
                _storage.SaveModel(trial.TrialId, ModelBytes(result.Model));
            lock (_gate)
            {
                _stored = _storage.GetTrials(_study.StudyId);
                if (state == TrialState.Failed) _x._monitor.ReportFailTrial(result.TrialSettings, error is null ? null : new Exception(error));
                if (error == InterruptedError) return;
                _finishedThisRun++;
                _tuner.Update(OnCompleteScale(result));
                if (state == TrialState.Complete)
                {
                    _anyComplete = true;
                    if (result.Model is not null) _ownModels[trial.Number] = result.Model;
                }
                _consecutiveFailures = state == TrialState.Failed ? _consecutiveFailures + 1 : 0;
                if (_consecutiveFailures >= 10 && !_anyComplete)
                    _fatal = new InvalidOperationException($"The first {_consecutiveFailures} trials failed; last error: {error}");
                if (state != TrialState.Failed) _x._monitor.ReportCompletedTrial(result);
                ReportStudyBest();
            }
        }

        /// <summary>
        /// A pruned trial as the tuner should see it: its value is its best loss on the first fold, while a complete trial's
        /// is the average over the folds it was scored on, which sits higher when the first fold's validation part happens
        /// to be easy. Unaligned, pruned trials look better than every complete one and a model-based tuner keeps proposing
        /// around them. The pruned value is moved by the median gap between complete trials' values and their first-fold
        /// best (0 on a single split); the stored value stays what was measured. Not the selection's own paired estimate
        /// for raced-out trials: that one stands on a first fold trained to the end, and plain cross-validation has none.
        /// </summary>
        private TrialResult OnCompleteScale(TrialResult result)
        {
            if (!result.IsPruned || !double.IsFinite(result.Loss)) return result;
            var gaps = _stored.Where(t => t.State == TrialState.Complete && t.Value is not null && t.Curve.Count > 0)
                .Select(t => t.Value!.Value - t.Curve.Min()).Where(double.IsFinite).ToArray();
            if (gaps.Length == 0) return result;
            return result with { Loss = result.Loss + gaps.Median() };
        }

        private StoredTrial? StudyBest() =>
            _stored.Where(t => t.State == TrialState.Complete && t.Value is not null).MinBy(t => t.Value!.Value);

        /// <summary>Tells the monitor when the study's best trial changed (this run's, an earlier run's or another worker's).</summary>
        private void ReportStudyBest()
        {
            if (StudyBest() is not { } best || best.Number == _reportedBest) return;
            _reportedBest = best.Number;
            _x._monitor.ReportBestTrial(AsResult(best, ModelOf(best)));
        }

        /// <summary>Trains a trial: on the split, or fold by fold while the selection says so. Returns its value, model and trainings.</summary>
        private (double Loss, ITransformer Model, int Trainings) Train(int number, CommittorTrainerOptions options, Func<bool> pruned,
            CancellationTokenSource interrupt, bool isDefault)
        {
            var cancellation = interrupt.Token;
            var trainer = new CommittorTrainer(_x._ml, options);
            var clock = Stopwatch.StartNew();
            if (_folds is null)
            {
                var predictor = trainer.Fit(_train, _validation, cancellation);
                if (!pruned()) RecordTrainingSeconds([clock.Elapsed.TotalSeconds], isDefault);
                double loss = double.IsNaN(predictor.Training.ValidationLoss) ? predictor.Training.TrainLoss : predictor.Training.ValidationLoss;
                return (loss, Chain(predictor), 1);
            }
            var selection = _x._selection!;
            var losses = new List<double>();
            var predictors = new List<CommittorPredictionTransformer>();
            var seconds = new List<double>();
            do
            {
                var (train, validation) = _folds[losses.Count];
                clock.Restart();
                var predictor = trainer.Fit(train, validation, cancellation);
                seconds.Add(clock.Elapsed.TotalSeconds);
                predictors.Add(predictor);
                losses.Add(predictor.Training.ValidationLoss);
                // Prune and report on the first fold only; the budget is checked every epoch of every fold (the heartbeat alone would be up to its interval late).
                options.OnEpoch = report => MayTrainOn(report, interrupt);
                trainer = new CommittorTrainer(_x._ml, options);
            }
            while (!pruned() && !TimeIsUp && selection.ShouldContinue(losses));
            if (pruned()) return (losses[0], Chain(predictors[0]), 1);
            RecordTrainingSeconds(seconds, isDefault);
            selection.Record(losses);
            double value = selection.Value(losses);
            lock (_gate) KeepFolds(number, value, predictors);
            return (value, Chain(predictors[0]), losses.Count);
        }

        /// <summary>
        /// Keeps a trial's fold networks while they are among the run's best final trials by value: the first
        /// whatever its fold count (the final model needs the best trial's), the others only when scored on every fold (a
        /// raced-out trial's value is an estimate).
        /// </summary>
        private void KeepFolds(int number, double value, IReadOnlyList<CommittorPredictionTransformer> predictors)
        {
            int at = _topFolds.FindIndex(f => value < f.Value);
            _topFolds.Insert(at < 0 ? _topFolds.Count : at, (number, value, predictors));
            int first = _topFolds[0].Number, keep = _x._finalTrials;
            _topFolds.RemoveAll(f => f.Number != first && f.Folds.Count < _folds!.Count);
            if (_topFolds.Count > keep) _topFolds.RemoveRange(keep, _topFolds.Count - keep);
        }

        private ITransformer Chain(ITransformer predictor) =>
            _featurizer is null ? predictor : new TransformerChain<ITransformer>(_featurizer, predictor);

        private List<IReadOnlyList<double>> OtherCurves(int number)
        {
            var curves = new List<IReadOnlyList<double>>();
            foreach (var (n, c) in _ownCurves) if (n != number) curves.Add(c.ToArray());
            foreach (var t in _stored) if (!_ownCurves.ContainsKey(t.Number) && t.Curve.Count > 0) curves.Add(t.Curve);
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

        /// <summary>A trial's model: this run's, else the store's (null when not kept).</summary>
        private ITransformer? ModelOf(StoredTrial trial)
        {
            if (_ownModels.TryGetValue(trial.Number, out var own)) return own;
            var bytes = _storage.LoadModel(trial.TrialId);
            return bytes is null ? null : CommittorModelFile.Load(_x._ml, bytes, $"the stored model of trial {trial.Number}").Model;
        }

        /// <summary>
        /// The best trial's model; with folds made from its fold networks as <see cref="SetFinalModel"/> says (a refit when
        /// this run did not train them), or its stored model when the run was interrupted.
        /// </summary>
        private ITransformer? BestModel(SweepablePipeline pipeline, StoredTrial best)
        {
            if (_folds is null || _userCancellation.IsCancellationRequested) return ModelOf(best);
            var folds = _topFolds.Count > 0 && _topFolds[0].Number == best.Number ? _topFolds.Select(f => f.Folds).ToArray() : null;
            return Chain(FinalModels.Make(_x._finalModel, _x._ml, pipeline.Committor.ToOptions(best.Parameters, best.Seed), _train,
                folds, _x._finalRefits, _userCancellation));
        }
    }
}
