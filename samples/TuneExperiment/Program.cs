// The experiment API from C#, as in ML.NET AutoML: a sweepable pipeline, a custom tuner, a monitor, and a study
// stored in SQLite (run it twice: the second run resumes the study).
//   dotnet run --project samples/TuneExperiment -- [output-folder] [trials] [epochs]
using Microsoft.ML;
using RcML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Simulation;
using RcML.Storage;

string folder = args.Length > 0 ? args[0] : "tune-experiment-output";
int trials = args.Length > 1 ? int.Parse(args[1]) : 15;
int epochs = args.Length > 2 ? int.Parse(args[2]) : 400;
Directory.CreateDirectory(folder);

var csv = Path.Combine(folder, "double-well.csv");
if (!File.Exists(csv))
    ShootingCsv.Write(new ShootingSimulator(new ShootingSimulator.Options
    {
        System = ModelSystems.Get("double-well"), Points = 800, ShotsPerPoint = 10, NoiseDimensions = 4, Seed = 3,
    }).Run(), csv);

var ml = new MLContext(seed: 1);
var data = ml.ReactionCoordinates().Data.Load(csv);
var split = ml.Data.TrainTestSplit(data.ToDataView(), testFraction: 0.2, seed: 1);

// A smaller space than the default CommittorSearchSpace, built in code.
var space = new SearchSpace()
    .AddInt("layers", 1, 3)
    .AddInt("nodes_1", 8, 128, log: true)
    .AddInt("nodes_2", 8, 128, log: true, when: Condition.AtLeast("layers", 2))
    .AddInt("nodes_3", 8, 128, log: true, when: Condition.AtLeast("layers", 3))
    .AddChoice("activation", ["tanh", "silu", "relu"])
    .AddFloat("learning_rate", 1e-4, 3e-2, log: true)
    .AddFloat("weight_decay", 1e-8, 1e-2, log: true);

var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
    .Append(ml.ReactionCoordinates().Auto().Committor(space, new CommittorTrainerOptions
    {
        Inputs = data.Features.ToList(), MaxEpochs = epochs, Patience = 40,
    }));

using var storage = StudyStorage.Open("sqlite:///" + Path.Combine(folder, "study.db"));
var experiment = ml.ReactionCoordinates().CreateExperiment()
    .SetPipeline(pipeline)
    .SetDataset(split.TrainSet, split.TestSet)
    .SetTuner(new ExploreExploitTuner(space, seed: 1))    // a custom tuner plugs in through ITuner
    .SetMonitor(new ConsoleMonitor())
    .SetPruner(new SuccessiveHalvingPruner(minSteps: 20))
    .SetStorage(storage, "double-well")
    .SetModelInputColumns(data.FeatureNames)
    .SetMaxTrials(trials)
    .SetTrainingTimeInSeconds(600);

var result = await experiment.RunAsync();
Console.WriteLine($"best trial #{result.BestStoredTrial.Number}: {result.BestTrial.Loss:F4} nats/shot with {result.BestStoredTrial.Parameters}");
CommittorModelFile.Save(ml, result.BestTrial.Model!, data.FeatureNames, Path.Combine(folder, "best.zip"));

/// <summary>
/// A custom tuner: every third proposal explores at random, the others exploit through the Gaussian-process tuner.
/// Both tuners hear every result, so the GP learns from the random points too.
/// </summary>
sealed class ExploreExploitTuner(SearchSpace space, int seed) : ITuner
{
    private readonly GaussianProcessTuner _exploit = new(space, seed);
    private readonly RandomSearchTuner _explore = new(space, seed + 1);
    private int _proposals;

    public Parameter Propose(TrialSettings settings) =>
        ++_proposals % 3 == 0 ? _explore.Propose(settings) : _exploit.Propose(settings);

    public void Update(TrialResult result)
    {
        _exploit.Update(result);
        _explore.Update(result);
    }
}

/// <summary>Prints each trial as it finishes.</summary>
sealed class ConsoleMonitor : IMonitor
{
    public void ReportRunningTrial(TrialSettings settings) => Console.WriteLine($"trial {settings.TrialId} running: {settings.Parameter}");
    public void ReportCompletedTrial(TrialResult result) =>
        Console.WriteLine($"trial {result.TrialSettings.TrialId} {(result.IsPruned ? "pruned" : "done")}: {result.Loss:F4} nats/shot in {result.DurationInMilliseconds / 1000:F1} s");
    public void ReportBestTrial(TrialResult result) => Console.WriteLine($"  new best: trial {result.TrialSettings.TrialId}");
    public void ReportFailTrial(TrialSettings settings, Exception? exception = null) => Console.WriteLine($"trial {settings.TrialId} failed: {exception?.Message}");
}
