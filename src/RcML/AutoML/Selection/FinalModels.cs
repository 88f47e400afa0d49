using Microsoft.ML;
using RcML.Committor;

namespace RcML.AutoML;

/// <summary>Makes an experiment's returned model from its best trial, as <see cref="FinalModel"/> says.</summary>
internal static class FinalModels
{
    /// <summary>
    /// The model of the best configuration (<paramref name="options"/>, with the trial's seed) on <paramref name="data"/>;
    /// <paramref name="folds"/> are the best trial's fold networks when this process trained them (else null: the
    /// configuration is refit with early stopping on a hold-out, as a plain training would).
    /// </summary>
    public static ITransformer Make(FinalModel kind, MLContext ml, CommittorTrainerOptions options, IDataView data,
        IReadOnlyList<CommittorPredictionTransformer>? folds, CancellationToken cancellation)
    {
        if (folds is { Count: > 0 })
        {
            if (kind == FinalModel.FirstFold) return folds[0];
            if (kind == FinalModel.Ensemble) return ml.ReactionCoordinates().Ensembles.FromModels(folds, options.FeatureColumnName);
            options.MaxEpochs = Math.Max(1, (int)Math.Round(folds.Average(f => f.Training.BestEpoch)));
            options.ValidationFraction = 0;
        }
        options.OnEpoch = null;
        return new CommittorTrainer(ml, options).Fit(data, null, cancellation);
    }
}
