using System.Text.Json.Nodes;
using MathNet.Numerics.Statistics;
using RcML.AutoML;
using RcML.Committor;
using RcML.Onnx;
using RcML.Simulation;
using static RcML.Bench.Stats;

namespace RcML.Bench;

/// <summary>
/// Committor ensembles on Muller-Brown: the ensemble's excess cross-entropy against its best single member, and whether
/// CommittorStdDev ranks the configurations where p_B is wrong. Two ways to get members are compared.
/// </summary>
public static class EnsembleBench
{
    public static JsonObject Run(BenchContext ctx)
    {
        int seeds = ctx.Quick ? 1 : 5, k = ctx.Quick ? 3 : 5, trials = ctx.Quick ? 5 : 8;
        var result = new JsonObject
        {
            ["method"] = $"Muller-Brown, 1,500 training configurations x 20 shots, 6 noise CVs, an independent 2,000-configuration test set " +
                $"(20 shots), {seeds} data seeds. Members 'seeds': one fixed configuration (2 x 64 tanh, Adam 3e-3, full batch, <= 600 epochs, " +
                $"patience 30) trained from {k} seeds, each with its own 20 % hold-out. Members 'top_trials': the {k} best of {trials} random-search " +
                "trials over the tuning task's committor space (<= 300 epochs, patience 30, one 20 % hold-out), by hold-out loss. Ensemble = " +
                "mean of the members' p_B (the product's definition); 'mean_q' = sigmoid of the mean q, for comparison. Excess = test " +
                "cross-entropy minus the exact committor's. best_member = the member with the lowest test excess (an oracle choice). " +
                "Spearman = rank correlation of CommittorStdDev with |p_B - exact| over the test set. Medians over seeds.",
        };
        var kinds = new Dictionary<string, List<JsonObject>> { ["seeds"] = [], ["top_trials"] = [] };
        for (int seed = 0; seed < seeds; seed++)
        {
            var options = new ShootingSimulator.Options { System = ModelSystems.Get("muller-brown"), Points = 1500, ShotsPerPoint = 20, NoiseDimensions = 6, Seed = 300 + seed };
            var sim = new ShootingSimulator(options);
            var data = sim.Run();
            var test = new CommittorTestSet(options, sim, 2000, 900 + seed);
            var train = TuningTasks.ToMatrix(data);
            var inputs = TuningTasks.Inputs(data);

            var bySeed = Enumerable.Range(0, k).Select(m =>
            {
                var (fit, hold) = CommittorTraining.Split(train, 0.2, new Random(m));
                return CommittorTraining.Train(fit, hold, inputs, new CommittorTrainerOptions
                {
                    LayerWidths = [64, 64], Activation = "tanh", LearningRate = 3e-3, BatchSize = 0, MaxEpochs = 600, Patience = 30, Seed = m,
                }).Network;
            }).ToArray();
            kinds["seeds"].Add(Score(bySeed, test));

            var (tuneFit, tuneHold) = CommittorTraining.Split(train, 0.2, new Random(3));
            var tuner = new RandomSearchTuner(TuningTasks.CommittorSpace(), seed);
            var finished = new List<(double Loss, CommittorNetworkSpec Network)>();
            for (int t = 0; t < trials; t++)
            {
                var settings = new TrialSettings { TrialId = t };
                var p = tuner.Propose(settings);
                try
                {
                    var r = CommittorTraining.Train(tuneFit, tuneHold, inputs, TuningTasks.CommittorOptions(p, 300, 30, seed * 100 + t));
                    if (double.IsFinite(r.ValidationLoss)) finished.Add((r.ValidationLoss, r.Network));
                }
                catch (TrainingDivergedException) { }
            }
            kinds["top_trials"].Add(Score(finished.OrderBy(f => f.Loss).Take(k).Select(f => f.Network).ToArray(), test));
            ctx.Log($"ensembles seed {seed}: seeds {kinds["seeds"][^1].ToJsonString()} | top_trials {kinds["top_trials"][^1].ToJsonString()}");
        }
        foreach (var (kind, runs) in kinds)
        {
            double M(string key) => Median(runs.Select(r => r[key]?.GetValue<double>() ?? double.NaN));
            result[kind] = new JsonObject
            {
                ["ensemble_excess"] = J(M("ensemble_excess")), ["mean_q_excess"] = J(M("mean_q_excess")),
                ["best_member_excess"] = J(M("best_member_excess")), ["median_member_excess"] = J(M("median_member_excess")),
                ["ensemble_minus_best_member"] = J(M("ensemble_minus_best_member")), ["spearman_std_vs_error"] = J(M("spearman_std_vs_error")),
                ["runs"] = new JsonArray(runs.Select(r => (JsonNode)r.DeepClone()).ToArray()),
            };
        }
        return result;
    }

    static JsonObject Score(CommittorNetworkSpec[] members, CommittorTestSet test)
    {
        var perMember = members.Select(test.Predict).ToArray();
        int n = test.Reference.Length;
        var mean = new float[n];
        var meanQ = new float[n];
        var std = new double[n];
        var error = new double[n];
        for (int i = 0; i < n; i++)
        {
            double m = perMember.Average(p => p[i]);
            mean[i] = (float)m;
            meanQ[i] = (float)CommittorNetworkEvaluator.Sigmoid(perMember.Average(p => { double c = Math.Clamp(p[i], 1e-7, 1 - 1e-7); return Math.Log(c / (1 - c)); }));
            std[i] = Math.Sqrt(perMember.Average(p => (p[i] - m) * (p[i] - m)));
            error[i] = Math.Abs(m - test.Reference[i]);
        }
        var memberExcess = perMember.Select(p => test.Score(p).ExcessCrossEntropy!.Value).ToArray();
        double ensemble = test.Score(mean).ExcessCrossEntropy!.Value;
        return new JsonObject
        {
            ["ensemble_excess"] = J(ensemble), ["mean_q_excess"] = J(test.Score(meanQ).ExcessCrossEntropy!.Value),
            ["best_member_excess"] = J(memberExcess.Min()), ["median_member_excess"] = J(Median(memberExcess)),
            ["ensemble_minus_best_member"] = J(ensemble - memberExcess.Min()), ["spearman_std_vs_error"] = J(Correlation.Spearman(std, error)),
        };
    }
}
