using FluentAssertions;
using RcML.Committor;
using RcML.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Committor;

public class CommittorTrainingTests(ITestOutputHelper output)
{
    /// <summary>q of every row by the exported description's own forward pass (no TorchSharp).</summary>
    private static float[] Logits(CommittorTrainingResult result, ShootingMatrix data)
    {
        var evaluator = new CommittorNetworkEvaluator(result.Network);
        var row = new double[data.Columns];
        return Enumerable.Range(0, data.Rows).Select(r =>
        {
            for (int c = 0; c < row.Length; c++) row[c] = data.Row(r)[c];
            return (float)evaluator.ReactionCoordinate(row);
        }).ToArray();
    }

    [Fact]
    public void Default_settings_come_within_0_01_nats_per_shot_of_the_exact_committor()
    {
        var (train, _) = SyntheticCommittor.Sample(3000, 10, seed: 1);
        var (test, truth) = SyntheticCommittor.Sample(4000, 10, seed: 2);

        var result = CommittorTraining.Train(train, null, SyntheticCommittor.Inputs, new CommittorTrainerOptions());

        double model = CommittorLoss.PerShot(Logits(result, test), test.CountA, test.CountB);
        double exact = CommittorLoss.PerShotFromProbability(truth, test.CountA, test.CountB);
        output.WriteLine($"model {model:F4} exact {exact:F4} excess {model - exact:F4} epochs {result.History.Count} best {result.BestEpoch} {result.StopReason} {result.Duration}");
        (model - exact).Should().BeLessThan(0.010);
        result.History.Should().NotBeEmpty();
    }

    [Fact]
    public void Early_stopping_restores_the_best_validation_weights()
    {
        var (data, _) = SyntheticCommittor.Sample(400, 5, seed: 3);
        var options = new CommittorTrainerOptions { Nodes = 128, LearningRate = 1e-2, Patience = 20, MaxEpochs = 400 };
        var result = CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, options);
        result.StopReason.Should().Be(StopReason.EarlyStopping);
        result.History.Count.Should().Be(result.BestEpoch + options.Patience);
        result.ValidationLoss.Should().BeApproximately(result.History[result.BestEpoch - 1].ValidationLoss, 1e-5);
    }

    [Fact]
    public void Same_seed_gives_identical_networks_and_other_seeds_do_not()
    {
        var (data, _) = SyntheticCommittor.Sample(300, 5, seed: 4);
        CommittorTrainingResult Run(int seed) => CommittorTraining.Train(data, null, SyntheticCommittor.Inputs,
            new CommittorTrainerOptions { Seed = seed, MaxEpochs = 30, BatchSize = 64, Dropout = 0.1 });
        var first = Run(7);
        var again = Run(7);
        var other = Run(8);
        again.Network.Layers[0].Weight.Should().Equal(first.Network.Layers[0].Weight);
        again.TrainLoss.Should().Be(first.TrainLoss);
        other.Network.Layers[0].Weight.Should().NotEqual(first.Network.Layers[0].Weight);
    }

    [Theory]
    [InlineData(LayerNormalization.Batch, "relu", CommittorOptimizer.AdamW, 64)]
    [InlineData(LayerNormalization.Layer, "tanh", CommittorOptimizer.Adam, 0)]
    public void Exported_description_reproduces_the_trained_network(LayerNormalization norm, string activation, CommittorOptimizer optimizer, int batch)
    {
        var (data, _) = SyntheticCommittor.Sample(300, 5, seed: 5);
        var result = CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, new CommittorTrainerOptions
        {
            Normalization = norm, Activation = activation, Optimizer = optimizer, BatchSize = batch, MaxEpochs = 50, HiddenLayers = 2, Nodes = 16,
        });
        // The spec's forward pass gives the same training loss TorchSharp computed in inference mode,
        // which checks batch-norm folding and layer norm export.
        var (train, _) = CommittorTraining.Split(data, 0.2, new Random(1));
        double fromSpec = CommittorLoss.PerShot(Logits(result, train), train.CountA, train.CountB);
        fromSpec.Should().BeApproximately(result.TrainLoss, 1e-4);
    }

    [Fact]
    public void A_diverging_learning_rate_is_reported_not_hidden()
    {
        var (data, _) = SyntheticCommittor.Sample(200, 5, seed: 6);
        var options = new CommittorTrainerOptions { LearningRate = 1e6, Activation = "relu", MaxEpochs = 200, Patience = 200 };
        var act = () => CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, options);
        // Either the loss blows up (diverged) or training survives; it must never return NaN silently.
        try { act().ValidationLoss.Should().NotBe(double.NaN); }
        catch (TrainingDivergedException e) { e.Message.Should().Contain("learning rate"); }
    }
}
