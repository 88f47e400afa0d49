using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;

namespace RcML.Tests;

/// <summary>
/// The tuning experiment the tests run: tiny shooting data, a small search space, a fixed 75/25 split; each test
/// sets its own tuner, pruner, seed and budget on the returned experiment.
/// </summary>
internal static class TestStudies
{
    /// <summary>Synthetic shooting data (<see cref="SyntheticCsv"/>, the angle phi periodic) written to and loaded from <paramref name="path"/>.</summary>
    public static ShootingData Data(string path, int rows = 160) =>
        ShootingData.Load(SyntheticCsv.Write(path, rows), new ShootingDataOptions { Periodic = ["phi"] });

    /// <summary>1-2 layers of 4-16 nodes, learning rate and activation: trials of a fraction of a second on tiny data.</summary>
    public static SearchSpace SmallSpace() => new SearchSpace()
        .AddInt("layers", 1, 2)
        .AddInt("nodes_1", 4, 16, log: true)
        .AddInt("nodes_2", 4, 16, log: true, when: Condition.AtLeast("layers", 2))
        .AddFloat("learning_rate", 1e-3, 3e-2, log: true)
        .AddChoice("activation", ["tanh", "silu"]);

    /// <summary>
    /// An experiment tuning <paramref name="space"/> over <paramref name="data"/>'s features (trained on 75%, scored on
    /// 25%, split with seed 1), stored as <paramref name="study"/> in <paramref name="storage"/>.
    /// </summary>
    public static CommittorExperiment Experiment(MLContext ml, ShootingData data, SearchSpace space, CommittorTrainerOptions options,
        IStudyStorage storage, string study, IReadOnlyDictionary<string, string>? attributes = null)
    {
        options.Inputs = data.Features.ToList();
        var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Auto().Committor(space, options));
        var split = ml.Data.TrainTestSplit(data.ToDataView(), 0.25, seed: 1);
        return ml.ReactionCoordinates().CreateExperiment()
            .SetPipeline(pipeline)
            .SetDataset(split.TrainSet, split.TestSet)
            .SetStorage(storage, study, attributes)
            .SetModelInputColumns(data.FeatureNames);
    }
}
