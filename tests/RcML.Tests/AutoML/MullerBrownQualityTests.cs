using FluentAssertions;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Simulation;
using RcML.Storage;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.AutoML;

/// <summary>
/// The tuning quality bar: on simulated Muller-Brown data (1,500 points, 20 shots, 6 noise CVs) a 20-trial GP study
/// gives a model within 0.005 nats/shot of the exact committor on independent test data.
/// </summary>
public class MullerBrownQualityTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private ShootingData Simulate(string name, long seed)
    {
        var path = _dir.File(name);
        ShootingCsv.Write(new ShootingSimulator(new ShootingSimulator.Options { Points = 1500, ShotsPerPoint = 20, NoiseDimensions = 6, Seed = seed }).Run(), path);
        return ShootingData.Load(path);
    }

    [Fact]
    public async Task A_20_trial_GP_study_comes_within_0_005_nats_per_shot_of_the_exact_committor()
    {
        var train = Simulate("mb.csv", 11);
        var test = Simulate("mb-test.csv", 12);
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", train.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(baseOptions: new CommittorTrainerOptions
            {
                Inputs = train.Features.ToList(), MaxEpochs = 1000, Patience = 50,
            }));
        var split = ml.Data.TrainTestSplit(train.ToDataView(), 0.2, seed: 1);
        using var storage = new InMemoryStudyStorage();
        var result = await ml.ReactionCoordinates().CreateExperiment()
            .SetPipeline(pipeline).SetDataset(split.TrainSet, split.TestSet)
            .SetTuner((space, seed) => new GaussianProcessTuner(space, seed))
            .SetPruner(new MedianPruner())
            .SetMaxTrials(20).SetSeed(1).SetStorage(storage, "mb")
            .RunAsync();

        var (_, p) = CommittorModelFile.Score(result.BestTrial.Model!, test.ToDataView());
        var metrics = CommittorMetrics.Compute(p, test.CountA, test.CountB, test.References["ref_committor"]);
        output.WriteLine($"best #{result.BestStoredTrial.Number} {result.BestStoredTrial.Parameters}: test CE {metrics.CrossEntropy:F5}, exact {metrics.ReferenceCrossEntropy:F5}, excess {metrics.ExcessCrossEntropy:F5}");
        result.Trials.Should().HaveCount(20);
        metrics.ExcessCrossEntropy.Should().BeLessThan(0.005);
    }
}
