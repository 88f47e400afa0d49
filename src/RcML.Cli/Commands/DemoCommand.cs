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
        trials.AtLeast(1);
        points.AtLeast(20);
        command.SetAction(result => CliRun.Guard(() =>
        {
            var dir = Directory.CreateDirectory(result.GetValue(folder)!).FullName;
            int seedValue = result.GetValue(seed), pointCount = result.GetValue(points), trialCount = result.GetValue(trials);
            var system = ModelSystems.Get("muller-brown");

            Console.WriteLine($"1/3 simulating Muller-Brown shooting data (exact committor from the backward Kolmogorov equation) in {dir}");
            string trainPath = Path.Combine(dir, "muller-brown.csv"), testPath = Path.Combine(dir, "muller-brown-test.csv");
            ShootingCsv.Write(SimulateCommand.Simulate(system, pointCount, 20, 6, seedValue), trainPath);
            ShootingCsv.Write(SimulateCommand.Simulate(system, 1000, 20, 6, seedValue + 1000), testPath);

            var shooting = ShootingData.Load(trainPath);
            var storageUrl = "sqlite:///" + Path.Combine(dir, "study.db");
            using var store = StudyStorage.Open(storageUrl);
            var attributes = new Dictionary<string, string> { ["points"] = $"{pointCount}", ["seed"] = $"{seedValue}" };
            Console.WriteLine($"2/3 {Resume(store, attributes, trialCount, storageUrl)}: Gaussian-process tuner, {shooting.Count} configurations, {shooting.Features.Count} CVs");
            var modelPath = Path.Combine(dir, "best.zip");
            var outcome = new TuningJob
            {
                Data = shooting,
                Store = store,
                Study = Study,
                Attributes = attributes,
                Tuner = (space, s) => new GaussianProcessTuner(space, s, new GaussianProcessTunerOptions { NumberOfInitialTrials = Math.Max(3, trialCount / 3) }),
                Pruner = new MedianPruner(startupTrials: 3, warmupSteps: 40),
                Seed = seedValue,
                MaxTrials = trialCount,
                TrialOptions = new CommittorTrainerOptions { MaxEpochs = 400, Patience = 40 },
                Verbose = true,
                ModelPath = modelPath,
            }.Run(CliRun.Interruption);

            Console.WriteLine("3/3 evaluating the best model on independent test data, writing the study report");
            var ml = new MLContext(seed: seedValue);
            var test = ShootingData.Load(testPath, new ShootingDataOptions { Features = shooting.FeatureNames.ToList() });
            var (transformer, _) = CommittorModelFile.Load(ml, modelPath);
            var (_, p) = CommittorModelFile.Score(transformer, test.ToDataView());
            var metrics = CommittorMetrics.Compute(p, test.CountA, test.CountB, test.References["ref_committor"]);
            Console.WriteLine($"best trial #{outcome.BestStoredTrial.Number}: {outcome.BestStoredTrial.Parameters.ToJson()}");
            Console.WriteLine($"test cross-entropy {metrics.CrossEntropy:F4} nats/shot, exact committor {metrics.ReferenceCrossEntropy:F4}, " +
                $"excess {metrics.ExcessCrossEntropy:F4}, RMSE of p_B {metrics.RmseToReference:F3}");
            var reportPath = Path.Combine(dir, "report.html");
            StudyReport.Write(StudyReportInput.FromStudy(store, Study, trainPath).WithAnalysis(store, trainPath), reportPath);
            Console.WriteLine($"model:  {modelPath}\nstudy:  {storageUrl} (study '{Study}')\nreport: {reportPath}");
            return outcome.Interrupted ? CliRun.Interrupted : 0;
        }));
        return command;
    }

    private const string Study = "demo";

    /// <summary>
    /// Says whether the demo starts a fresh study or resumes one; a study made with other --points or --seed holds
    /// trials on other data, so it is replaced.
    /// </summary>
    private static string Resume(IStudyStorage store, IReadOnlyDictionary<string, string> attributes, int trials, string url)
    {
        if (store.FindStudy(Study) is { } existing)
        {
            if (attributes.All(a => existing.Attributes.GetValueOrDefault(a.Key) == a.Value))
            {
                store.FailAbandonedTrials(existing.StudyId);
                int finished = TuningJob.Finished(store.GetTrials(existing.StudyId));
                return finished >= trials
                    ? $"resuming the finished study '{Study}' in {url}: it holds {finished} finished trials (--trials {trials}), so nothing is trained; raise --trials or use another --out to tune more"
                    : $"resuming study '{Study}' in {url} ({finished} finished trials): tuning {trials - finished} more committor networks";
            }
            store.DeleteStudy(Study);
            Console.WriteLine($"    the study in {url} was made with other --points or --seed; replacing it");
        }
        return $"starting a fresh study '{Study}' in {url}: tuning {trials} committor networks";
    }
}
