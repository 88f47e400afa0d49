using FluentAssertions;
using RcML.Committor;
using RcML.Native;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Committor;

/// <summary>The fused engine (hand-written backward, flat Adam) must train the same network as autograd + torch.optim.</summary>
public class TrainingEngineTests(ITestOutputHelper output)
{
    private static CommittorTrainingResult Train(ShootingMatrix data, TrainingEngine engine, Action<CommittorTrainerOptions> configure)
    {
        var options = new CommittorTrainerOptions
        {
            Engine = engine, HiddenLayers = 2, Nodes = 12, MaxEpochs = 6, BatchSize = 64, LearningRate = 3e-3, WeightDecay = 1e-3,
            Patience = 1000, Seed = 11,
        };
        configure(options);
        return CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, options);
    }

    [Theory]
    [InlineData("tanh", CommittorOptimizer.Adam, 64, 0.0)]
    [InlineData("sigmoid", CommittorOptimizer.AdamW, 64, 0.0)]
    [InlineData("relu", CommittorOptimizer.Adam, 0, 0.0)]
    [InlineData("leaky_relu", CommittorOptimizer.AdamW, 0, 0.0)]
    [InlineData("elu", CommittorOptimizer.Adam, 64, 0.0)]
    [InlineData("elu", CommittorOptimizer.Adam, 0, 0.0)]
    [InlineData("softplus", CommittorOptimizer.Adam, 64, 0.0)]
    [InlineData("tanh", CommittorOptimizer.Adam, 64, 0.2)]
    [InlineData("relu", CommittorOptimizer.AdamW, 50, 0.3)]
    public void Fused_and_autograd_engines_follow_the_same_trajectory(string activation, CommittorOptimizer optimizer, int batch, double dropout)
    {
        var (data, _) = SyntheticCommittor.Sample(301, 5, seed: 21); // 241 training rows: the last mini-batch is short
        void Configure(CommittorTrainerOptions o) { o.Activation = activation; o.Optimizer = optimizer; o.BatchSize = batch; o.Dropout = dropout; }
        var autograd = Train(data, TrainingEngine.Autograd, Configure);
        var fused = Train(data, TrainingEngine.Fused, Configure);

        autograd.Engine.Should().Be(TrainingEngine.Autograd);
        fused.Engine.Should().Be(TrainingEngine.Fused);
        for (int l = 0; l < fused.Network.Layers.Count; l++)
        {
            var a = autograd.Network.Layers[l];
            var f = fused.Network.Layers[l];
            f.Activation.Should().Be(a.Activation);
            double maxDiff = a.Weight.Zip(f.Weight, (x, y) => Math.Abs(x - y)).Concat(a.Bias.Zip(f.Bias, (x, y) => Math.Abs(x - y))).Max();
            output.WriteLine($"layer {l}: max |fused - autograd| = {maxDiff:E2}");
            maxDiff.Should().BeLessThan(2e-4, $"layer {l}'s weights must match after {autograd.History.Count} epochs");
        }
        for (int e = 0; e < autograd.History.Count; e++)
        {
            fused.History[e].TrainLoss.Should().BeApproximately(autograd.History[e].TrainLoss, 1e-4);
            fused.History[e].ValidationLoss.Should().BeApproximately(autograd.History[e].ValidationLoss, 1e-4);
        }
        fused.ValidationLoss.Should().BeApproximately(autograd.ValidationLoss, 1e-4);
        // And training did something: the loss fell from the first epoch.
        fused.History[^1].TrainLoss.Should().BeLessThan(fused.History[0].TrainLoss);
    }

    [Fact]
    public void Auto_picks_fused_for_plain_networks_and_autograd_otherwise()
    {
        var (data, _) = SyntheticCommittor.Sample(120, 5, seed: 22);
        Train(data, TrainingEngine.Auto, _ => { }).Engine.Should().Be(TrainingEngine.Fused);
        Train(data, TrainingEngine.Auto, o => o.Activation = "gelu").Engine.Should().Be(TrainingEngine.Autograd);
        Train(data, TrainingEngine.Auto, o => o.Normalization = LayerNormalization.Layer).Engine.Should().Be(TrainingEngine.Autograd);
    }

    [Fact]
    public void Asking_for_the_fused_engine_on_an_unsupported_network_says_why()
    {
        var (data, _) = SyntheticCommittor.Sample(120, 5, seed: 23);
        var act = () => Train(data, TrainingEngine.Fused, o => o.Normalization = LayerNormalization.Batch);
        act.Should().Throw<ArgumentException>().WithMessage("*fused*normalization*Batch*");
    }

    [Fact]
    public void Small_batches_train_on_one_intra_op_thread_and_the_callers_count_comes_back()
    {
        var (data, _) = SyntheticCommittor.Sample(200, 5, seed: 24);
        TorchRuntime.EnsureLoaded();
        int before = torch.get_num_threads();
        var seen = new List<int>();
        var options = new CommittorTrainerOptions { BatchSize = 32, MaxEpochs = 2, OnEpoch = _ => { seen.Add(torch.get_num_threads()); return true; } };
        CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, options);
        seen.Should().OnlyContain(n => n == 1);
        torch.get_num_threads().Should().Be(before);

        options.EffectiveIntraOpThreads(32).Should().Be(1);
        options.EffectiveIntraOpThreads(100_000).Should().Be(0, "large batches keep torch's own setting");
        new CommittorTrainerOptions { IntraOpThreads = 3 }.EffectiveIntraOpThreads(32).Should().Be(3);
    }
}
