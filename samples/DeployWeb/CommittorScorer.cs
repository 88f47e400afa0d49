using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace DeployWeb;

/// <summary>
/// Scores configurations with a pool of PredictionEngines: an engine is not thread-safe, so each request borrows one
/// and returns it; the model itself is loaded once.
/// </summary>
public sealed class CommittorScorer
{
    private readonly ObjectPool<PredictionEngine<Configuration, CommittorPrediction>> _engines;

    public CommittorScorer(string modelPath)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out var inputSchema);
        InputColumns = inputSchema.Select(c => c.Name).ToArray();
        var missing = InputColumns.Except(Configuration.Columns).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException(
                $"{modelPath} reads columns {string.Join(", ", missing)} that Configuration lacks; regenerate Configuration.cs for this model.");
        _engines = new DefaultObjectPool<PredictionEngine<Configuration, CommittorPrediction>>(new EnginePolicy(ml, model));
    }

    /// <summary>The raw CV columns the model reads.</summary>
    public IReadOnlyList<string> InputColumns { get; }

    public IReadOnlyList<CommittorPrediction> Score(IEnumerable<Configuration> configurations)
    {
        var engine = _engines.Get();
        try
        {
            return configurations.Select(c => engine.Predict(c)).ToArray();
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : IPooledObjectPolicy<PredictionEngine<Configuration, CommittorPrediction>>
    {
        public PredictionEngine<Configuration, CommittorPrediction> Create() =>
            ml.Model.CreatePredictionEngine<Configuration, CommittorPrediction>(model);

        public bool Return(PredictionEngine<Configuration, CommittorPrediction> engine) => true;
    }
}
