using System.CommandLine;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Reporting;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml tune</c>: Bayesian hyperparameter search of committor networks on shooting data; trials go to a study store,
/// the best model to a zip; ends, like mlnet, by saying where everything is and how to use the model from C#.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var tuner = new Option<string>("--tuner") { Description = "gp (Gaussian-process Bayesian optimization), tpe, random or grid.", DefaultValueFactory = _ => "gp" };
        var trials = new Option<int?>("--trials") { Description = "Stop when the study holds this many finished trials (earlier runs' count)." };
        var time = new Option<double?>("--time") { Description = "Time budget in seconds." };
        var seed = new Option<int>("--seed") { Description = "Seed of the tuner, the split and the trials.", DefaultValueFactory = _ => 1 };
        var storage = new Option<string>("--storage") { Description = "Study store: sqlite:///file.db, postgresql://user:pw@host/db, or memory:.", DefaultValueFactory = _ => "sqlite:///rcml-studies.db" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the data file's name). An existing study is resumed." };
        var model = new Option<string>("--model") { Description = "Where to save the best model zip.", DefaultValueFactory = _ => "best.zip" };
        var parallel = new Option<int>("--parallel") { Description = "Trials at once in this process (more processes on the same --storage add workers).", DefaultValueFactory = _ => 1 };
        var pruner = new Option<string>("--pruner") { Description = "median, asha or none.", DefaultValueFactory = _ => "median" };
        var folds = new Option<int>("--folds") { Description = "k-fold cross-validation (0: one validation split).", DefaultValueFactory = _ => 0 };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Held-out fraction scoring each trial (without --folds).", DefaultValueFactory = _ => 0.2 };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Epoch limit per trial.", DefaultValueFactory = _ => 1000 };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience per trial.", DefaultValueFactory = _ => 50 };
        var verbose = new Option<bool>("--verbose") { Description = "Print trial progress even when output is not a terminal." };
        var report = new Option<string?>("--report") { Description = "Where to write the HTML study report (default: <study>.report.html beside the model); 'none' skips it." };
        var ensemble = new Option<int>("--ensemble") { Description = "Save an ensemble of the study's best K distinct trials as --model instead of the best trial (see rcml ensemble).", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, or cuda with a CUDA build (-p:TorchBackend=cuda-linux).", DefaultValueFactory = _ => "cpu" };

        var command = new Command("tune", "Search committor-network hyperparameters by Bayesian optimization.");
        data.AddTo(command);
        foreach (var option in new Option[] { tuner, trials, time, seed, storage, study, model, parallel, pruner, folds, validationFraction, maxEpochs, patience, verbose, device, report, ensemble })
            command.Options.Add(option);

        command.SetAction((result, cancellation) => Task.FromResult(CliRun.Guard(() =>
        {
            var shooting = data.Load(result);
            int? maxTrials = result.GetValue(trials);
            double? seconds = result.GetValue(time);
            if (maxTrials is null && seconds is null) maxTrials = 20;
            int seedValue = result.GetValue(seed);
            var ml = new MLContext(seed: seedValue);
            var pipeline = ml.Transforms.Concatenate("Features", shooting.FeatureNames.ToArray())
                .Append(ml.ReactionCoordinates().Auto().Committor(baseOptions: new CommittorTrainerOptions
                {
                    Inputs = shooting.Features.ToList(),
                    MaxEpochs = result.GetValue(maxEpochs),
                    Patience = result.GetValue(patience),
                    Device = result.GetValue(device)!,
                }));

            var url = result.GetValue(storage)!;
            using var store = StudyStorage.Open(url);
            var studyName = result.GetValue(study) ?? Path.GetFileNameWithoutExtension(result.GetValue(data.Data)!);
            var experiment = ml.ReactionCoordinates().CreateExperiment()
                .SetPipeline(pipeline)
                .SetTuner(Tuner(result.GetValue(tuner)!))
                .SetPruner(Pruner(result.GetValue(pruner)!))
                .SetParallelism(result.GetValue(parallel))
                .SetSeed(seedValue)
                .SetModelInputColumns(shooting.FeatureNames)
                .SetMonitor(new TuneMonitor(result.GetValue(verbose), maxTrials, seconds))
                .SetStorage(store, studyName, new Dictionary<string, string>
                {
                    ["data"] = Path.GetFullPath(result.GetValue(data.Data)!),
                    ["features"] = string.Join(",", shooting.Features.Select(f => $"{f.Name}:{f.Kind}")),
                    ["tuner"] = result.GetValue(tuner)!,
                    ["seed"] = seedValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            int members = result.GetValue(ensemble);
            if (members < 0) throw new ArgumentException($"--ensemble must be 0 (the best model) or a member count, got {members}.");
            if (members > 0) experiment.SetModelsToKeep(Math.Max(10, members));
            if (maxTrials is { } m) experiment.SetMaxTrials(m);
            if (seconds is { } s) experiment.SetTrainingTimeInSeconds(s);
            var view = shooting.ToDataView();
            if (result.GetValue(folds) is var k and >= 2) experiment.SetDataset(view, k);
            else
            {
                var split = ml.Data.TrainTestSplit(view, result.GetValue(validationFraction), seed: seedValue);
                experiment.SetDataset(split.TrainSet, split.TestSet);
            }

            var outcome = experiment.RunAsync(cancellation).GetAwaiter().GetResult();
            var modelPath = result.GetValue(model)!;
            if (members > 0) ml.ReactionCoordinates().Ensembles.FromStudy(store, studyName, members).Save(modelPath);
            else if (outcome.BestTrial.Model is { } best) CommittorModelFile.Save(ml, best, shooting.FeatureNames, modelPath);
            var reportPath = result.GetValue(report) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"{studyName}.report.html");
            if (reportPath == "none") reportPath = null;
            else
            {
                var dataPath = result.GetValue(data.Outcomes) is null ? result.GetValue(data.Data) : null; // the report reads plain CSV
                using var progress = new StepProgress("report", result.GetValue(verbose));
                StudyReport.Write(StudyReportInput.FromStudy(store, studyName, dataPath).WithAnalysis(store, dataPath, progress), reportPath);
            }
            PrintSummary(outcome, modelPath, StudyStorage.Redact(url), reportPath, shooting);
            return 0;
        })));
        return command;
    }

    private static Func<SearchSpace, int, ITuner> Tuner(string name) => name.ToLowerInvariant() switch
    {
        "gp" => (space, seed) => new GaussianProcessTuner(space, seed),
        "tpe" => (space, seed) => new TreeParzenTuner(space, seed),
        "random" => (space, seed) => new RandomSearchTuner(space, seed),
        "grid" => (space, seed) => new GridSearchTuner(space, 5, seed),
        _ => throw new ArgumentException($"Unknown tuner '{name}'; choose gp, tpe, random or grid."),
    };

    private static IPruner Pruner(string name) => name.ToLowerInvariant() switch
    {
        "median" => new MedianPruner(),
        "asha" => new SuccessiveHalvingPruner(),
        "none" => new NoPruner(),
        _ => throw new ArgumentException($"Unknown pruner '{name}'; choose median, asha or none."),
    };

    private static void PrintSummary(ExperimentResult outcome, string modelPath, string storage, string? report, ShootingData shooting)
    {
        var best = outcome.BestStoredTrial;
        int complete = outcome.Trials.Count(t => t.State == TrialState.Complete);
        int pruned = outcome.Trials.Count(t => t.State == TrialState.Pruned);
        int failed = outcome.Trials.Count(t => t.State == TrialState.Failed);
        Console.WriteLine($"study '{outcome.Study.Name}': {outcome.Trials.Count} trials ({complete} complete, {pruned} pruned, {failed} failed), {outcome.TrialsThisRun} in this run");
        Console.WriteLine($"best trial: #{best.Number}, validation cross-entropy {best.Value:F5} nats/shot");
        Console.WriteLine($"best parameters: {best.Parameters.ToJson()}");
        Console.WriteLine();
        Console.WriteLine($"model:  {Path.GetFullPath(modelPath)}");
        Console.WriteLine($"study:  {storage} (study '{outcome.Study.Name}'; rcml study show --storage {storage} --study {outcome.Study.Name})");
        if (report is not null) Console.WriteLine($"report: {Path.GetFullPath(report)}");
        Console.WriteLine();
        Console.WriteLine("Use the model from C# (packages Microsoft.ML, Microsoft.ML.OnnxTransformer, Microsoft.ML.OnnxRuntime):");
        Console.WriteLine(ConsumptionCode.Snippet(modelPath, shooting.FeatureNames));
        Console.WriteLine($"A starter project: rcml init --model {modelPath}");
    }
}
