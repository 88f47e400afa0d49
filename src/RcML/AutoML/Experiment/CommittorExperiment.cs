using Microsoft.ML;
using RcML.Storage;

namespace RcML.AutoML;

/// <summary>
/// A hyperparameter search for committor networks, shaped like ML.NET AutoML's <c>AutoMLExperiment</c>:
/// set a sweepable pipeline, data, tuner and budgets, then <see cref="RunAsync"/>. Every trial is written to the study
/// store as it happens (state, parameters, per-epoch validation curve, value, seed, model), so a study can be resumed,
/// shared by several workers, and analysed later. Loss (validation cross-entropy per shot) is minimized.
/// </summary>
public sealed partial class CommittorExperiment
{
    private readonly MLContext _ml;
    private SweepablePipeline? _pipeline;
    private IDataView? _train, _validation;
    private IFoldSelection? _selection;
    private FinalModel _finalModel = FinalModel.Ensemble;
    private int _finalTrials = 1, _finalRefits;
    private ITuner? _tuner;
    private Func<SearchSpace, int, ITuner>? _tunerFactory;
    private double? _seconds;
    private double? _trainingSeconds;
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
    private TimeSpan _staleAfter = AbandonedTrials.DefaultHeartbeatTimeout;

    /// <summary>Creates an experiment; see <c>mlContext.ReactionCoordinates().CreateExperiment()</c>.</summary>
    public CommittorExperiment(MLContext ml) => _ml = ml ?? throw new ArgumentNullException(nameof(ml));

    /// <summary>The featurization and the sweepable committor trainer.</summary>
    public CommittorExperiment SetPipeline(SweepablePipeline pipeline) { _pipeline = pipeline; return this; }

    /// <summary>Trains each trial on <paramref name="train"/> and scores it on <paramref name="validation"/>.</summary>
    public CommittorExperiment SetDataset(IDataView train, IDataView validation) { _train = train; _validation = validation; _selection = null; return this; }

    /// <summary>Scores each trial by k-fold cross-validation on <paramref name="data"/> (<see cref="CrossValidationSelection"/>).</summary>
    public CommittorExperiment SetDataset(IDataView data, int folds = 5) => SetDataset(data, new CrossValidationSelection(folds));

    /// <summary>
    /// Scores trials on folds of <paramref name="data"/> as <paramref name="selection"/> decides (e.g. <see cref="RacingSelection"/>);
    /// the returned model is made from the best trial as <see cref="SetFinalModel"/> says.
    /// </summary>
    public CommittorExperiment SetDataset(IDataView data, IFoldSelection selection)
    {
        _train = data; _validation = null; _selection = selection ?? throw new ArgumentNullException(nameof(selection)); return this;
    }

    /// <summary>
    /// With folds: how the returned model is made from the best trial (default <see cref="FinalModel.Ensemble"/>). With
    /// <see cref="FinalModel.Ensemble"/>, the fold networks of this run's best <paramref name="trials"/> trials scored on
    /// every fold (the best trial first: the lowest mean over folds among many near-equal trials is partly the luck of
    /// its initializations, and averaging the best few evens it out) and <paramref name="refits"/> networks of the best
    /// configuration trained on all the data from new seeds, for its folds' mean best epoch count (their expected time
    /// comes off the budget), make one ensemble.
    /// </summary>
    public CommittorExperiment SetFinalModel(FinalModel finalModel, int trials = 1, int refits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(refits);
        _finalModel = finalModel; _finalTrials = trials; _finalRefits = refits; return this;
    }

    /// <summary>The tuner instance (warm-started from the store's finished trials when the study exists).</summary>
    public CommittorExperiment SetTuner(ITuner tuner) { _tuner = tuner; _tunerFactory = null; return this; }

    /// <summary>A tuner built from the search space and the experiment's seed when the run starts.</summary>
    public CommittorExperiment SetTuner(Func<SearchSpace, int, ITuner> factory) { _tunerFactory = factory; _tuner = null; return this; }

    /// <summary>
    /// Stops starting trials after this many seconds and interrupts running ones once any trial has completed. The budget
    /// includes the final model: when it is a refit, trials stop early by the time the best trial's folds took to train.
    /// </summary>
    public CommittorExperiment SetTrainingTimeInSeconds(double seconds) { _seconds = seconds; return this; }

    /// <summary>
    /// The longest one training of a trial (one fold) may run; it then ends with its best weights so far and the trial
    /// completes with that value. Default with a time budget: five times the median training of the complete trials so
    /// far, never below a hundredth of the budget nor above a tenth (a tenth until three trainings are timed), so a few
    /// slow configurations (tiny learning rates, large networks, small batches) cannot take the budget, and studies of
    /// one budget run comparably many trials whatever the seed.
    /// </summary>
    public CommittorExperiment SetMaxTrainingTimeInSeconds(double seconds) { _trainingSeconds = seconds; return this; }

    /// <summary>
    /// Stops when the study holds this many finished trials (complete, pruned or failed; earlier runs' and other
    /// workers' included). Trials interrupted by a time budget or cancellation do not count.
    /// </summary>
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

    /// <summary>Seed of the tuner and of the trials: trial number k of the study trains from <see cref="TrialSeed"/>(seed, k).</summary>
    public CommittorExperiment SetSeed(int seed) { _seed = seed; return this; }

    /// <summary>The raw columns a saved model reads (default: the training data's columns).</summary>
    public CommittorExperiment SetModelInputColumns(IReadOnlyList<string> columns) { _modelInputColumns = columns; return this; }

    /// <summary>How many of the best trials keep their model in the store (default 10).</summary>
    public CommittorExperiment SetModelsToKeep(int count) { _keepModels = Math.Max(1, count); return this; }

    /// <summary>How often a running trial's heartbeat is written, and after how long without one a trial counts as crashed.</summary>
    public CommittorExperiment SetHeartbeat(TimeSpan interval, TimeSpan staleAfter) { _heartbeatInterval = interval; _staleAfter = staleAfter; return this; }

    /// <summary>The initialization seed of trial <paramref name="number"/> of a study seeded with <paramref name="seed"/>: the
    /// same whichever worker runs the trial, so a study repeats with any number of workers.</summary>
    public static int TrialSeed(int seed, int number) => unchecked(seed + number);

    /// <summary>
    /// Runs the search; returns the best trial of the study with its model. When <paramref name="cancellation"/>
    /// fires, running trials stop within an epoch (failed, "interrupted") and the result holds the study's best so far
    /// (<see cref="ExperimentResult.Interrupted"/>); with no completed trial it throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<ExperimentResult> RunAsync(CancellationToken cancellation = default) =>
        Task.Factory.StartNew(() => new Run(this, cancellation).Execute(), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
