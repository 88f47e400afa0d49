using Microsoft.ML;
using RcML.Committor;

namespace RcML.AutoML;

/// <summary>Makes an experiment's returned model from its best trial, as <see cref="FinalModel"/> says.</summary>
internal static class FinalModels
{
    /// <summary>
    /// The model of the best configuration (<paramref name="options"/>, with the trial's seed) on <paramref name="data"/>;
    /// <paramref name="trials"/> hold the best trial's fold networks first, then those of the next best trials, when this
    /// process trained them (else null: the configuration is refit with early stopping on a hold-out, as a plain training
    /// would). Only an ensemble uses trials after the first, and joins <paramref name="refits"/> refits of the best
    /// configuration on all the data from new seeds (see <see cref="Refit"/>).
    /// </summary>
    public static ITransformer Make(FinalModel kind, MLContext ml, CommittorTrainerOptions options, IDataView data,
        IReadOnlyList<IReadOnlyList<CommittorPredictionTransformer>>? trials, int refits, CancellationToken cancellation)
    {
        if (trials is { Count: > 0 } && trials[0] is { Count: > 0 } folds)
        {
            if (kind == FinalModel.FirstFold) return folds[0];
            if (kind == FinalModel.Ensemble)
                return ml.ReactionCoordinates().Ensembles.FromModels(trials.SelectMany(t => t)
                    .Concat(Enumerable.Range(1, refits).Select(r => Refit(ml, options.WithSeed(RefitSeed(options.Seed, r)), data, folds, cancellation))),
                    options.FeatureColumnName);
            return Refit(ml, options, data, folds, cancellation);
        }
        options.OnEpoch = null;
        return new CommittorTrainer(ml, options).Fit(data, null, cancellation);
    }

    /// <summary>
    /// The seconds <paramref name="refits"/> refits should take: each as long as a fold's training, scaled from the
    /// (k-1)/k of the data a fold trains on to all of it (<paramref name="foldCount"/> = k).
    /// </summary>
    public static double RefitSeconds(IReadOnlyList<CommittorPredictionTransformer> folds, int foldCount, int refits) =>
        refits * folds.Average(f => f.Training.Duration.TotalSeconds) * foldCount / (foldCount - 1.0);

    /// <summary>
    /// The configuration trained on all the data, without a hold-out, for the mean of its folds' best epoch counts: every
    /// member then sees all the data (a fold network sees all but one fold).
    /// </summary>
    private static CommittorPredictionTransformer Refit(MLContext ml, CommittorTrainerOptions options, IDataView data,
        IReadOnlyList<CommittorPredictionTransformer> folds, CancellationToken cancellation)
    {
        options.MaxEpochs = Math.Max(1, (int)Math.Round(folds.Average(f => f.Training.BestEpoch)));
        options.ValidationFraction = 0;
        options.OnEpoch = null;
        return new CommittorTrainer(ml, options).Fit(data, null, cancellation);
    }

    /// <summary>The seed of refit <paramref name="r"/> (1, 2, ...): far from the trial seeds a study uses (seed + trial number).</summary>
    private static int RefitSeed(int trialSeed, int r) => unchecked(trialSeed + 1_000_003 * r);
}
