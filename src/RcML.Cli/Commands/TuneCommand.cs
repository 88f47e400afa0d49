using System.CommandLine;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Reporting;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml tune</c>: Bayesian hyperparameter search of committor networks on shooting data; trials go to a study store,
/// the study's best model to a zip (replaced whenever the best changes); ends, like mlnet, by saying where everything
/// is and how to use the model from C#. SIGINT/SIGTERM stop it within an epoch, keeping the study's best.
/// </summary>
internal static class TuneCommand
{
    /// <summary>The tuners by the name users type.</summary>
    public static IReadOnlyDictionary<string, Func<SearchSpace, int, ITuner>> Tuners { get; } = new Dictionary<string, Func<SearchSpace, int, ITuner>>
    {
        ["gp"] = (space, seed) => new GaussianProcessTuner(space, seed),
        ["tpe"] = (space, seed) => new TreeParzenTuner(space, seed),
        ["random"] = (space, seed) => new RandomSearchTuner(space, seed),
        ["grid"] = (space, seed) => new GridSearchTuner(space, 5, seed),
    };

    /// <summary>The pruners by the name users type.</summary>
    public static IReadOnlyDictionary<string, Func<IPruner>> Pruners { get; } = new Dictionary<string, Func<IPruner>>
    {
        ["median"] = () => new MedianPruner(),
        ["asha"] = () => new SuccessiveHalvingPruner(),
        ["none"] = () => new NoPruner(),
    };

    public static Command Create()
    {
        var data = new DataOptions();
        var tuner = Choices.Of("--tuner", "gp (Gaussian-process Bayesian optimization), tpe, random or grid.", "gp", Tuners.Keys.ToArray());
        var trials = new Option<int?>("--trials") { Description = "Stop when the study holds this many finished trials (complete, pruned or failed; earlier runs' count)." }.AtLeast(1);
        var time = new Option<double?>("--time") { Description = "Time budget in seconds." }.Above(0);
        var seed = new Option<int>("--seed") { Description = "Seed of the tuner, the split and the trials (trial k trains from seed + k).", DefaultValueFactory = _ => 1 };
        var storage = new Option<string>("--storage") { Description = "Study store: sqlite:///file.db, postgresql://user:pw@host/db, or memory:.", DefaultValueFactory = _ => "sqlite:///rcml-studies.db" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the data file's name). An existing study is resumed." };
        var model = new Option<string>("--model") { Description = "Where to save the study's best model zip (replaced whenever the best changes).", DefaultValueFactory = _ => "best.zip" }.OutputFile();
        var parallel = new Option<int>("--parallel") { Description = "Trials at once in this process (more processes on the same --storage add workers).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var pruner = Choices.Of("--pruner", "median, asha or none.", "median", Pruners.Keys.ToArray());
        var selection = Choices.Of("--selection",
            "How trials are scored: racing (fold 1 for every trial, the other folds only while it beats the best so far; the winner " +
            "is chosen on the mean over folds), cv (every fold for every trial), split (one validation split); " +
            $"auto: racing up to {TuneDefaults.RacingMaxRows:N0} configurations, split above.", "auto", ["auto", "racing", "cv", "split"]);
        var folds = new Option<int>("--folds") { Description = "Folds of --selection racing or cv.", DefaultValueFactory = _ => 5 }.AtLeast(2);
        var finalModel = Choices.Of("--final-model",
            "With racing or cv: ensemble (the best trial's fold networks as one ensemble model, with CommittorStdDev; no further " +
            "training), refit (its configuration retrained on all data for the folds' mean best epoch count) or firstfold (its fold-1 network).",
            FinalModel.Ensemble);
        var finalTrials = new Option<int>("--final-trials")
        {
            Description = "With --final-model ensemble: the fold networks of this many of the best trials scored on every fold make the model.",
            DefaultValueFactory = _ => 1,
        }.AtLeast(1);
        var finalRefits = new Option<int>("--final-refits")
        {
            Description = "With --final-model ensemble: networks of the best configuration retrained on all data from new seeds that join the model.",
            DefaultValueFactory = _ => 0,
        }.AtLeast(0);
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Held-out fraction scoring each trial (with --selection split).", DefaultValueFactory = _ => 0.2 }.Fraction();
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Epoch limit per trial.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience per trial.", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var verbose = new Option<bool>("--verbose") { Description = "Print trial progress even when output is not a terminal." };
        var report = new Option<string?>("--report") { Description = "Where to write the HTML study report (default: <study>.report.html beside the model); 'none' skips it." }.OutputFile();
        var ensemble = new Option<int>("--ensemble") { Description = "Save an ensemble of the study's best K distinct trials as --model instead of the best trial (see rcml ensemble).", DefaultValueFactory = _ => 0 }
            .AtLeast(0);
        var device = DeviceOption.Create();

        var command = new Command("tune", "Search committor-network hyperparameters by Bayesian optimization.");
        data.AddTo(command);
        foreach (var option in new Option[] { tuner, trials, time, seed, storage, study, model, parallel, pruner, selection, folds, finalModel, finalTrials, finalRefits, validationFraction, maxEpochs, patience, verbose, device, report, ensemble })
            command.Options.Add(option);

        command.SetAction(result => CliRun.Guard(() =>
        {
            DeviceOption.Check(result.GetValue(device)!);
            var shooting = data.Load(result);
            int? maxTrials = result.GetValue(trials);
            double? seconds = result.GetValue(time);
            if (maxTrials is null && seconds is null) maxTrials = 20;
            int seedValue = result.GetValue(seed);
            var url = result.GetValue(storage)!;
            var studyName = result.GetValue(study) ?? Path.GetFileNameWithoutExtension(result.GetValue(data.Data)!);
            var modelPath = result.GetValue(model)!;

            TuningJob.CheckEnoughRows(shooting, result.GetValue(folds), result.GetValue(validationFraction));
            using var store = StudyStorage.Open(url);
            var outcome = new TuningJob
            {
                Data = shooting,
                Store = store,
                Study = studyName,
                Attributes = new Dictionary<string, string>
                {
                    ["data"] = Path.GetFullPath(result.GetValue(data.Data)!),
                    ["features"] = string.Join(",", shooting.Features.Select(f => $"{f.Name}:{f.Kind}")),
                    ["tuner"] = result.GetValue(tuner)!,
                    ["seed"] = seedValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                // With a time budget the GP weighs expected improvement by the expected training time.
                Tuner = result.GetValue(tuner) == "gp" && seconds is not null
                    ? (space, s) => new GaussianProcessTuner(space, s, new GaussianProcessTunerOptions { CostAware = true })
                    : Tuners[result.GetValue(tuner)!],
                Pruner = Pruners[result.GetValue(pruner)!](),
                Seed = seedValue,
                MaxTrials = maxTrials,
                Seconds = seconds,
                Parallelism = result.GetValue(parallel),
                Selection = result.GetValue(selection)!,
                Folds = result.GetValue(folds),
                FinalModel = result.GetValue(finalModel),
                FinalTrials = result.GetValue(finalTrials),
                FinalRefits = result.GetValue(finalRefits),
                ValidationFraction = result.GetValue(validationFraction),
                TrialOptions = new CommittorTrainerOptions
                {
                    MaxEpochs = result.GetValue(maxEpochs), Patience = result.GetValue(patience), Device = result.GetValue(device)!,
                },
                Verbose = result.GetValue(verbose),
                ModelPath = modelPath,
                Ensemble = result.GetValue(ensemble),
            }.Run(CliRun.Interruption);

            var reportPath = result.GetValue(report) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"{studyName}.report.html");
            if (reportPath == "none") reportPath = null;
            else
            {
                var dataPath = result.GetValue(data.Outcomes) is null ? result.GetValue(data.Data) : null; // the report reads plain CSV
                var input = StudyReportInput.FromStudy(store, studyName, dataPath);
                using var progress = new StepProgress("report", result.GetValue(verbose));
                // After an interrupt the slow analysis sections wait for `rcml report`, so the process ends promptly.
                StudyReport.Write(outcome.Interrupted ? input : input.WithAnalysis(store, dataPath, progress), reportPath);
            }
            PrintSummary(outcome, modelPath, StudyStorage.Redact(url), reportPath, shooting);
            return outcome.Interrupted ? CliRun.Interrupted : 0;
        }));
        return command;
    }

    private static void PrintSummary(ExperimentResult outcome, string modelPath, string storage, string? report, ShootingData shooting)
    {
        var best = outcome.BestStoredTrial;
        int complete = outcome.Trials.Count(t => t.State == TrialState.Complete);
        int pruned = outcome.Trials.Count(t => t.State == TrialState.Pruned);
        int interrupted = outcome.Trials.Count(t => t.Error == CommittorExperiment.InterruptedError);
        int failed = outcome.Trials.Count(t => t.State == TrialState.Failed) - interrupted;
        if (outcome.Interrupted) Console.WriteLine("interrupted: the study keeps every finished trial; run the same command again to resume.");
        Console.WriteLine($"study '{outcome.Study.Name}': {TuningJob.Finished(outcome.Trials)} finished trials ({complete} complete, {pruned} pruned, {failed} failed)" +
                          $"{(interrupted > 0 ? $", {interrupted} interrupted" : "")}, {outcome.TrialsThisRun} in this run");
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
