using Microsoft.ML;
using RcML.Committor;

namespace RcML.AutoML;

/// <summary>
/// A fixed featurization (e.g. Concatenate, normalization) followed by a sweepable committor trainer; what
/// <see cref="CommittorExperiment.SetPipeline"/> takes.
/// </summary>
public sealed class SweepablePipeline(IEstimator<ITransformer>? featurization, SweepableCommittorEstimator committor)
{
    /// <summary>The fixed part, fitted once per experiment (null: the data is already featurized).</summary>
    public IEstimator<ITransformer>? Featurization { get; } = featurization;

    /// <summary>The swept trainer.</summary>
    public SweepableCommittorEstimator Committor { get; } = committor;

    /// <summary>The search space.</summary>
    public SearchSpace SearchSpace => Committor.SearchSpace;
}
