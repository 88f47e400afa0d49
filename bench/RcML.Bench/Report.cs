using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.Bench;

/// <summary>bench/results/latest.md from the JSON.</summary>
public static class Report
{
    static string F(JsonNode? n, string fmt = "G4")
    {
        if (n is null) return "–";
        if (n.GetValueKind() == JsonValueKind.Number) return n.GetValue<double>().ToString(fmt, CultureInfo.InvariantCulture);
        return n.ToString();
    }

    static double D(JsonNode? n) => n is not null && n.GetValueKind() == JsonValueKind.Number ? n.GetValue<double>() : double.NaN;

    static string Ms(JsonNode? n) => n is null ? "–" : (n.GetValue<double>() * 1e3).ToString("F1", CultureInfo.InvariantCulture);

    public static string Markdown(JsonObject j, Dictionary<string, string> svgs)
    {
        var sb = new StringBuilder();
        var m = j["machine"]!;
        sb.AppendLine($"# RcML benchmarks ({j["mode"]})");
        sb.AppendLine();
        sb.AppendLine($"Command: `{j["command"]}` · started {j["started_utc"]} · {F(j["total_seconds"], "F0")} s");
        sb.AppendLine();
        sb.AppendLine($"Machine: {m["cpu_model"]}, {m["logical_cpus"]} logical CPUs, {m["threads"]} torch threads on both sides, OMP_WAIT_POLICY=PASSIVE on both sides. " +
            $"Load average at start `{m["load_average_at_start"]}`, at end `{m["load_average_at_end"]}` (a shared VM: absolute times are noisy, the ratios are measured side by side).");
        if (j["merged"] is JsonNode mg)
            sb.AppendLine($"\nSections `{mg["rerun_sections"]}` were re-run at {mg["rerun_started_utc"]} (load `{mg["machine_of_rerun"]!["load_average_at_start"]}`) and merged into the run of {mg["original_started_utc"]} (machine line above is the re-run's).");
        var v = m["versions"]!;
        sb.AppendLine();
        sb.AppendLine($"Versions: TorchSharp {v["TorchSharp"]}, libtorch-cpu {v["libtorch-cpu-linux-x64"]}, ML.NET {v["Microsoft.ML"]}, .NET {v["dotnet"]}; " +
            $"Python peers (Debian): Python {v["python"]}, torch {v["torch"]}, optuna {v["optuna"]}, scikit-learn {v["sklearn"]}; peer BLAS: {v["peer_blas"]?.ToJsonString() ?? "?"} (Debian torch links libblas.so.3; the driver points the peers at Debian's OpenBLAS, because the default reference BLAS is ~15x slower).");
        sb.AppendLine();
        // The headline keys come from the default run's sections; a run of other sections alone has none of them.
        if (j["training"] is not null || j["tuning"] is not null)
        {
            sb.AppendLine("## Headline");
            sb.AppendLine();
            sb.AppendLine("| metric | value | target |");
            sb.AppendLine("|---|---|---|");
            sb.AppendLine($"| training.rcml_over_pytorch_time (paper net, mini-batch 256) | {F(j["training"]?["rcml_over_pytorch_time"], "F2")} | ≤ 0.8 |");
            sb.AppendLine($"| training.rcml_over_pytorch_cpu_time (same case, process CPU time) | {F(j["training"]?["rcml_over_pytorch_cpu_time"], "F2")} | – |");
            sb.AppendLine($"| training.rcml_over_faster_pytorch_thread_setting_time (same case, PyTorch at the faster of 1 and 2 threads) | {F(j["training"]?["rcml_over_faster_pytorch_thread_setting_time"], "F2")} | – |");
            sb.AppendLine($"| training.fraction_of_gemm_peak (paper net, mini-batch 256) | {F(j["training"]?["fraction_of_gemm_peak"], "F3")} | ≥ 0.30 |");
            sb.AppendLine($"| tuning.trials_to_match_optuna_tpe_100 (committor task, {F(j["tuning"]?["best_rcml_tuner_on_committor"])}) | {F(j["tuning"]?["trials_to_match_optuna_tpe_100"])} | ≤ 50 |");
            sb.AppendLine();
        }

        if (j["training"] is JsonObject t)
        {
            sb.AppendLine("## Training throughput");
            sb.AppendLine();
            sb.AppendLine(t["method"]!.ToString());
            sb.AppendLine();
            sb.AppendLine($"Dense GEMM ({t["gemm"]!["size"]}, {t["gemm"]!["threads"]} threads): TorchSharp/libtorch {(D(t["gemm"]!["torchsharp_flops_per_second"]!["median"]) / 1e9).ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s, " +
                $"Debian PyTorch {(D(t["gemm"]!["pytorch_flops_per_second"]!["median"]) / 1e9).ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s (medians).");
            sb.AppendLine();
            sb.AppendLine("| case | rows | batch | epochs | RcML ms/epoch (median [min–max]) | PyTorch ms/epoch | RcML/PyTorch time (median [min–max]) | RcML/PyTorch CPU time | PyTorch 1 thread ms/epoch | RcML / faster PyTorch setting | RcML GFLOP/s | fraction of GEMM peak (RcML / PyTorch) |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (name, c) in t["cases"]!.AsObject())
            {
                var r = c!["rcml_epoch_seconds"]!; var p = c["pytorch_epoch_seconds"]!; var q = c["rcml_over_pytorch_time"]!;
                sb.AppendLine($"| {name} | {c["train_rows"]} | {c["batch"]} | {c["epochs"]} | {Ms(r["median"])} [{Ms(r["min"])}–{Ms(r["max"])}] | {Ms(p["median"])} [{Ms(p["min"])}–{Ms(p["max"])}] | " +
                    $"{F(q["median"], "F2")} [{F(q["min"], "F2")}–{F(q["max"], "F2")}] | {F(c["rcml_over_pytorch_cpu_time"]?["median"], "F2")} | {Ms(c["pytorch_1thread_epoch_seconds"]?["median"])} | {F(c["rcml_over_faster_pytorch_thread_setting_time"]?["median"], "F2")} | {(D(c["rcml_flops_per_second"]) / 1e9).ToString("F2", CultureInfo.InvariantCulture)} | {F(c["fraction_of_gemm_peak"], "F3")} / {F(c["pytorch_fraction_of_gemm_peak"], "F3")} |");
            }
            sb.AppendLine();
        }

        if (j["tuning"] is JsonObject tu)
        {
            sb.AppendLine("## Tuning efficiency");
            sb.AppendLine();
            sb.AppendLine(tu["method"]!.ToString());
            sb.AppendLine();
            sb.AppendLine("Best value after 25 / 50 / 100 trials (median over seeds; regret is value minus the known optimum where there is one):");
            sb.AppendLine();
            sb.AppendLine("| task | seeds | tuner | best@25 | best@50 | best@100 [q25–q75] | failed | propose ms (median) | trials to reach Optuna-TPE@100 (median over seeds of the median target; seeds that reach it; paired seed-by-seed) |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var (task, tj) in tu["tasks"]!.AsObject())
                foreach (var (tn, r) in tj!["tuners"]!.AsObject())
                {
                    var match = tj["trials_to_match_optuna_tpe_100"]![tn]?["median"];
                    sb.AppendLine($"| {task} | {tj["seeds"]} | {tn} | {F(r!["best_at_25"]!["median"])} | {F(r["best_at_50"]!["median"])} | {F(r["best_at_100"]!["median"])} [{F(r["best_at_100"]!["q25"])}–{F(r["best_at_100"]!["q75"])}] | {r["failed_trials"]} | {F(r["propose_ms"]!["median"], "F1")} | {(tn == "optuna_tpe" ? "(target " + F(tj["optuna_tpe_100_target"]) + ")" : F(match) + $" (reached {tj["trials_to_match_optuna_tpe_100"]![tn]?["reached"]}; paired by seed: {F(tj["trials_to_match_optuna_tpe_100"]![tn]?["paired_median"])})")} |");
                }
            sb.AppendLine();
            foreach (var (task, tj) in tu["tasks"]!.AsObject())
            {
                if (tj!["description"] is JsonNode description) sb.AppendLine($"The {task} task: {description}.\n");
                if (tj["test_excess_of_best"] is JsonObject best)
                {
                    sb.AppendLine($"What the {task} task's tuners hand back: the best configuration by validation loss, scored on independent test data " +
                        "(excess cross-entropy per shot over the exact committor; median [q25–q75] over seeds):");
                    sb.AppendLine();
                    sb.AppendLine("| tuner | after 50 trials | after 100 trials |");
                    sb.AppendLine("|---|---|---|");
                    foreach (var (tn, b) in best)
                        sb.AppendLine($"| {tn} | {F(b!["at_50"]!["median"], "F5")} [{F(b["at_50"]!["q25"], "F5")}–{F(b["at_50"]!["q75"], "F5")}] | {F(b["at_100"]!["median"], "F5")} [{F(b["at_100"]!["q25"], "F5")}–{F(b["at_100"]!["q75"], "F5")}] |");
                    sb.AppendLine();
                }
                if (tj["initialization_luck"] is not JsonObject luck) continue;
                sb.AppendLine($"Initialization luck on the {task} task ({luck["note"]}):");
                sb.AppendLine();
                sb.AppendLine("| configuration | its init seed: loss | other seeds: median [min–max] | sd | at or below the target | test excess, its seed | other seeds: median | Spearman(validation, test) over 21 trainings |");
                sb.AppendLine("|---|---|---|---|---|---|---|---|");
                foreach (var c in luck["configurations"]!.AsArray())
                {
                    var o = c!["loss_other_init_seeds"]!;
                    sb.AppendLine($"| `{c["parameters"]!.ToJsonString()}` | {c["own_init_seed"]}: {F(c["loss_own_init_seed"], "F5")} | {F(o["median"], "F5")} [{F(o["min"], "F5")}–{F(o["max"], "F5")}] | {F(c["sd_other_init_seeds"], "F5")} | {c["other_init_seeds_at_or_below_target"]} | " +
                        $"{F(c["test_excess_own_init_seed"], "F5")} | {F(c["test_excess_other_init_seeds"]?["median"], "F5")} | {F(c["spearman_validation_vs_test"], "F2")} |");
                }
                sb.AppendLine();
            }
            foreach (var key in new[] { "tuning_committor", "tuning_branin", "tuning_hartmann6", "tuning_mixed" })
                if (svgs.TryGetValue(key, out var f)) sb.AppendLine($"![{key}]({f})");
            sb.AppendLine();
        }

        if (j["quality"] is JsonObject qu)
        {
            sb.AppendLine("## Model quality vs classical baselines");
            sb.AppendLine();
            sb.AppendLine(qu["method"]!.ToString());
            sb.AppendLine();
            sb.AppendLine("| system | model | excess CE per shot (test) | RMSE to exact committor | test CE |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var (sys, s) in qu)
            {
                if (s is not JsonObject so) continue;
                foreach (var model in new[] { "rcml_tuned_network", "lightgbm_tuned", "lightgbm_default", "logistic_regression" })
                    if (so[model] is JsonObject mo)
                        sb.AppendLine($"| {sys} | {model} | {F(mo["excess_cross_entropy"], "F4")} | {F(mo["rmse_to_exact_committor"], "F4")} | {F(mo["test_cross_entropy"], "F4")} |");
            }
            sb.AppendLine();
            foreach (var (sys, s) in qu)
                if (s is JsonObject so && so["network_beats_lightgbm"] is JsonNode b)
                    sb.AppendLine(b.GetValue<bool>() ? $"- {sys}: the tuned network beats tuned LightGBM." : $"- **{sys}: the tuned network does NOT beat tuned LightGBM.**");
            sb.AppendLine();
        }

        if (j["delivered"] is JsonObject de) sb.Append(DeliveredBench.Markdown(de));
        if (j["active_learning"] is JsonObject al && al["key_definition"] is not null) sb.Append(ActiveLearningBench.Markdown(al));

        if (j["scaling"] is JsonObject sc)
        {
            sb.AppendLine("## Scaling");
            sb.AppendLine();
            sb.AppendLine("Training time per epoch vs data size (" + sc["training_time_vs_data_size"]!["network"] + "):");
            sb.AppendLine();
            sb.AppendLine("| points | RcML s/epoch | PyTorch s/epoch |");
            sb.AppendLine("|---|---|---|");
            foreach (var r in sc["training_time_vs_data_size"]!["curve"]!.AsArray())
                sb.AppendLine($"| {r!["points"]} | {F(r["rcml_epoch_seconds"], "F4")} | {F(r["pytorch_epoch_seconds"], "F4")} |");
            sb.AppendLine();
            var o = sc["tuner_overhead_vs_trials"]!;
            sb.AppendLine("Tuner overhead: Propose time (ms, median of a 10-trial window) vs finished trials, Hartmann-6:");
            sb.AppendLine();
            sb.AppendLine("| finished trials | GP | TPE |");
            sb.AppendLine("|---|---|---|");
            var gp = o["rcml_gp"]!.AsArray(); var tpe = o["rcml_tpe"]!.AsArray();
            for (int i = 0; i < gp.Count; i++)
                sb.AppendLine($"| {gp[i]!["finished_trials"]} | {F(gp[i]!["propose_ms"], "F1")} | {F(tpe[i]!["propose_ms"], "F1")} |");
            if (o["committor_trial_ms"] is JsonNode ct)
                sb.AppendLine($"\nA committor-task trial's training takes {F(ct["objective_ms_median"], "F0")} ms (median); {ct["note"]}.");
            sb.AppendLine();
            foreach (var key in new[] { "training_vs_size", "overhead" })
                if (svgs.TryGetValue(key, out var f)) sb.AppendLine($"![{key}]({f})");
            sb.AppendLine();
        }
        if (j["errors"] is JsonObject err)
        {
            sb.AppendLine("## Errors");
            foreach (var (k, e) in err) sb.AppendLine($"- {k}: `{e!.ToString().Split('\n')[0]}`");
        }
        return sb.ToString();
    }
}
