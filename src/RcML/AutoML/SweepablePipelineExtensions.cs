using Microsoft.ML;
using RcML.Committor;

namespace RcML.AutoML;

/// <summary>Composes sweepable pipelines the way ML.NET composes estimators.</summary>
public static class SweepablePipelineExtensions
{
    /// <summary>Appends a sweepable committor trainer to a featurization estimator.</summary>
    public static SweepablePipeline Append(this IEstimator<ITransformer> featurization, SweepableCommittorEstimator committor) =>
        new(featurization, committor);
}
