using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RcML.Committor;
using TorchSharp;
using static RcML.Bench.Stats;
using static TorchSharp.torch;

namespace RcML.Bench;

public static class TrainingBench
{
    /// <summary>Dense float32 matmul rate (FLOP/s) of this libtorch with the current thread count.</summary>
    public static double GemmFlops(int n = 1024, int reps = 10)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var a = randn(n, n, generator: g);
        var b = randn(n, n, generator: g);
        for (int i = 0; i < 2; i++) a.matmul(b).Dispose();
        var best = double.PositiveInfinity;
        // Best of 3 blocks of reps: the peak the machine reaches, less sensitive to other load.
        for (int block = 0; block < 3; block++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n * reps / best;
    }

    /// <summary>Trains with RcML's CommittorTraining; per-epoch seconds for epochs 2..E (epoch 1 includes setup).</summary>
    public static (double[] EpochSeconds, double TotalSeconds, double FinalLoss) RunRcml(TrainCase c, ShootingMatrix data, int seed) =>
        RunRcmlCpu(c, data, seed) is var r ? (r.EpochSeconds, r.TotalSeconds, r.FinalLoss) : default;

    /// <summary>As <see cref="RunRcml"/>, plus process CPU seconds per epoch (robust to other load on the machine).</summary>
    public static (double[] EpochSeconds, double[] EpochCpuSeconds, double TotalSeconds, double FinalLoss) RunRcmlCpu(TrainCase c, ShootingMatrix data, int seed)
    {
        var cpu = new List<double>();
        var inputs = Enumerable.Range(0, c.Inputs).Select(i => new NetworkInput($"cv{i}", InputKind.Linear)).ToArray();
        var stamps = new List<double>();
        var options = new CommittorTrainerOptions
        {
            LayerWidths = c.Widths, Activation = "tanh", BatchSize = c.Batch, MaxEpochs = c.Epochs,
            ValidationFraction = c.ValidationFraction, Patience = 1_000_000, LearningRate = 1e-3, WeightDecay = 0,
            Seed = seed, Standardize = true,
            OnEpoch = r => { stamps.Add(r.Elapsed.TotalSeconds); cpu.Add(Environment.CpuUsage.TotalTime.TotalSeconds); return true; },
        };
        var sw = Stopwatch.StartNew();
        var result = CommittorTraining.Train(data, null, inputs, options);
        var total = sw.Elapsed.TotalSeconds;
        var per = stamps.Zip(stamps.Skip(1), (p, q) => q - p).ToArray();
        var perCpu = cpu.Zip(cpu.Skip(1), (p, q) => q - p).ToArray();
        return (per, perCpu, total, result.History[^1].TrainLoss);
    }

    public static JsonNode RunPeer(BenchContext ctx, TrainCase c, string dataPath, int seed, int threads = 2)
    {
        var cfg = new JsonObject
        {
            ["data"] = dataPath, ["rows"] = c.Rows, ["cols"] = c.Inputs, ["widths"] = new JsonArray(c.Widths.Select(w => (JsonNode)w).ToArray()),
            ["batch"] = c.Batch, ["epochs"] = c.Epochs, ["validation_fraction"] = c.ValidationFraction, ["seed"] = seed,
            ["lr"] = 1e-3, ["weight_decay"] = 0.0, ["threads"] = threads, ["gemm"] = threads == 2,
        };
        return Peer.RunJson(ctx, "train_peer.py", cfg.ToJsonString());
    }

    public static JsonObject Run(BenchContext ctx, List<Svg.Series> plots)
    {
        int reps = ctx.Reps ?? (ctx.Quick ? 3 : 5);
        var cases = new List<TrainCase>
        {
            new("paper_minibatch", 45, [100, 100, 100], 20_000, 256, ctx.Quick ? 8 : 20),
            new("paper_fullbatch", 45, [100, 100, 100], 20_000, 0, ctx.Quick ? 8 : 20),
            new("small_minibatch", 8, [32, 32], 2_000, 256, ctx.Quick ? 20 : 50),
            new("small_fullbatch", 8, [32, 32], 2_000, 0, ctx.Quick ? 50 : 200),
        };
        cases.Add(new("paper_minibatch_with_validation", 45, [100, 100, 100], 20_000, 256, ctx.Quick ? 8 : 20, 0.2));
        if (ctx.Cases is not null) cases.RemoveAll(c => !ctx.Cases.Contains(c.Name));

        var gemm = new List<double>();
        var peerGemm = new List<double>();
        var outCases = new JsonObject();
        foreach (var c in cases)
        {
            var (path, data) = SyntheticData.Write(ctx.WorkDir, c.Rows, c.Inputs, 1234);
            var rcml = new List<double>(); var torchT = new List<double>(); var ratios = new List<double>();
            var rcmlCpu = new List<double>(); var torchCpu = new List<double>(); var cpuRatios = new List<double>();
            var rcmlTotal = new List<double>(); var torchTotal = new List<double>();
            var torch1 = new List<double>(); var bestPeerRatios = new List<double>();
            double rcmlLoss = double.NaN, torchLoss = double.NaN;
            for (int rep = 0; rep < reps; rep++)
            {
                // Alternate who goes first so slow drift in machine load does not favour one side.
                double rm = double.NaN, pm = double.NaN, rc = double.NaN, pc = double.NaN;
                for (int turn = 0; turn < 2; turn++)
                {
                    if ((turn + rep) % 2 == 0)
                    {
                        var (per, perCpu, total, loss) = RunRcmlCpu(c, data, 1 + rep);
                        rm = Median(per); rcml.Add(rm); rcmlTotal.Add(total); rcmlLoss = loss;
                        rc = Median(perCpu); rcmlCpu.Add(rc);
                        gemm.Add(GemmFlops());
                    }
                    else if (!ctx.NoPeer)
                    {
                        var peer = RunPeer(ctx, c, path, 1 + rep);
                        var per = peer["epoch_seconds"]!.AsArray().Select(v => v!.GetValue<double>()).Skip(1).ToArray();
                        pm = Median(per); torchT.Add(pm); torchTotal.Add(peer["total_seconds"]!.GetValue<double>());
                        torchLoss = peer["final_loss"]!.GetValue<double>();
                        pc = Median(peer["epoch_cpu_seconds"]!.AsArray().Select(v => v!.GetValue<double>()).Skip(1)); torchCpu.Add(pc);
                        peerGemm.Add(peer["gemm_flops"]!.GetValue<double>());
                    }
                }
                ratios.Add(rm / pm); cpuRatios.Add(rc / pc);
                // RcML runs torch on one thread per batch slice for small batches (CommittorTrainerOptions.Threads); the
                // peer at one thread as well shows the ratio does not come from PyTorch's thread hand-offs alone.
                double p1 = double.NaN;
                if (!ctx.NoPeer)
                {
                    p1 = Median(RunPeer(ctx, c, path, 1 + rep, threads: 1)["epoch_seconds"]!.AsArray().Select(v => v!.GetValue<double>()).Skip(1));
                    torch1.Add(p1); bestPeerRatios.Add(rm / Math.Min(pm, p1));
                }
                ctx.Log($"training {c.Name} rep {rep + 1}/{reps}: RcML {rm * 1e3:F1} ms/epoch ({rc * 1e3:F1} CPU), PyTorch {pm * 1e3:F1} ms/epoch ({pc * 1e3:F1} CPU), ratio {rm / pm:F2} (CPU {rc / pc:F2}); PyTorch 1 thread {p1 * 1e3:F1} ms/epoch");
            }
            outCases[c.Name] = new JsonObject
            {
                ["inputs"] = c.Inputs, ["widths"] = new JsonArray(c.Widths.Select(w => (JsonNode)w).ToArray()), ["rows"] = c.Rows,
                ["train_rows"] = c.TrainRows, ["batch"] = c.Batch == 0 ? "full" : c.Batch, ["epochs"] = c.Epochs,
                ["validation_fraction"] = c.ValidationFraction,
                ["flops_per_epoch"] = J(c.FlopsPerEpoch),
                ["rcml_epoch_seconds"] = Summary(rcml), ["pytorch_epoch_seconds"] = Summary(torchT),
                ["rcml_train_call_seconds"] = Summary(rcmlTotal), ["pytorch_train_seconds"] = Summary(torchTotal),
                ["rcml_over_pytorch_time"] = Summary(ratios),
                ["pytorch_1thread_epoch_seconds"] = Summary(torch1),
                ["rcml_over_faster_pytorch_thread_setting_time"] = Summary(bestPeerRatios),
                ["rcml_epoch_cpu_seconds"] = Summary(rcmlCpu), ["pytorch_epoch_cpu_seconds"] = Summary(torchCpu),
                ["rcml_over_pytorch_cpu_time"] = Summary(cpuRatios),
                ["rcml_flops_per_second"] = J(c.FlopsPerEpoch / Median(rcml)),
                ["pytorch_flops_per_second"] = J(c.FlopsPerEpoch / Median(torchT)),
                ["rcml_final_train_loss"] = J(rcmlLoss), ["pytorch_final_train_loss"] = J(torchLoss),
            };
        }
        double peak = Median(gemm);
        foreach (var (name, node) in outCases)
        {
            var o = node!.AsObject();
            o["fraction_of_gemm_peak"] = J((o["rcml_flops_per_second"]?.GetValue<double>() ?? double.NaN) / peak);
            o["pytorch_fraction_of_gemm_peak"] = J((o["pytorch_flops_per_second"]?.GetValue<double>() ?? double.NaN) / peak);
        }
        var head = outCases["paper_minibatch"] ?? outCases.First().Value!;
        var res = new JsonObject
        {
            ["headline_case"] = outCases.ContainsKey("paper_minibatch") ? "paper_minibatch" : outCases.First().Key,
            ["rcml_over_pytorch_time"] = head["rcml_over_pytorch_time"]!["median"]?.DeepClone(),
            ["fraction_of_gemm_peak"] = head["fraction_of_gemm_peak"]?.DeepClone(),
            ["rcml_over_pytorch_cpu_time"] = head["rcml_over_pytorch_cpu_time"]!["median"]?.DeepClone(),
            ["rcml_over_faster_pytorch_thread_setting_time"] = head["rcml_over_faster_pytorch_thread_setting_time"]!["median"]?.DeepClone(),
            ["rcml_intra_op_threads"] = "1 per batch slice for batch x widest layer <= 2^18 (all mini-batch cases here; a batch is split " +
                "across the 2 threads when each slice has >= 10 MFLOP of GEMM work), else torch's 2",
            ["gemm"] = new JsonObject
            {
                ["size"] = "1024x1024x1024 float32", ["threads"] = torch.get_num_threads(),
                ["torchsharp_flops_per_second"] = Summary(gemm), ["pytorch_flops_per_second"] = Summary(peerGemm),
            },
            ["method"] = "Both sides: same data file, inputs standardized once, same init scheme (U(+-1/sqrt(fan_in)) weights and biases), " +
                "binomial cross-entropy per shot, Adam lr 1e-3 no weight decay, one index_select shuffle per epoch then narrow views, " +
                "one loss sync per epoch. Time per epoch = median over epochs 2..E of wall time (the headline) and of process CPU time " +
                "(user+sys of all threads; less sensitive to other load on a shared machine). Cases without validation run RcML with " +
                "ValidationFraction = 0 (no per-epoch evaluation); the *_with_validation case has both sides evaluate a 20% hold-out " +
                "each epoch and snapshot the best weights. RcML and the peer alternate, each repetition in a fresh peer process.",
            ["repetitions"] = reps,
            ["cases"] = outCases,
        };
        return res;
    }

    /// <summary>Training time per epoch vs data size (paper network, mini-batch 256).</summary>
    public static JsonObject Scaling(BenchContext ctx, List<Svg.Series> plots)
    {
        int[] sizes = ctx.Quick ? [1_000, 10_000, 30_000] : [1_000, 3_000, 10_000, 30_000, 100_000];
        var rows = new JsonArray();
        var rc = new List<double>(); var pt = new List<double>();
        foreach (var n in sizes)
        {
            var c = new TrainCase($"scale_{n}", 45, [100, 100, 100], n, 256, n >= 30_000 ? 3 : 5);
            var (path, data) = SyntheticData.Write(ctx.WorkDir, n, 45, 99);
            // Three alternating repetitions per size (RcML first, then the peer first, ...); medians.
            var rr = new List<double>(); var pp = new List<double>();
            for (int rep = 0; rep < 3; rep++)
                for (int turn = 0; turn < 2; turn++)
                {
                    if ((turn + rep) % 2 == 0) rr.Add(Median(RunRcml(c, data, 1 + rep).EpochSeconds));
                    else pp.Add(Median(RunPeer(ctx, c, path, 1 + rep)["epoch_seconds"]!.AsArray().Select(v => v!.GetValue<double>()).Skip(1)));
                }
            rc.Add(Median(rr)); pt.Add(Median(pp));
            ctx.Log($"scaling N={n}: RcML {rc[^1]:F3} s/epoch, PyTorch {pt[^1]:F3} s/epoch");
            rows.Add(new JsonObject { ["points"] = n, ["rcml_epoch_seconds"] = J(rc[^1]), ["pytorch_epoch_seconds"] = J(pt[^1]),
                ["rcml_epoch_seconds_reps"] = Arr(rr), ["pytorch_epoch_seconds_reps"] = Arr(pp) });
        }
        var x = sizes.Select(s => (double)s).ToArray();
        plots.Add(new Svg.Series("training_vs_size|RcML", x, rc.ToArray()));
        plots.Add(new Svg.Series("training_vs_size|PyTorch", x, pt.ToArray()));
        return new JsonObject { ["network"] = "45 -> 3 x 100 tanh -> 1, mini-batch 256", ["repetitions"] = 3, ["curve"] = rows };
    }
}
