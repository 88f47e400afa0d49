using System.Diagnostics;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// The tuning <c>rcml tune</c> and <c>rcml demo</c> share: a sweepable committor pipeline over the data's CVs, an
/// experiment on a study store, and the model file, replaced atomically whenever the study's best trial changes and
/// once more at the end (with folds, the best trial's final model; --ensemble K: the study's best K trials).
/// </summary>
internal sealed class TuningJob
{
    /// <summary>The shooting data.</summary>
    public required ShootingData Data { get; init; }
    /// <summary>The study store.</summary>
    public required IStudyStorage Store { get; init; }
    /// <summary>The study's name; an existing study is resumed.</summary>
    public required string Study { get; init; }
    /// <summary>Attributes written when the study is created.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    /// <summary>Builds the tuner from the search space and the seed.</summary>
    public required Func<SearchSpace, int, ITuner> Tuner { get; init; }
    /// <summary>The pruner.</summary>
    public IPruner Pruner { get; init; } = new MedianPruner();
    /// <summary>Seed of the tuner, the split and the trials.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Finished trials the study should hold.</summary>
    public int? MaxTrials { get; init; }
    /// <summary>Time budget in seconds.</summary>
    public double? Seconds { get; init; }
    /// <summary>Trials at once in this process.</summary>
    public int Parallelism { get; init; } = 1;
    /// <summary>
    /// How trials are scored: "racing" (<see cref="RacingSelection"/>), "cv" (every fold), "split" (one validation split),
    /// or "auto" (the default: as <see cref="TuneDefaults.Selection"/> decides from the data's size).
    /// </summary>
    public string Selection { get; init; } = "auto";
    /// <summary>Folds of racing and cv.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>With racing or cv: the model made from the best trial.</summary>
    public FinalModel FinalModel { get; init; } = FinalModel.Ensemble;
    /// <summary>With the ensemble final model: how many of the best trials scored on every fold it joins.</summary>
    public int FinalTrials { get; init; } = 1;
    /// <summary>With the ensemble final model: refits of the best configuration on all the data it joins.</summary>
    public int FinalRefits { get; init; }
    /// <summary>Held-out fraction of a validation split.</summary>
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>Fixed options of every trial (epochs, patience, device); inputs are set from the data.</summary>
    public CommittorTrainerOptions TrialOptions { get; init; } = new();
    /// <summary>Print trial progress even when stderr is not a terminal.</summary>
    public bool Verbose { get; init; }
    /// <summary>Where the best model goes.</summary>
    public required string ModelPath { get; init; }
    /// <summary>Above 0: the model file is an ensemble of the study's best this many distinct trials, written at the end.</summary>
    public int Ensemble { get; init; }

    /// <summary>Runs the experiment; returns its result (<see cref="ExperimentResult.Interrupted"/> after a signal).</summary>
    public ExperimentResult Run(CancellationToken cancellation)
    {
        CheckEnoughRows(Data, Folds, ValidationFraction);
        var ml = new MLContext(seed: Seed);
        TrialOptions.Inputs = Data.Features.ToList();
        var pipeline = ml.Transforms.Concatenate("Features", Data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(baseOptions: TrialOptions));
        ITransformer? written = null;
        void Write(ITransformer model)
        {
            if (ReferenceEquals(model, written)) return;
            CommittorModelFile.Save(ml, model, Data.FeatureNames, ModelPath);
            written = model;
        }

        var experiment = ml.ReactionCoordinates().CreateExperiment()
            .SetPipeline(pipeline)
            .SetTuner(Tuner)
            .SetPruner(Pruner)
            .SetParallelism(Parallelism)
            .SetSeed(Seed)
            .SetModelInputColumns(Data.FeatureNames)
            .SetMonitor(new TuneMonitor(Verbose, MaxTrials, Seconds, Ensemble > 0 ? null : Write))
            .SetStorage(Store, Study, Attributes);
        if (Ensemble > 0) experiment.SetModelsToKeep(Math.Max(10, Ensemble));
        if (MaxTrials is { } m) experiment.SetMaxTrials(m);
        // The time budget is the whole command's: what start-up and loading took comes off the study's (the final model
        // is inside the study's budget; the report follows).
        if (Seconds is { } s) experiment.SetTrainingTimeInSeconds(Math.Max(1, s - (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds));
        var view = Data.ToDataView();
        experiment.SetFinalModel(FinalModel, FinalTrials, FinalRefits);
        switch (TuneDefaults.Selection(Selection, Data.Count))
        {
            case "racing": experiment.SetDataset(view, new RacingSelection(Folds)); break;
            case "cv": experiment.SetDataset(view, new CrossValidationSelection(Folds)); break;
            default:
                var split = ml.Data.TrainTestSplit(view, ValidationFraction, seed: Seed);
                experiment.SetDataset(split.TrainSet, split.TestSet);
                break;
        }

        var outcome = experiment.RunAsync(cancellation).GetAwaiter().GetResult();
        if (Ensemble > 0) ml.ReactionCoordinates().Ensembles.FromStudy(Store, Study, Ensemble).Save(ModelPath);
        else if (outcome.BestTrial.Model is { } best) Write(best);
        return outcome;
    }

    /// <summary>Each trial needs rows to train on and to score on; refuses (before any study is created) when there are too few.</summary>
    public static void CheckEnoughRows(ShootingData data, int folds, double validationFraction)
    {
        int needed = folds >= 2 ? 2 * folds : Math.Max(10, (int)Math.Ceiling(2 / validationFraction));
        if (data.Count < needed)
            throw new DataFormatException(data.Source, null, null,
                $"{data.Count} configuration{(data.Count == 1 ? "" : "s")}; tuning needs at least {needed} " +
                (folds >= 2 ? $"for {folds}-fold cross-validation." : $"to hold out {validationFraction:P0} for validation."));
    }

    /// <summary>Finished trials of a study as the trial budget counts them (complete, pruned, failed; not interrupted).</summary>
    public static int Finished(IEnumerable<StoredTrial> trials) =>
        trials.Count(t => t.State != TrialState.Running && t.Error != CommittorExperiment.InterruptedError);
}
