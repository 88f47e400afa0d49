using System.CommandLine;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Reporting;
using RcML.Simulation;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml demo</c>: the whole job on a bundled example, with nothing to download: simulate Muller-Brown shooting data
/// (exact committor known), tune a committor network with the GP tuner into a SQLite study, and evaluate the best model
/// on independent test data against the exact committor.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--out") { Description = "Folder for the data, study and model.", DefaultValueFactory = _ => "rcml-demo" };
        var trials = new Option<int>("--trials") { Description = "Tuning trials.", DefaultValueFactory = _ => 12 };
        var points = new Option<int>("--points") { Description = "Training configurations.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Simulate, tune and evaluate on a bundled Muller-Brown example.") { folder, trials, points, seed };
        command.SetAction((result, cancellation) => Task.FromResult(CliRun.Guard(() =>
        {
            var dir = Directory.CreateDirectory(result.GetValue(folder)!).FullName;
            int seedValue = result.GetValue(seed);
            var system = ModelSystems.Get("muller-brown");

            Console.WriteLine($"1/3 simulating Muller-Brown shooting data (exact committor from the backward Kolmogorov equation) in {dir}");
            string trainPath = Path.Combine(dir, "muller-brown.csv"), testPath = Path.Combine(dir, "muller-brown-test.csv");
            ShootingCsv.Write(SimulateCommand.Simulate(system, result.GetValue(points), 20, 6, seedValue), trainPath);
            ShootingCsv.Write(SimulateCommand.Simulate(system, 1000, 20, 6, seedValue + 1000), testPath);

            var shooting = ShootingData.Load(trainPath);
            int trialCount = result.GetValue(trials);
            Console.WriteLine($"2/3 tuning {trialCount} committor networks with the Gaussian-process tuner ({shooting.Count} configurations, {shooting.Features.Count} CVs)");
            var ml = new MLContext(seed: seedValue);
            var pipeline = ml.Transforms.Concatenate("Features", shooting.FeatureNames.ToArray())
                .Append(ml.ReactionCoordinates().Auto().Committor(baseOptions: new CommittorTrainerOptions
                {
                    Inputs = shooting.Features.ToList(), MaxEpochs = 400, Patience = 40,
                }));
            var storageUrl = "sqlite:///" + Path.Combine(dir, "study.db");
            using var store = StudyStorage.Open(storageUrl);
            var split = ml.Data.TrainTestSplit(shooting.ToDataView(), 0.2, seed: seedValue);
            var outcome = ml.ReactionCoordinates().CreateExperiment()
                .SetPipeline(pipeline)
                .SetDataset(split.TrainSet, split.TestSet)
                .SetTuner((space, s) => new GaussianProcessTuner(space, s, new GaussianProcessTunerOptions { NumberOfInitialTrials = Math.Max(3, trialCount / 3) }))
                .SetPruner(new MedianPruner(startupTrials: 3, warmupSteps: 40))
                .SetMaxTrials(trialCount)
                .SetSeed(seedValue)
                .SetModelInputColumns(shooting.FeatureNames)
                .SetMonitor(new TuneMonitor(verbose: true, trialCount, null))
                .SetStorage(store, "demo")
                .RunAsync(cancellation).GetAwaiter().GetResult();
            var modelPath = Path.Combine(dir, "best.zip");
            CommittorModelFile.Save(ml, outcome.BestTrial.Model!, shooting.FeatureNames, modelPath);

            Console.WriteLine("3/3 evaluating the best model on independent test data, writing the study report");
            var test = ShootingData.Load(testPath, new ShootingDataOptions { Features = shooting.FeatureNames.ToList() });
            var (transformer, _) = CommittorModelFile.Load(ml, modelPath);
            var (_, p) = CommittorModelFile.Score(transformer, test.ToDataView());
            var metrics = CommittorMetrics.Compute(p, test.CountA, test.CountB, test.References["ref_committor"]);
            Console.WriteLine($"best trial #{outcome.BestStoredTrial.Number}: {outcome.BestStoredTrial.Parameters.ToJson()}");
            Console.WriteLine($"test cross-entropy {metrics.CrossEntropy:F4} nats/shot, exact committor {metrics.ReferenceCrossEntropy:F4}, " +
                $"excess {metrics.ExcessCrossEntropy:F4}, RMSE of p_B {metrics.RmseToReference:F3}");
            var reportPath = Path.Combine(dir, "report.html");
            StudyReport.Write(StudyReportInput.FromStudy(store, "demo", trainPath).WithAnalysis(store, trainPath), reportPath);
            Console.WriteLine($"model:  {modelPath}\nstudy:  {storageUrl} (study 'demo')\nreport: {reportPath}");
            return 0;
        })));
        return command;
    }
}
