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
    [InlineData("elu", CommittorOptimizer.AdamW, 64, 0.0, 0.05)]
    [InlineData("tanh", CommittorOptimizer.Adam, 0, 0.0, 0.05)]
    public void Fused_and_autograd_engines_follow_the_same_trajectory(string activation, CommittorOptimizer optimizer, int batch, double dropout, double lasso = 0)
    {
        var (data, _) = SyntheticCommittor.Sample(301, 5, seed: 21); // 241 training rows: the last mini-batch is short
        void Configure(CommittorTrainerOptions o)
        {
            o.Activation = activation; o.Optimizer = optimizer; o.BatchSize = batch; o.Dropout = dropout; o.InputGroupLasso = lasso;
        }
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
        if (lasso > 0)
            ColumnNorms(fused.Network.Layers[0]).Should().Contain(0f, "the CV selection cut some CV in both engines alike");
    }

    [Fact]
    public void Cv_selection_cuts_the_cvs_the_committor_does_not_depend_on_and_keeps_the_two_it_does()
    {
        var (data, _) = SyntheticCommittor.Sample(2000, 10, seed: 5);
        var (train, validation) = CommittorTraining.Split(data, 0.2, new Random(1));
        var options = new CommittorTrainerOptions
        {
            LayerWidths = [32, 32], Activation = "elu", Optimizer = CommittorOptimizer.AdamW, LearningRate = 1e-2, WeightDecay = 1e-4,
            BatchSize = 0, MaxEpochs = 1000, Patience = 50, Seed = 3, InputGroupLasso = 1e-3,
        };
        var norms = ColumnNorms(CommittorTraining.Train(train, validation, SyntheticCommittor.Inputs, options).Network.Layers[0]);
        output.WriteLine($"first-layer column norms: {string.Join(" ", norms.Select(n => n.ToString("F3")))}");
        norms[0].Should().BeGreaterThan(0.5f, "x0 carries the committor");
        norms[1].Should().BeGreaterThan(0.5f, "x1 carries the committor");
        norms.Skip(2).Count(n => n == 0).Should().BeGreaterThanOrEqualTo(6, "at least 6 of the 8 noise CVs are cut exactly");
    }

    /// <summary>The norm of each input column of a first layer's weight ([out, in], row-major).</summary>
    private static float[] ColumnNorms(DenseLayer layer) =>
        Enumerable.Range(0, layer.In).Select(c => MathF.Sqrt(Enumerable.Range(0, layer.Out)
            .Sum(r => layer.Weight[r * layer.In + c] * layer.Weight[r * layer.In + c]))).ToArray();

    [Fact]
    public void Auto_picks_fused_for_plain_networks_and_autograd_otherwise()
    {
        var (data, _) = SyntheticCommittor.Sample(120, 5, seed: 22);
        Train(data, TrainingEngine.Auto, _ => { }).Engine.Should().Be(TrainingEngine.Fused);
        Train(data, TrainingEngine.Auto, o => o.Activation = "gelu").Engine.Should().Be(TrainingEngine.Autograd);
        Train(data, TrainingEngine.Auto, o => o.Normalization = LayerNormalization.Layer).Engine.Should().Be(TrainingEngine.Autograd);
        CommittorModel.ResolveEngine(new CommittorTrainerOptions { Device = "cuda" }).Should().Be(TrainingEngine.Autograd);
    }

    [Fact]
    public void Asking_for_the_fused_engine_on_an_unsupported_network_says_why()
    {
        var (data, _) = SyntheticCommittor.Sample(120, 5, seed: 23);
        var act = () => Train(data, TrainingEngine.Fused, o => o.Normalization = LayerNormalization.Batch);
        act.Should().Throw<ArgumentException>().WithMessage("*fused*normalization*Batch*");
    }

    [Fact]
    public void Small_batches_are_split_across_threads_each_single_threaded_and_the_callers_count_comes_back()
    {
        var (data, _) = SyntheticCommittor.Sample(200, 5, seed: 24);
        TorchRuntime.EnsureLoaded();
        int before = torch.get_num_threads();
        var seen = new List<int>();
        var options = new CommittorTrainerOptions { BatchSize = 64, MaxEpochs = 2, OnEpoch = _ => { seen.Add(torch.get_num_threads()); return true; } };
        CommittorTraining.Train(data, null, SyntheticCommittor.Inputs, options);
        seen.Should().OnlyContain(n => n == 1);
        torch.get_num_threads().Should().Be(before);

        var three = new CommittorTrainerOptions { Threads = 3, Nodes = 100 }; // 45 -> 3 x 100 -> 1: 38 MFLOP per 256-row step
        three.ThreadPlan(256, 45, TrainingEngine.Fused).Should().Be((1, 3));
        three.ThreadPlan(128, 45, TrainingEngine.Fused).Should().Be((1, 1), "19 MFLOP are worth only one slice of 10");
        new CommittorTrainerOptions { Threads = 4, Nodes = 400 }.ThreadPlan(96, 45, TrainingEngine.Fused).Should().Be((1, 3), "a slice needs 32 rows");
        three.ThreadPlan(256, 45, TrainingEngine.Autograd).Should().Be((1, 1));
        three.ThreadPlan(20_000, 45, TrainingEngine.Fused).Should().Be((3, 1), "large batches use torch's intra-op threads");
        new CommittorTrainerOptions { Threads = 2, Nodes = 16 }.ThreadPlan(300, 8, TrainingEngine.Fused).Should().Be((1, 1), "small networks are all call overhead");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void Splitting_batches_across_threads_changes_only_rounding_and_stays_reproducible(double dropout)
    {
        var (data, _) = SyntheticCommittor.Sample(700, 5, seed: 25);
        void Configure(CommittorTrainerOptions o) { o.BatchSize = 200; o.Nodes = 200; o.Dropout = dropout; }
        CommittorTrainingResult Run(int threads) => Train(data, TrainingEngine.Fused, o => { Configure(o); o.Threads = threads; });
        var plan = new CommittorTrainerOptions { HiddenLayers = 2 };
        Configure(plan);
        plan.Threads = 4;
        plan.ThreadPlan(200, SyntheticCommittor.Dimensions, TrainingEngine.Fused).Should().Be((1, 4), "this network is big enough to split 4 ways");
        var one = Run(1);
        var two = Run(2);
        var twoAgain = Run(2);
        var four = Run(4);
        twoAgain.Network.Layers[0].Weight.Should().Equal(two.Network.Layers[0].Weight, "the slices' gradients are summed in a fixed order");
        foreach (var other in new[] { two, four })
            for (int l = 0; l < one.Network.Layers.Count; l++)
            {
                double maxDiff = one.Network.Layers[l].Weight.Zip(other.Network.Layers[l].Weight, (x, y) => Math.Abs(x - y)).Max();
                output.WriteLine($"layer {l}: max |sliced - whole| = {maxDiff:E2}");
                maxDiff.Should().BeLessThan(2e-4);
            }
        four.ValidationLoss.Should().BeApproximately(one.ValidationLoss, 1e-4);
    }

    [Fact]
    public void A_failure_on_a_worker_thread_reaches_the_caller()
    {
        using var workers = new BatchWorkers(2, adaptive: false);
        var ran = new int[3];
        workers.Run(3, k => ran[k]++);
        ran.Should().Equal(1, 1, 1);
        var act = () => workers.Run(3, k => { if (k == 2) throw new InvalidOperationException("slice 2 failed"); });
        act.Should().Throw<InvalidOperationException>().WithMessage("slice 2 failed");
        workers.Run(2, k => ran[k]++);
        ran.Should().Equal(new[] { 2, 2, 1 }, "only the slices asked for run, and the workers survive a failure");
        workers.ParallelRuns.Should().Be(3);
    }

    [Fact]
    public void Adaptive_workers_time_both_ways_of_running_and_run_every_slice_either_way()
    {
        using var workers = new BatchWorkers(1);
        var sums = new long[2];
        for (int run = 0; run < 40; run++)
            workers.Run(2, k => { long s = 0; for (int i = 0; i < 20_000; i++) s += i % (k + 2); Interlocked.Add(ref sums[k], s); });
        sums[0].Should().Be(40L * Enumerable.Range(0, 20_000).Sum(i => (long)(i % 2)));
        sums[1].Should().Be(40L * Enumerable.Range(0, 20_000).Sum(i => (long)(i % 3)));
        workers.ParallelRuns.Should().BeInRange(6, 40, "the warm-up alternates, so both ways are timed");
    }

    [Fact]
    public void Mode_chooser_follows_the_faster_mode_and_is_not_flipped_by_one_slow_run()
    {
        var chooser = new ModeChooser();
        // Simulated durations: on the workers 300, one after the other 600; run 30 is stretched (descheduled) to 5000.
        var choices = new List<bool>();
        var recorded = new List<bool>();
        for (int run = 0; run < 200; run++)
        {
            bool parallel = chooser.Next(out bool record);
            choices.Add(parallel);
            recorded.Add(record);
            if (record) chooser.Record(parallel, run == 30 ? 5000 : parallel ? 300 : 600);
        }
        choices.Take(ModeChooser.WarmUpRuns).Should().Equal(Enumerable.Range(0, ModeChooser.WarmUpRuns).Select(r => r % 2 == 1), "the warm-up alternates");
        choices.Skip(ModeChooser.WarmUpRuns).Count(p => !p).Should().Be(4 * ModeChooser.Burst, "after the warm-up only the explore bursts (runs 48, 96, 144, 192) run one after the other");
        choices[48].Should().BeFalse();
        recorded[48].Should().BeFalse("the first run of a burst is not timed");
        recorded[49].Should().BeTrue();

        // When the workers get slow for good (another load), the chooser moves over within a window of runs.
        for (int run = 0; run < 2 * ModeChooser.Window; run++)
        {
            bool parallel = chooser.Next(out bool record);
            if (record) chooser.Record(parallel, parallel ? 2000 : 600);
        }
        Enumerable.Range(0, 20).Count(_ => chooser.Next(out bool _)).Should().BeLessThan(5);
    }

    [Theory]
    [InlineData(TrainingEngine.Fused)]
    [InlineData(TrainingEngine.Autograd)]
    public void The_same_training_repeated_after_others_gives_bit_identical_results(TrainingEngine engine)
    {
        // A seeded training must not depend on what ran before it in the process (allocator state, worker threads).
        var (data, _) = SyntheticCommittor.Sample(400, 5, seed: 23);
        void Same(CommittorTrainerOptions o) { o.Nodes = 37; o.MaxEpochs = 20; o.BatchSize = 0; }
        var first = Train(data, engine, Same);
        foreach (var nodes in new[] { 5, 64, 19, 50 })
            Train(data, engine, o => { o.Nodes = nodes; o.MaxEpochs = 5; o.BatchSize = 0; });
        var again = Train(data, engine, Same);
        again.TrainLoss.Should().Be(first.TrainLoss);
        again.Network.Layers.SelectMany(l => l.Weight).Should().Equal(first.Network.Layers.SelectMany(l => l.Weight));
    }
}
