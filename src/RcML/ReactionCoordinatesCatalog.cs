using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;

namespace RcML;

/// <summary>
/// RcML's entry point on an <see cref="MLContext"/>, <c>mlContext.ReactionCoordinates()</c>, in the manner of
/// ML.NET's own catalogs: <see cref="Trainers"/>, <see cref="Data"/>, <see cref="Ensembles"/>, and as in ML.NET AutoML
/// <see cref="Auto"/> and <see cref="CreateExperiment"/>. Periodic CVs need no transform of their own: the trainer expands them
/// (<see cref="CommittorTrainerOptions"/>).
/// </summary>
public sealed class ReactionCoordinatesCatalog
{
    internal ReactionCoordinatesCatalog(MLContext context)
    {
        Context = context;
        Trainers = new CommittorTrainers(context);
        Data = new ShootingDataCatalog();
        Ensembles = new CommittorEnsembleCatalog(context);
    }

    /// <summary>The ML.NET context.</summary>
    public MLContext Context { get; }

    /// <summary>Trainers that learn reaction coordinates.</summary>
    public CommittorTrainers Trainers { get; }

    /// <summary>Loading shooting data.</summary>
    public ShootingDataCatalog Data { get; }

    /// <summary>Ensembles of committor networks with their spread as uncertainty (CommittorStdDev).</summary>
    public CommittorEnsembleCatalog Ensembles { get; }

    /// <summary>Sweepable estimators for hyperparameter search (as ML.NET AutoML's <c>Auto()</c>).</summary>
    public SweepableCatalog Auto() => new();

    /// <summary>A hyperparameter search experiment (as ML.NET AutoML's <c>CreateExperiment()</c>).</summary>
    public CommittorExperiment CreateExperiment() => new(Context);

    /// <summary>Sweepable estimators.</summary>
    public sealed class SweepableCatalog
    {
        internal SweepableCatalog() { }

        /// <summary>
        /// A committor trainer whose hyperparameters are searched in <paramref name="searchSpace"/> (default: the
        /// paper's ranges, <see cref="CommittorSearchSpace"/>); <paramref name="baseOptions"/> fixes the rest.
        /// </summary>
        public SweepableCommittorEstimator Committor(SearchSpace? searchSpace = null, CommittorTrainerOptions? baseOptions = null) =>
            new(searchSpace, baseOptions);
    }

    /// <summary>Trainers of the catalog.</summary>
    public sealed class CommittorTrainers
    {
        private readonly MLContext _context;
        internal CommittorTrainers(MLContext context) => _context = context;

        /// <summary>A committor network trainer (TorchSharp), scoring through ONNX Runtime once fitted.</summary>
        public CommittorTrainer Committor(CommittorTrainerOptions? options = null) => new(_context, options);

        /// <summary>A committor network trainer with the most used options as arguments.</summary>
        public CommittorTrainer Committor(string featureColumnName, int hiddenLayers = 3, int nodes = 64,
            string activation = "tanh", int maxEpochs = 2000) =>
            new(_context, new CommittorTrainerOptions
            {
                FeatureColumnName = featureColumnName, HiddenLayers = hiddenLayers, Nodes = nodes,
                Activation = activation, MaxEpochs = maxEpochs,
            });
    }

    /// <summary>Loading shooting data into ML.NET.</summary>
    public sealed class ShootingDataCatalog
    {
        internal ShootingDataCatalog() { }

        /// <summary>Reads and validates a CSV (or a COLVAR file joined with <paramref name="outcomesPath"/>).</summary>
        public ShootingData Load(string path, ShootingDataOptions? options = null, string? outcomesPath = null) =>
            ShootingData.Load(path, options, outcomesPath);
    }
}
