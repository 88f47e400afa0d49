using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;
using RcML.Simulation;
using static RcML.Bench.Stats;

namespace RcML.Bench;

/// <summary>
/// What <c>rcml tune --time T</c> hands back, on new data: the real CLI process with its defaults against the Python
/// stack a user would otherwise run (bench/peers/delivered_peer.py: Optuna TPE + PyTorch MLPs over the same space) at
/// the same wall-clock budget, each scored by the test excess cross-entropy over the exact committor on an independent
/// 2,000-point test set. RcML and the peer alternate seed by seed, so both sides of a pair run under the same load.
/// </summary>
public static partial class DeliveredBench
{
    /// <summary>A benchmark system: training and test data written as the CLI would read them.</summary>
    sealed record Case(string Name, string System, int Points, int Shots, bool Molecular, int TrainSeed, int TestSeed, string Description);

    /// <summary>Budget in seconds, tuner seeds, whether the Python peer runs at it.</summary>
    sealed record Budget(int Seconds, int Seeds, bool Python);

    static readonly Case[] Cases =
    [
        new("muller_brown", "muller-brown", 1500, 20, false, 11, 99, "Muller-Brown, 1,500 configurations x 20 shots, x, y and 6 noise CVs"),
        new("molecular", "three-well", 2200, 50, true, 12, 98,
            "three-well system, 2,200 configurations x 50 shots seen through 90 molecular-style CVs (rcml simulate --cvs molecular: " +
            "16 angles, distances, contacts, near-duplicates, nonlinear functions, noise; x, y hidden)"),
    ];

    public static JsonObject Run(BenchContext ctx)
    {
        Budget[] budgets = ctx.Quick ? [new(20, 1, true)] : [new(60, 5, true), new(240, 3, true), new(80, 3, false)];
        // A/B runs: other budgets, seeds, systems or rcml settings (not the benchmark's definition; recorded in the JSON).
        if (ctx.Budgets is { } custom) budgets = custom.Select(s => new Budget(s, ctx.Seeds ?? 3, true)).ToArray();
        var cli = Cli(ctx);
        var result = new JsonObject
        {
            ["method"] = "Per system: `rcml tune --data train.csv --time T --seed s` (a fresh working folder, every other option at its " +
                "default, report included) against bench/peers/delivered_peer.py (Optuna 3.1 TPE seeded s, PyTorch MLPs over " +
                "RcML's default committor space, early stopping on a 20% split, median pruner, the best trial's network; 2 threads, " +
                "OpenBLAS) at the same wall-clock T, alternating seed by seed. Score: excess cross-entropy per shot of the handed-back " +
                "model over the exact committor on an independent 2,000-configuration test set. median_ratio_to_python = RcML median / " +
                "Python median; worst_over_python_median = RcML's worst seed / Python median. time_to_python_quality: the smallest " +
                "RcML budget (80 or 240 s, as a fraction of 240) whose median is at most the Python 240 s median on every system; if " +
                "neither, the largest over systems of RcML's 240 s median / Python's 240 s median (above 1). rcml_trials_ratio: the most " +
                "finished trials of a seed over the fewest, per system and budget; trials_ratio_max the largest of them.",
            ["rcml_extra_args"] = string.Join(' ', ctx.RcmlArgs),
            ["first_seed"] = ctx.FirstSeed,
            ["budgets"] = new JsonArray(budgets.Select(b => (JsonNode)new JsonObject { ["seconds"] = b.Seconds, ["seeds"] = b.Seeds, ["python"] = b.Python }).ToArray()),
        };
        var medians = new Dictionary<(string System, string Side, int Budget), double>();
        foreach (var c in Cases.Where(c => ctx.Systems?.Contains(c.Name) ?? true))
        {
            var (train, test) = WriteData(ctx, c);
            var testData = ShootingData.Load(test, DataOptions(c));
            var features = ShootingData.Load(train, DataOptions(c)).FeatureNames;
            var system = new JsonObject { ["description"] = c.Description, ["features"] = features.Count };
            foreach (var b in budgets)
            {
                var rc = new List<JsonObject>();
                var py = new List<JsonObject>();
                for (int seed = 1 + ctx.FirstSeed; seed <= b.Seeds + ctx.FirstSeed; seed++)
                {
                    rc.Add(RunRcml(ctx, cli, c, train, testData, b.Seconds, seed));
                    ctx.Log($"delivered {c.Name} {b.Seconds}s seed {seed}: RcML excess {rc[^1]["test_excess"]} ({rc[^1]["trials"]} trials, {rc[^1]["wall_seconds"]} s)");
                    if (!b.Python || ctx.NoPeer) continue;
                    py.Add(RunPython(ctx, c, train, test, features, testData, b.Seconds, seed));
                    ctx.Log($"delivered {c.Name} {b.Seconds}s seed {seed}: Python excess {py[^1]["test_excess"]} ({py[^1]["trials"]} trials, {py[^1]["wall_seconds"]} s)");
                }
                system[b.Seconds.ToString()] = Compare(rc, py, b, c, medians);
            }
            result[c.Name] = system;
        }
        result["time_to_python_quality"] = TimeToPythonQuality(medians, budgets);
        var ratios = Cases.Where(c => result[c.Name] is JsonObject).SelectMany(c => budgets.Select(b => result[c.Name]![b.Seconds.ToString()]?["rcml_trials_ratio"]))
            .OfType<JsonNode>().Select(n => n.GetValue<double>()).ToArray();
        if (ratios.Length > 0)
        {
            result["trials_ratio_max"] = J(ratios.Max());
            result["trials_ratio_target"] = "<= 3";
        }
        return result;
    }

    static JsonObject Compare(List<JsonObject> rc, List<JsonObject> py, Budget b, Case c, Dictionary<(string, string, int), double> medians)
    {
        double[] Excess(List<JsonObject> runs) => runs.Select(r => r["test_excess"]?.GetValue<double>() ?? double.NaN).ToArray();
        var rcEx = Excess(rc);
        double rcMedian = Median(rcEx), rcWorst = rcEx.Max();
        medians[(c.Name, "rcml", b.Seconds)] = rcMedian;
        var o = new JsonObject
        {
            ["rcml_median_excess"] = J(rcMedian), ["rcml_worst_excess"] = J(rcWorst),
            ["rcml_over_budget_seconds_max"] = J(rc.Max(r => r["wall_seconds"]!.GetValue<double>()) - b.Seconds),
        };
        // Comparably many trials whatever the seed: the most over the fewest finished trials among the seeds.
        var trials = rc.Select(r => r["trials"]?.GetValue<int>()).OfType<int>().ToArray();
        if (trials.Length == rc.Count && trials.Min() > 0)
        {
            o["rcml_trials_min"] = trials.Min();
            o["rcml_trials_max"] = trials.Max();
            o["rcml_trials_ratio"] = J((double)trials.Max() / trials.Min());
        }
        if (py.Count > 0)
        {
            var pyEx = Excess(py);
            double pyMedian = Median(pyEx);
            medians[(c.Name, "python", b.Seconds)] = pyMedian;
            o["python_median_excess"] = J(pyMedian);
            o["python_worst_excess"] = J(pyEx.Max());
            o["median_ratio_to_python"] = J(rcMedian / pyMedian);
            o["worst_over_python_median"] = J(rcWorst / pyMedian);
        }
        o["rcml"] = new JsonArray(rc.Select(r => (JsonNode)r).ToArray());
        if (py.Count > 0) o["python"] = new JsonArray(py.Select(r => (JsonNode)r).ToArray());
        return o;
    }

    static JsonNode? TimeToPythonQuality(Dictionary<(string System, string Side, int Budget), double> medians, Budget[] budgets)
    {
        int reference = budgets.Where(b => b.Python).Max(b => b.Seconds);
        bool MeetsAt(int budget) => Cases.All(c => medians.TryGetValue((c.Name, "rcml", budget), out var r)
            && medians.TryGetValue((c.Name, "python", reference), out var p) && r <= p);
        foreach (int budget in budgets.Select(b => b.Seconds).Where(s => s <= reference).Order())
            if (MeetsAt(budget)) return J((double)budget / reference);
        return J(Cases.Max(c => medians.GetValueOrDefault((c.Name, "rcml", reference), double.NaN) / medians.GetValueOrDefault((c.Name, "python", reference), double.NaN)));
    }

    /// <summary>The systems' training and test files (written on first use) and their periodic-column patterns.</summary>
    public static IEnumerable<(string Name, string Train, string Test, string[] Periodic)> Data(BenchContext ctx) =>
        Cases.Where(c => ctx.Systems?.Contains(c.Name) ?? true).Select(c =>
        {
            var (train, test) = WriteData(ctx, c);
            return (c.Name, train, test, c.Molecular ? new[] { MolecularCvs.PeriodicPattern } : []);
        });

    static ShootingDataOptions DataOptions(Case c) =>
        new() { Periodic = c.Molecular ? [MolecularCvs.PeriodicPattern] : [] };

    /// <summary>Training and test CSVs (the test set shares the training run's exact committor; cached per definition).</summary>
    static (string Train, string Test) WriteData(BenchContext ctx, Case c)
    {
        var dir = Path.Combine(ctx.WorkDir, "delivered", $"{c.Name}-{c.Points}x{c.Shots}-{c.TrainSeed}-{c.TestSeed}");
        string train = Path.Combine(dir, "train.csv"), test = Path.Combine(dir, "test.csv");
        if (File.Exists(train) && File.Exists(test)) return (train, test);
        Directory.CreateDirectory(dir);
        var system = ModelSystems.Get(c.System);
        var options = new ShootingSimulator.Options { System = system, Points = c.Points, ShotsPerPoint = c.Shots, NoiseDimensions = c.Molecular ? 0 : 6, Seed = c.TrainSeed };
        var simulator = new ShootingSimulator(options);
        var testRun = new ShootingSimulator(new ShootingSimulator.Options
        {
            System = system, Points = 2000, ShotsPerPoint = c.Shots, NoiseDimensions = options.NoiseDimensions, Seed = c.TestSeed, Committor = simulator.Committor,
        });
        foreach (var (sim, seed, path) in new[] { (simulator, c.TrainSeed, train), (testRun, c.TestSeed, test) })
        {
            var data = sim.Run();
            if (c.Molecular) MolecularCvs.Write(data, system.Domain, seed, path);
            else ShootingCsv.Write(data, path);
        }
        ctx.Log($"delivered {c.Name}: wrote {train} and {test}");
        return (train, test);
    }

    /// <summary>Folds of `rcml tune`'s default racing.</summary>
    const int Folds = 5;

    static (string File, string[] Prefix) Cli(BenchContext ctx)
    {
        var dir = Path.Combine(ctx.RepoRoot, "src", "RcML.Cli", "bin", "Release", "net10.0");
        var apphost = Path.Combine(dir, "rcml");
        if (File.Exists(apphost)) return (apphost, []);
        return ("dotnet", [Path.Combine(dir, "RcML.Cli.dll")]);
    }

    static JsonObject RunRcml(BenchContext ctx, (string File, string[] Prefix) cli, Case c, string train, ShootingData test, int seconds, int seed)
    {
        var dir = Path.Combine(ctx.WorkDir, "delivered", "runs", $"{c.Name}-{seconds}-{seed}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo(cli.File) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in cli.Prefix) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "tune", "--data", train, "--time", seconds.ToString(), "--seed", seed.ToString() }) psi.ArgumentList.Add(a);
        if (c.Molecular) { psi.ArgumentList.Add("--periodic"); psi.ArgumentList.Add(MolecularCvs.PeriodicPattern); }
        foreach (var a in ctx.RcmlArgs) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"rcml tune failed ({p.ExitCode}): {err.Result.Trim()}");
        var (model, _) = CommittorModelFile.Load(new MLContext(seed: 1), Path.Combine(dir, "best.zip"));
        var (_, committor) = CommittorModelFile.Score(model, test.ToDataView());
        var summary = StudyLine().Match(output);
        var run = Scored(committor, test);
        run["seed"] = seed;
        run["wall_seconds"] = J(wall);
        run["trials"] = summary.Success ? int.Parse(summary.Groups[1].Value) : null;
        // With --final-trials / --final-refits the model's members come in groups of the fold count: the best trials'
        // fold networks (best first), then the refits. Each group alone and the ensembles of the first g groups are
        // scored too: a paired comparison of final models on one study.
        var members = CommittorScoring.ReadEnsemble(Path.Combine(dir, "best.zip")).Members;
        if (members.Count > Folds && members.Count % Folds == 0)
        {
            double Excess(IEnumerable<CommittorNetworkSpec> networks) =>
                Scored(CommittorModelFile.Score(new MLContext(seed: 1).ReactionCoordinates().Ensembles.FromNetworks(networks).ToModel(), test.ToDataView()).Committor, test)["test_excess"]!.GetValue<double>();
            int groups = members.Count / Folds;
            run["test_excess_by_member_group"] = new JsonArray(Enumerable.Range(0, groups).Select(g => J(Excess(members.Skip(g * Folds).Take(Folds)))).ToArray());
            run["test_excess_by_first_groups"] = new JsonArray(Enumerable.Range(1, groups).Select(g => J(Excess(members.Take(g * Folds)))).ToArray());
            run["test_excess_first_and_last_group"] = J(Excess(members.Take(Folds).Concat(members.Skip(members.Count - Folds))));
        }
        run["validation"] = BestLine().Match(output) is { Success: true } m ? J(double.Parse(m.Groups[1].Value)) : null;
        Directory.Delete(dir, recursive: true);
        return run;
    }

    static JsonObject RunPython(BenchContext ctx, Case c, string train, string test, IReadOnlyList<string> features, ShootingData testData, int seconds, int seed)
    {
        var cfg = new JsonObject
        {
            ["train"] = train, ["test"] = test, ["seconds"] = seconds, ["seed"] = seed,
            ["features"] = new JsonArray(features.Select(f => (JsonNode)f).ToArray()),
            ["periodic"] = new JsonArray(features.Where(f => c.Molecular && f.StartsWith("dih_")).Select(f => (JsonNode)f).ToArray()),
        };
        var clock = Stopwatch.StartNew();
        var peer = Peer.RunJson(ctx, "delivered_peer.py", cfg.ToJsonString());
        double wall = clock.Elapsed.TotalSeconds;
        var p = peer["test_committor"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
        var run = Scored(p, testData);
        run["seed"] = seed;
        run["wall_seconds"] = J(wall);
        run["trials"] = peer["trials"]!.GetValue<int>();
        run["complete"] = peer["complete"]!.GetValue<int>();
        run["validation"] = J(peer["best_value"]!.GetValue<double>());
        run["best_parameters"] = peer["best_params"]?.DeepClone();
        return run;
    }

    static JsonObject Scored(float[] committor, ShootingData test)
    {
        var m = CommittorMetrics.Compute(committor, test.CountA, test.CountB, test.References["ref_committor"]);
        return new JsonObject { ["test_excess"] = J(m.ExcessCrossEntropy ?? double.NaN), ["test_cross_entropy"] = J(m.CrossEntropy) };
    }

    /// <summary>The section of latest.md.</summary>
    public static string Markdown(JsonObject d)
    {
        static string F(JsonNode? n, string fmt = "F4") => n is null ? "–" : n.GetValue<double>().ToString(fmt, System.Globalization.CultureInfo.InvariantCulture);
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("## What `rcml tune --time T` hands back (delivered)").AppendLine().AppendLine(d["method"]!.ToString()).AppendLine();
        sb.AppendLine("| system | budget (s) | RcML median excess | RcML worst | Python median | Python worst | median ratio (≤ 0.7) | worst / Python median (≤ 1) | RcML trials (median) | RcML trials, fewest–most (most / fewest ≤ 3) | Python trials (median) | RcML over budget, max (s) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, s) in d)
        {
            if (s is not JsonObject so || so["description"] is null) continue;
            foreach (var (budget, b) in so)
            {
                if (b is not JsonObject bo || bo["rcml"] is null) continue;
                double MedianTrials(string side) => bo[side] is JsonArray a ? Median(a.Select(r => r!["trials"] is JsonNode t ? double.Parse(t.ToJsonString()) : double.NaN)) : double.NaN;
                sb.AppendLine($"| {name} | {budget} | {F(bo["rcml_median_excess"])} | {F(bo["rcml_worst_excess"])} | {F(bo["python_median_excess"])} | " +
                    $"{F(bo["python_worst_excess"])} | {F(bo["median_ratio_to_python"], "F2")} | {F(bo["worst_over_python_median"], "F2")} | " +
                    $"{MedianTrials("rcml"):F0} | {bo["rcml_trials_min"]}–{bo["rcml_trials_max"]} ({F(bo["rcml_trials_ratio"], "F1")}) | " +
                    $"{MedianTrials("python"):F0} | {F(bo["rcml_over_budget_seconds_max"], "F1")} |");
            }
        }
        sb.AppendLine().AppendLine($"delivered.time_to_python_quality: {F(d["time_to_python_quality"], "F2")} (target ≤ 0.33)").AppendLine();
        sb.AppendLine($"delivered.trials_ratio_max: {F(d["trials_ratio_max"], "F1")} (target ≤ 3)").AppendLine();
        return sb.ToString();
    }

    [GeneratedRegex(@"study '[^']*': (\d+) finished trials")]
    private static partial Regex StudyLine();

    [GeneratedRegex(@"validation cross-entropy ([0-9.eE+-]+)")]
    private static partial Regex BestLine();
}
