using System.Text.Json.Nodes;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;
using RcML.Sampling;
using RcML.Simulation;
using static RcML.Bench.Stats;

namespace RcML.Bench;

/// <summary>
/// Active vs random selection of shooting points at equal shot budgets (section active_learning), and the quality of
/// committor ensembles (section ensembles). Definitions are fixed in the method strings below.
/// </summary>
public static class ActiveLearningBench
{
    const int PoolSize = 20_000, InitialPoints = 200, PointsPerRound = 200, Rounds = 5, Shots = 10, TestPoints = 2000, Folds = 5;

    /// <summary>
    /// How active selection picks. Spread is the section's first definition (its keys keep their names); uncertainty was
    /// added after it, with keys suffixed _uncertainty, and both are reported.
    /// </summary>
    enum Active { Spread, Uncertainty }

    /// <summary>The training settings of every model in the loop, both ways (no tuning inside the loop).</summary>
    static CommittorTrainerOptions LoopOptions(int seed) => new()
    {
        LayerWidths = [32, 32], Activation = "tanh", LearningRate = 3e-3, WeightDecay = 1e-4, BatchSize = 0,
        MaxEpochs = 500, Patience = 30, Seed = seed,
    };

    /// <summary>
    /// The section runs the loop on two candidate pools. The transition pool (filtered by the exact committor) is the
    /// section's first definition; the equilibrium pool (Boltzmann at kT outside A and B, as a long Langevin run gives it)
    /// was added after it, fixed before its first run, and carries the section's key; both are reported.
    /// </summary>
    public static JsonObject Run(BenchContext ctx, List<Svg.Series> plots)
    {
        var equilibrium = RunPool(ctx, plots, CandidatePool.Equilibrium);
        var transition = RunPool(ctx, plots, CandidatePool.Transition);
        return new JsonObject
        {
            ["key_definition"] = "shots_to_match_random_final is the equilibrium pool's (the pool a user has: configurations from a run at " +
                "the system's temperature). The transition pool (filtered to 0.02 <= q <= 0.98 by the exact committor, which no user has) " +
                "was the section's first definition; it stays runnable and reported as transition_pool_shots_to_match_random_final.",
            ["shots_to_match_random_final"] = equilibrium["shots_to_match_random_final"]?.DeepClone(),
            ["shots_to_match_random_final_uncertainty"] = equilibrium["shots_to_match_random_final_uncertainty"]?.DeepClone(),
            ["transition_pool_shots_to_match_random_final"] = transition["shots_to_match_random_final"]?.DeepClone(),
            ["transition_pool_shots_to_match_random_final_uncertainty"] = transition["shots_to_match_random_final_uncertainty"]?.DeepClone(),
            ["target"] = "<= 0.6",
            ["equilibrium_pool"] = equilibrium,
            ["transition_pool"] = transition,
        };
    }

    /// <summary>The section in bench/results/*.md: the keys, then per pool and system the median curves and per-seed fractions.</summary>
    public static string Markdown(JsonObject d)
    {
        static string F(JsonNode? n, string fmt = "F2") => n is null ? "never" : n.GetValue<double>().ToString(fmt, System.Globalization.CultureInfo.InvariantCulture);
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("## Active vs random selection of shooting points (active_learning)").AppendLine().AppendLine(d["key_definition"]!.ToString()).AppendLine();
        sb.AppendLine("| key | spread | uncertainty | target |").AppendLine("|---|---|---|---|");
        sb.AppendLine($"| shots_to_match_random_final (equilibrium pool) | {F(d["shots_to_match_random_final"])} | {F(d["shots_to_match_random_final_uncertainty"])} | {d["target"]} |");
        sb.AppendLine($"| transition_pool_shots_to_match_random_final | {F(d["transition_pool_shots_to_match_random_final"])} | {F(d["transition_pool_shots_to_match_random_final_uncertainty"])} | {d["target"]} |");
        foreach (var pool in new[] { "equilibrium_pool", "transition_pool" })
        {
            if (d[pool] is not JsonObject p) continue;
            sb.AppendLine().AppendLine($"### {pool}").AppendLine().AppendLine(p["method"]!.ToString()).AppendLine();
            sb.AppendLine("| system | shots | random (median excess per round) | spread | uncertainty | spread: fraction per seed | uncertainty: fraction per seed |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var (name, node) in p)
            {
                if (node is not JsonObject s || s["runs"] is not JsonArray runs) continue;
                static string Curve(JsonNode? c) => string.Join(" ", c!.AsArray().Select(v => F(v, "F4")));
                string Seeds(string key) => string.Join(" ", runs.Select(r => F(r![key])));
                sb.AppendLine($"| {name} | {Curve(s["shots"]).Replace(".0000", "")} | {Curve(s["random_median_excess"])} | {Curve(s["active_median_excess"])} | " +
                    $"{Curve(s["active_median_excess_uncertainty"])} | {Seeds("shots_to_match_random_final")} (median {F(s["shots_to_match_random_final"]!["median"])}) | " +
                    $"{Seeds("shots_to_match_random_final_uncertainty")} (median {F(s["shots_to_match_random_final_uncertainty"]!["median"])}) |");
            }
        }
        return sb.AppendLine().ToString();
    }

    /// <summary>The loop on one kind of candidate pool: per system, seeds x (random, spread, uncertainty).</summary>
    static JsonObject RunPool(BenchContext ctx, List<Svg.Series> plots, CandidatePool poolKind)
    {
        string[] systems = ctx.Quick ? ["muller-brown"] : ["muller-brown", "three-well"];
        int seeds = ctx.Quick ? 1 : 5, rounds = ctx.Quick ? 2 : Rounds;
        string poolText = poolKind == CandidatePool.Equilibrium
            ? "rcml simulate --pool --pool-from equilibrium: Boltzmann at the system's kT over the domain outside A and B, no committor filter"
            : "rcml simulate --pool: Boltzmann at the system's kT within 0.02 <= q <= 0.98";
        // The first definition's plots keep their names, so its curves stay in the files they were first written to.
        string plotPrefix = poolKind == CandidatePool.Equilibrium ? "active_learning_equilibrium_pool_" : "active_learning_";
        var result = new JsonObject
        {
            ["method"] = $"Per system and seed: a pool of {PoolSize} candidate configurations ({poolText}, 6 noise CVs), " +
                $"{InitialPoints} random pool configurations x {Shots} shots to start, then {rounds} rounds " +
                $"of {PointsPerRound} configurations x {Shots} shots picked either uniformly at random from the unused pool or by rcml suggest's " +
                "'spread' strategy (Lorentzian in q of the current model over the pool's density along q, seeded); both ways train the same " +
                "fixed network (2 x 32 tanh, Adam 3e-3, full batch, <= 500 epochs, patience 30 on a 20 % hold-out, seed fixed per run) on all " +
                $"shots so far after every round, scored by excess cross-entropy over the exact committor on an independent {TestPoints}-point " +
                "test set (rcml simulate's distribution, 20 shots). shots_to_match_random_final: per run, the shots active selection needs " +
                "until its excess first reaches random selection's final excess (linear interpolation between rounds; never reached = " +
                "infinite), over random's total shots; median over seeds per system; the key is the larger of the systems' medians. " +
                $"The _uncertainty keys: the same with rcml suggest's 'uncertainty' strategy (weight = CommittorStdDev) over what " +
                $"rcml tune hands back, a {Folds}-fold ensemble: {Folds} networks of the loop's settings, each trained on 4/5 of the " +
                "shots so far with the rest as its hold-out, the std of their p_B as the ensemble model gives it (CommittorStdDev); the scored model stays the single network above.",
        };
        var perSystem = new List<double>();
        var perSystemUncertainty = new List<double>();
        foreach (var name in systems)
        {
            var system = ModelSystems.Get(name);
            var simOptions = new ShootingSimulator.Options { System = system, ShotsPerPoint = Shots, NoiseDimensions = 6, Seed = 1 };
            var solved = new ShootingSimulator(simOptions);
            var test = new CommittorTestSet(new ShootingSimulator.Options { System = system, ShotsPerPoint = 20, NoiseDimensions = 6 }, solved, TestPoints, 4242);
            var fractions = new List<double>();
            var uncertaintyFractions = new List<double>();
            var randomCurves = new List<double[]>();
            var activeCurves = new List<double[]>();
            var uncertaintyCurves = new List<double[]>();
            var runs = new JsonArray();
            for (int seed = 0; seed < seeds; seed++)
            {
                var sim = new ShootingSimulator(new ShootingSimulator.Options
                {
                    System = system, ShotsPerPoint = Shots, NoiseDimensions = 6, Seed = 100 + seed, Committor = solved.Committor,
                });
                var pool = sim.DrawPool(PoolSize, poolKind);
                var start = Enumerable.Range(0, PoolSize).OrderBy(_ => 0).ToArray();
                new Random(seed).Shuffle(start);
                var initial = start.Take(InitialPoints).ToArray();
                var random = Loop(pool, sim, test, initial, rounds, seed, active: null);
                var active = Loop(pool, sim, test, initial, rounds, seed, Active.Spread);
                var uncertain = Loop(pool, sim, test, initial, rounds, seed, Active.Uncertainty);
                randomCurves.Add(random);
                activeCurves.Add(active);
                uncertaintyCurves.Add(uncertain);
                double fraction = ShotsToMatch(active, random[^1]), uncertainFraction = ShotsToMatch(uncertain, random[^1]);
                fractions.Add(fraction);
                uncertaintyFractions.Add(uncertainFraction);
                static string Curve(double[] c) => string.Join(" ", c.Select(v => v.ToString("F4")));
                ctx.Log($"active_learning {poolKind} {name} seed {seed}: random {Curve(random)} | spread {Curve(active)} ({fraction:F2}) | " +
                        $"uncertainty {Curve(uncertain)} ({uncertainFraction:F2})");
                runs.Add(new JsonObject
                {
                    ["seed"] = seed, ["random_excess"] = new JsonArray(random.Select(v => J(v)).ToArray()),
                    ["active_excess"] = new JsonArray(active.Select(v => J(v)).ToArray()), ["shots_to_match_random_final"] = J(fraction),
                    ["active_excess_uncertainty"] = new JsonArray(uncertain.Select(v => J(v)).ToArray()),
                    ["shots_to_match_random_final_uncertainty"] = J(uncertainFraction),
                });
            }
            var shotsAxis = Enumerable.Range(0, rounds + 1).Select(r => (double)(InitialPoints + r * PointsPerRound) * Shots).ToArray();
            double[] MedianCurve(List<double[]> curves) => shotsAxis.Select((_, i) => Median(curves.Select(c => c[i]))).ToArray();
            plots.Add(new Svg.Series($"{plotPrefix}{name}|random", shotsAxis, MedianCurve(randomCurves)));
            plots.Add(new Svg.Series($"{plotPrefix}{name}|active (spread)", shotsAxis, MedianCurve(activeCurves)));
            plots.Add(new Svg.Series($"{plotPrefix}{name}|active (uncertainty, {Folds}-fold ensemble)", shotsAxis, MedianCurve(uncertaintyCurves)));
            double median = MedianCountingNever(fractions);
            perSystem.Add(median);
            perSystemUncertainty.Add(MedianCountingNever(uncertaintyFractions));
            result[name] = new JsonObject
            {
                ["shots"] = new JsonArray(shotsAxis.Select(v => J(v)).ToArray()),
                ["random_median_excess"] = new JsonArray(MedianCurve(randomCurves).Select(v => J(v)).ToArray()),
                ["active_median_excess"] = new JsonArray(MedianCurve(activeCurves).Select(v => J(v)).ToArray()),
                ["shots_to_match_random_final"] = SummaryCountingNever(fractions),
                ["active_median_excess_uncertainty"] = new JsonArray(MedianCurve(uncertaintyCurves).Select(v => J(v)).ToArray()),
                ["shots_to_match_random_final_uncertainty"] = SummaryCountingNever(uncertaintyFractions),
                ["runs"] = runs,
            };
        }
        result["shots_to_match_random_final"] = J(perSystem.Max());
        result["shots_to_match_random_final_uncertainty"] = J(perSystemUncertainty.Max());
        return result;
    }

    /// <summary>Excess cross-entropy after the start and after every round.</summary>
    static double[] Loop(ShootingDataset pool, ShootingSimulator sim, CommittorTestSet test, int[] initial, int rounds, int seed, Active? active)
    {
        var used = new HashSet<int>(initial);
        int shotRows = initial.Length;
        var data = TuningTasks.ToMatrix(Shoot(sim, pool, initial, 0));
        var inputs = TuningTasks.Inputs(pool);
        var poolMatrix = TuningTasks.ToMatrix(pool);
        var excess = new List<double>();
        var draw = new Random(1000 + seed);
        for (int round = 0; ; round++)
        {
            var (fit, hold) = CommittorTraining.Split(data, 0.2, new Random(seed));
            var network = CommittorTraining.Train(fit, hold, inputs, LoopOptions(seed)).Network;
            excess.Add(test.Score(test.Predict(network)).ExcessCrossEntropy!.Value);
            if (round == rounds) return excess.ToArray();

            var unused = Enumerable.Range(0, pool.Rows.Count).Where(i => !used.Contains(i)).ToArray();
            int[] next;
            if (active is null)
            {
                draw.Shuffle(unused);
                next = unused.Take(PointsPerRound).ToArray();
            }
            else
            {
                var q = ReactionCoordinate(network, poolMatrix, unused);
                var p = q.Select(v => (float)CommittorNetworkEvaluator.Sigmoid(v)).ToArray();
                float[]? spread = null;
                if (active == Active.Uncertainty)
                {
                    // CommittorStdDev as rcml suggest reads it: the fold ensemble's model scores the unused candidates.
                    var ensemble = new MLContext(seed: 1).ReactionCoordinates().Ensembles.FromNetworks(FoldNetworks(data, inputs, seed, round)).ToModel();
                    var candidates = new ColumnarDataView(inputs.Select((input, c) => (input.Name, unused.Select(i => poolMatrix.Row(i)[c]).ToArray())).ToArray());
                    spread = CommittorModelFile.ScoreWithSpread(ensemble, candidates).CommittorStdDev;
                }
                next = ShootingPointSelector.Select(q, p, spread, new ShootingPointSelectorOptions
                {
                    Strategy = active == Active.Uncertainty ? SelectionStrategy.Uncertainty : SelectionStrategy.Spread,
                    Count = PointsPerRound, Seed = 1000 * seed + round,
                }).Select(k => unused[k.Index]).ToArray();
            }
            used.UnionWith(next);
            data = Concat(data, TuningTasks.ToMatrix(Shoot(sim, pool, next, shotRows)));
            shotRows += next.Length;
        }
    }

    /// <summary>q of the given pool rows.</summary>
    static float[] ReactionCoordinate(CommittorNetworkSpec network, ShootingMatrix pool, int[] rows)
    {
        var evaluator = new CommittorNetworkEvaluator(network);
        return rows.Select(i => (float)evaluator.ReactionCoordinate(pool.Row(i).ToArray().Select(v => (double)v).ToArray())).ToArray();
    }

    /// <summary>The loop's network trained on each of <see cref="Folds"/> folds (4/5 of the shots, the rest its hold-out), as rcml tune's final ensemble.</summary>
    static IEnumerable<CommittorNetworkSpec> FoldNetworks(ShootingMatrix data, IReadOnlyList<NetworkInput> inputs, int seed, int round)
    {
        var order = Enumerable.Range(0, data.Rows).ToArray();
        new Random(7919 * seed + round).Shuffle(order);
        for (int f = 0; f < Folds; f++)
        {
            int from = f * data.Rows / Folds, to = (f + 1) * data.Rows / Folds;
            var hold = order[from..to];
            var fit = order[..from].Concat(order[to..]).ToArray();
            yield return CommittorTraining.Train(data.Subset(fit), data.Subset(hold), inputs, LoopOptions(seed * Folds + f + 1)).Network;
        }
    }

    /// <summary>Shots from the chosen pool rows; ids continue over rounds, so every shot row has its own random stream.</summary>
    static ShootingDataset Shoot(ShootingSimulator sim, ShootingDataset pool, int[] rows, int firstId) =>
        sim.ShootFrom(rows.Select(i => (pool.Rows[i].X, pool.Rows[i].Y)).ToArray(), firstId);

    static ShootingMatrix Concat(ShootingMatrix a, ShootingMatrix b) =>
        new([.. a.Features, .. b.Features], a.Rows + b.Rows, a.Columns, [.. a.CountA, .. b.CountA], [.. a.CountB, .. b.CountB]);

    /// <summary>
    /// The median of per-seed fractions where a seed that never reached random's final value counts as infinite (as the
    /// method says), not left out as Stats.Median leaves out non-finite values; null in the JSON when infinite.
    /// </summary>
    static double MedianCountingNever(List<double> fractions)
    {
        var v = fractions.Select(f => double.IsNaN(f) ? double.PositiveInfinity : f).Order().ToArray();
        int n = v.Length;
        return n % 2 == 1 ? v[n / 2] : double.IsInfinity(v[n / 2]) ? double.PositiveInfinity : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static JsonObject SummaryCountingNever(List<double> fractions)
    {
        var summary = Summary(fractions);
        summary["median"] = J(MedianCountingNever(fractions));
        summary["never_reached"] = fractions.Count(double.IsPositiveInfinity);
        return summary;
    }

    /// <summary>Fraction of the full budget at which <paramref name="curve"/> first reaches <paramref name="target"/>, interpolated.</summary>
    static double ShotsToMatch(double[] curve, double target)
    {
        double total = curve.Length - 1 + (double)InitialPoints / PointsPerRound; // in rounds' worth of shots
        double Shots(double round) => ((double)InitialPoints / PointsPerRound + round) / total;
        if (curve[0] <= target) return Shots(0);
        for (int r = 1; r < curve.Length; r++)
            if (curve[r] <= target)
                return Shots(r - 1 + (curve[r - 1] - target) / (curve[r - 1] - curve[r]));
        return double.PositiveInfinity;
    }
}
