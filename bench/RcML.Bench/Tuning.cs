using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RcML.AutoML;
using RcML.Committor;
using RcML.Simulation;
using static RcML.Bench.Stats;

namespace RcML.Bench;

public static class TuningBench
{
    public static ITuner MakeTuner(string name, SearchSpace space, int seed) => name switch
    {
        "rcml_gp" => new GaussianProcessTuner(space, seed),
        "rcml_tpe" => new TreeParzenTuner(space, seed),
        "rcml_random" => new RandomSearchTuner(space, seed),
        // Variants for A/B runs (only when named in --tuners).
        "rcml_tpe_mv" => new TreeParzenTuner(space, seed) { Multivariate = true },
        "rcml_tpe_density" => new TreeParzenTuner(space, seed) { ScoreByKernelOdds = false },
        "rcml_tpe_all" => new TreeParzenTuner(space, seed) { SplitPerOption = false },
        "rcml_gp_log" => new GaussianProcessTuner(space, seed, new GaussianProcessTunerOptions { Warping = OutputWarping.Log }),
        "rcml_gp_rank" => new GaussianProcessTuner(space, seed, new GaussianProcessTunerOptions { Warping = OutputWarping.Rank }),
        "rcml_gp_plain" => new GaussianProcessTuner(space, seed, new GaussianProcessTunerOptions { Warping = OutputWarping.None }),
        _ => throw new ArgumentException(name),
    };

    public static TuningRun RunRcml(string tunerName, TuningTask task, int seed, int trials)
    {
        var tuner = MakeTuner(tunerName, task.Space, seed);
        var losses = new double[trials]; var propose = new double[trials]; var obj = new double[trials];
        var ps = new Parameter[trials];
        for (int t = 0; t < trials; t++)
        {
            var settings = new TrialSettings { TrialId = t };
            var sw = Stopwatch.StartNew();
            var p = tuner.Propose(settings);
            propose[t] = sw.Elapsed.TotalMilliseconds;
            settings.Parameter = p;
            ps[t] = p;
            sw.Restart();
            var loss = task.Evaluate(p, seed, t);
            obj[t] = sw.Elapsed.TotalMilliseconds;
            losses[t] = loss;
            tuner.Update(new TrialResult { TrialSettings = settings, Loss = loss, IsFailed = !double.IsFinite(loss), DurationInMilliseconds = obj[t] });
        }
        return new TuningRun(tunerName, seed, losses, propose, obj) { Parameters = ps };
    }

    /// <summary>Optuna's TPE (defaults, seeded) proposes through ask/tell over a pipe; the objective runs here, in C#.</summary>
    public static TuningRun RunOptuna(BenchContext ctx, TuningTask task, int seed, int trials, string sampler = "tpe")
    {
        using var p = Process.Start(Peer.StartInfo(ctx, "optuna_server.py", task.Name, seed.ToString(), sampler))!;
        var errTask = p.StandardError.ReadToEndAsync();
        var losses = new double[trials]; var propose = new double[trials]; var obj = new double[trials];
        var ps = new Parameter[trials];
        try
        {
            var ready = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("optuna_server.py exited: " + errTask.Result);
            for (int t = 0; t < trials; t++)
            {
                var sw = Stopwatch.StartNew();
                p.StandardInput.WriteLine("ask");
                p.StandardInput.Flush();
                var line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("optuna_server.py exited: " + errTask.Result);
                propose[t] = sw.Elapsed.TotalMilliseconds;
                var node = JsonNode.Parse(line)!;
                var parameter = Parameter.FromJson(node["params"]!.ToJsonString());
                ps[t] = parameter;
                sw.Restart();
                var loss = task.Evaluate(parameter, seed, t);
                obj[t] = sw.Elapsed.TotalMilliseconds;
                losses[t] = loss;
                var tell = new JsonObject { ["number"] = node["number"]!.GetValue<int>(), ["value"] = double.IsFinite(loss) ? loss : null };
                p.StandardInput.WriteLine(tell.ToJsonString());
                p.StandardInput.Flush();
            }
            p.StandardInput.WriteLine("quit");
            p.StandardInput.Flush();
            p.WaitForExit();
        }
        finally { if (!p.HasExited) p.Kill(); }
        return new TuningRun("optuna_tpe", seed, losses, propose, obj) { Parameters = ps };
    }

    public static JsonObject Run(BenchContext ctx, List<Svg.Series> plots)
    {
        string[] standard = ["rcml_gp", "rcml_tpe", "optuna_tpe", "rcml_random"];
        // --no-peer (tuner A/B runs on fresh seeds, judged against an earlier Optuna target) skips Optuna.
        string[] tuners = standard.Where(t => t == "optuna_tpe" ? !ctx.NoPeer : ctx.Tuners is null || ctx.Tuners.Contains(t))
            .Concat(ctx.Tuners?.Where(t => !standard.Contains(t)) ?? []).ToArray();
        const int trials = 100;
        var result = new JsonObject
        {
            ["trials"] = trials,
            ["method"] = "Every objective is evaluated in C# for every tuner: Optuna (TPESampler(seed), default settings) proposes " +
                "through ask/tell over a pipe (bench/peers/optuna_server.py mirrors the search spaces), so the committor objective " +
                "(RcML training, identical data split and, trial by trial, identical initialization seeds) is the same function for all. Failed (diverged) trials count as failed. " +
                "Curves are the median (and quartiles) over seeds of the best-so-far loss.",
        };
        var tasks = new JsonObject();
        var cheapSeeds = ctx.Seeds ?? (ctx.Quick ? 3 : 15);
        // 40 seeds: on 20 the median hit time of one tuner swings from 32 to 72 between seed sets.
        var committorSeeds = ctx.Seeds ?? (ctx.Quick ? 3 : 40);
        var list = new List<(TuningTask Task, int Seeds)>
        {
            (TuningTasks.Branin(), cheapSeeds), (TuningTasks.Hartmann6(), cheapSeeds), (TuningTasks.Mixed(), cheapSeeds),
            (TuningTasks.Committor(ctx.Quick ? 40 : 100), committorSeeds),
        };
        // Variants, only when named: the 2,000-point task with seed 1 for every trial (--tasks committor_fixed_seed) and the
        // 400-point task with seed 1 (--tasks committor_400).
        if (ctx.Tasks?.Contains("committor_fixed_seed") == true) list.Add((TuningTasks.Committor(ctx.Quick ? 40 : 100, seedPerTrial: false), committorSeeds));
        if (ctx.Tasks?.Contains("committor_400") == true) list.Add((TuningTasks.Committor(ctx.Quick ? 40 : 100, 400, seedPerTrial: false), committorSeeds));
        if (ctx.Tasks is not null) list.RemoveAll(t => !ctx.Tasks.Contains(t.Task.Name));
        using var trace = ctx.Trace ? new StreamWriter(Path.Combine(ctx.ResultsDir, "tuning_trace.jsonl")) { AutoFlush = true } : null;
        foreach (var (task, seeds) in list)
        {
            var runs = new List<TuningRun>();
            for (int s = ctx.FirstSeed; s < ctx.FirstSeed + seeds; s++)
                foreach (var tn in tuners)
                {
                    var run = tn == "optuna_tpe" ? RunOptuna(ctx, task, s, trials) : RunRcml(tn, task, s, trials);
                    runs.Add(run);
                    trace?.WriteLine(new JsonObject
                    {
                        ["task"] = task.Name, ["tuner"] = tn, ["seed"] = s,
                        ["losses"] = new JsonArray(run.Losses.Select(l => (JsonNode?)(double.IsFinite(l) ? JsonValue.Create(l) : null)).ToArray()),
                        ["params"] = new JsonArray(run.Parameters.Select(p => JsonNode.Parse(p.ToJson())).ToArray()),
                    }.ToJsonString());
                    ctx.Log($"tuning {task.Name} seed {s} {tn}: best {run.BestSoFar()[^1]:G5}, propose {Median(run.ProposeMs):F1} ms, objective {Median(run.ObjectiveMs):F1} ms");
                }
            var tj = new JsonObject { ["seeds"] = seeds, ["first_seed"] = ctx.FirstSeed, ["optimum"] = task.Optimum is double o ? J(o) : null };
            if (task.Description is not null) tj["description"] = task.Description;
            var perTuner = new JsonObject();
            foreach (var tn in tuners)
            {
                var rs = runs.Where(r => r.Tuner == tn).ToList();
                var curves = rs.Select(r => r.BestSoFar()).ToList();
                var med = Enumerable.Range(0, trials).Select(i => Median(curves.Select(c => c[i]))).ToArray();
                perTuner[tn] = new JsonObject
                {
                    ["best_at_25"] = Summary(curves.Select(c => c[24])),
                    ["best_at_50"] = Summary(curves.Select(c => c[49])),
                    ["best_at_100"] = Summary(curves.Select(c => c[trials - 1])),
                    ["failed_trials"] = rs.Sum(r => r.Losses.Count(l => !double.IsFinite(l))),
                    ["propose_ms"] = Summary(rs.SelectMany(r => r.ProposeMs)),
                    ["objective_ms"] = Summary(rs.SelectMany(r => r.ObjectiveMs)),
                    ["curve_median"] = Arr(med),
                    ["curve_q25"] = Arr(Enumerable.Range(0, trials).Select(i => Quantile(curves.Select(c => c[i]), 0.25))),
                    ["curve_q75"] = Arr(Enumerable.Range(0, trials).Select(i => Quantile(curves.Select(c => c[i]), 0.75))),
                };
                var xs = Enumerable.Range(1, trials).Select(i => (double)i).ToArray();
                var y = task.Optimum is double opt ? med.Select(v => v - opt).ToArray() : med;
                plots.Add(new Svg.Series($"tuning_{task.Name}|{tn}", xs, y));
            }
            tj["tuners"] = perTuner;
            // Trials each RcML tuner needs to reach the median value Optuna's TPE reaches at 100 trials.
            var target = Median(runs.Where(r => r.Tuner == "optuna_tpe").Select(r => r.BestSoFar()[^1]));
            var match = new JsonObject();
            foreach (var tn in tuners.Where(t => t != "optuna_tpe"))
            {
                var n = runs.Where(r => r.Tuner == tn).Select(r => { var c = r.BestSoFar(); int i = Array.FindIndex(c, v => v <= target); return i < 0 ? double.PositiveInfinity : i + 1; }).ToList();
                // Paired variant: seed s of the RcML tuner against seed s of Optuna's TPE (each its own target).
                var optunaRuns = runs.Where(r => r.Tuner == "optuna_tpe").OrderBy(r => r.Seed).ToList();
                var paired = runs.Where(r => r.Tuner == tn).OrderBy(r => r.Seed).Zip(optunaRuns, (r, o) =>
                {
                    var c = r.BestSoFar(); var tgt = o.BestSoFar()[^1];
                    int i = Array.FindIndex(c, v => v <= tgt); return i < 0 ? double.PositiveInfinity : i + 1;
                }).ToList();
                JsonNode Trials(double v) => double.IsPositiveInfinity(v) ? "not reached" : JsonValue.Create(v);
                match[tn] = new JsonObject
                {
                    ["median"] = double.IsPositiveInfinity(Median2(n)) ? "not reached in 100" : J(Median2(n)),
                    ["per_seed"] = new JsonArray(n.Select(Trials).ToArray()),
                    ["reached"] = $"{n.Count(double.IsFinite)}/{n.Count}",
                    ["paired_median"] = double.IsPositiveInfinity(Median2(paired)) ? "not reached in 100" : J(Median2(paired)),
                    ["paired_per_seed"] = new JsonArray(paired.Select(Trials).ToArray()),
                };
            }
            tj["optuna_tpe_100_target"] = J(target);
            if (task.Retrain is not null)
            {
                tj["test_excess_of_best"] = TestExcessOfBest(task, runs, tuners);
                tj["initialization_luck"] = InitializationLuck(ctx, task, runs, target);
            }
            tj["trials_to_match_optuna_tpe_100"] = match;
            tasks[task.Name] = tj;
        }
        result["tasks"] = tasks;
        if (tasks["committor"] is null) return result;
        var cm = tasks["committor"]!["trials_to_match_optuna_tpe_100"]!.AsObject();
        double bestMedian = double.PositiveInfinity; string bestTuner = "";
        foreach (var tn in new[] { "rcml_gp", "rcml_tpe" })
        {
            if (cm[tn]?["median"] is not JsonNode v) continue;
            double d = v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : double.PositiveInfinity;
            if (d < bestMedian) { bestMedian = d; bestTuner = tn; }
        }
        result["trials_to_match_optuna_tpe_100"] = double.IsFinite(bestMedian) ? J(bestMedian) : "not reached in 100";
        result["best_rcml_tuner_on_committor"] = bestTuner == "" ? null : bestTuner;
        return result;
    }

    /// <summary>
    /// What a user gets: each run's best configuration by validation loss after 50 and 100 trials, scored on the
    /// independent test set (excess cross-entropy over the exact committor; median and quartiles over seeds per tuner).
    /// </summary>
    static JsonObject TestExcessOfBest(TuningTask task, List<TuningRun> runs, string[] tuners)
    {
        var result = new JsonObject();
        var scored = new Dictionary<(TuningRun, int), double>(); // a run's best after 50 trials is often its best after 100
        foreach (var tn in tuners)
        {
            var rs = runs.Where(r => r.Tuner == tn).ToList();
            JsonObject At(int n) => Summary(rs.Select(r =>
            {
                int best = -1;
                for (int i = 0; i < n && i < r.Losses.Length; i++)
                    if (double.IsFinite(r.Losses[i]) && (best < 0 || r.Losses[i] < r.Losses[best])) best = i;
                if (best < 0) return double.NaN;
                if (!scored.TryGetValue((r, best), out var excess))
                    scored[(r, best)] = excess = task.Retrain!(r.Parameters[best], task.SeedOfTrial(r.Seed, best)).TestExcessCrossEntropy;
                return excess;
            }));
            result[tn] = new JsonObject { ["at_50"] = At(50), ["at_100"] = At(100) };
        }
        return result;
    }

    /// <summary>
    /// The three best distinct configurations found by any tuner, retrained from their own initialization seed and from 20
    /// others (100001-100020, which no trial uses): how much of a winning committor loss is the luck of its initialization,
    /// and whether that luck holds on independent test data (Spearman correlation of validation loss and test excess
    /// over the 21 trainings).
    /// </summary>
    static JsonObject InitializationLuck(BenchContext ctx, TuningTask task, List<TuningRun> runs, double target)
    {
        const int others = 20, firstOther = 100001;
        var winners = runs.SelectMany(r => r.Parameters.Select((p, i) => (P: p, L: r.Losses[i], Seed: task.SeedOfTrial(r.Seed, i))))
            .Where(t => double.IsFinite(t.L)).OrderBy(t => t.L).DistinctBy(t => t.P).Take(3).ToList();
        var list = new JsonArray();
        foreach (var (p, l, seed) in winners)
        {
            var all = new[] { seed }.Concat(Enumerable.Range(firstOther, others)).Select(k => task.Retrain!(p, k)).ToArray();
            var rest = all.Skip(1).Select(r => r.ValidationLoss).ToArray();
            var finite = all.Where(r => double.IsFinite(r.ValidationLoss)).ToArray();
            list.Add(new JsonObject
            {
                ["parameters"] = JsonNode.Parse(p.ToJson()), ["own_init_seed"] = seed, ["loss_own_init_seed"] = J(all[0].ValidationLoss), // = the trial's loss (seeded trainings repeat bit for bit)
                ["loss_other_init_seeds"] = Summary(rest),
                ["sd_other_init_seeds"] = J(MathNet.Numerics.Statistics.Statistics.StandardDeviation(rest.Where(double.IsFinite))),
                ["other_init_seeds_at_or_below_target"] = $"{rest.Count(v => v <= target)}/{others}",
                ["test_excess_own_init_seed"] = J(all[0].TestExcessCrossEntropy),
                ["test_excess_other_init_seeds"] = Summary(all.Skip(1).Select(r => r.TestExcessCrossEntropy)),
                ["spearman_validation_vs_test"] = J(MathNet.Numerics.Statistics.Correlation.Spearman(
                    finite.Select(r => r.ValidationLoss), finite.Select(r => r.TestExcessCrossEntropy))),
            });
            ctx.Log($"tuning {task.Name} initialization luck: {all[0].ValidationLoss:G5} with its seed {seed} (trial: {l:G5}), median {Median(rest):G5} over {others} other seeds; " +
                $"test excess {all[0].TestExcessCrossEntropy:G4} with its seed, median {Median(all.Skip(1).Select(r => r.TestExcessCrossEntropy)):G4}");
        }
        return new JsonObject
        {
            ["note"] = $"the three best distinct configurations of all runs, retrained from their own initialization seed and from seeds " +
                $"{firstOther}-{firstOther + others - 1}; test excess = excess cross-entropy per shot over the exact committor on 2,000 independent test points",
            ["configurations"] = list,
        };
    }

    /// <summary>Median that treats +inf as a (large) value, so "not reached" can be the median.</summary>
    static double Median2(List<double> v)
    {
        var s = v.OrderBy(x => x).ToArray();
        if (s.Length == 0) return double.NaN;
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Tuner overhead (Propose time) vs number of finished trials on Hartmann-6 (cheap objective).</summary>
    public static JsonObject Overhead(BenchContext ctx, List<Svg.Series> plots, JsonObject tuning)
    {
        int trials = ctx.Quick ? 150 : 500;
        int[] checkpoints = [10, 25, 50, 100, 200, 300, 400, 500];
        var result = new JsonObject { ["objective"] = "hartmann6", ["trials"] = trials };
        foreach (var tn in new[] { "rcml_gp", "rcml_tpe" })
        {
            var run = RunRcml(tn, TuningTasks.Hartmann6(), 0, trials);
            var rows = new JsonArray();
            var xs = new List<double>(); var ys = new List<double>();
            foreach (var c in checkpoints.Where(c => c <= trials))
            {
                var window = run.ProposeMs.Skip(Math.Max(0, c - 5)).Take(10).ToArray();
                rows.Add(new JsonObject { ["finished_trials"] = c, ["propose_ms"] = J(Median(window)) });
                xs.Add(c); ys.Add(Median(window));
            }
            result[tn] = rows;
            plots.Add(new Svg.Series($"overhead|{tn}", xs.ToArray(), ys.ToArray()));
            ctx.Log($"overhead {tn}: propose at {trials} trials {ys[^1]:F1} ms");
        }
        // Time per committor trial = training (objective) + propose; training does not depend on the trial count.
        var ct = tuning["tasks"]?["committor"]?["tuners"];
        if (ct is not null)
            result["committor_trial_ms"] = new JsonObject
            {
                ["objective_ms_median"] = ct["rcml_gp"]!["objective_ms"]!["median"]!.DeepClone(),
                ["note"] = "time per trial at n finished trials = committor objective (independent of n) + propose_ms(n) above",
            };
        return result;
    }
}
