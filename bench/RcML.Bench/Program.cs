using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using RcML.Bench;
using RcML.Native;
using TorchSharp;

// bench/run drives this: dotnet RcML.Bench.dll [--quick] [--only training,tuning,quality,scaling,delivered,active_learning,ensembles] [--out DIR]
// (delivered, ~75 min in full, active_learning and ensembles, ~10 min each, run only when named in --only)
// Tuning iteration: [--tasks committor,mixed] [--tuners rcml_tpe,rcml_gp] [--trace] (per-trial parameters and losses).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool quick = args.Contains("--quick");
string? Arg(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
var root = FindRoot();
var outDir = Path.GetFullPath(Arg("--out") ?? Path.Combine(root, "bench", "results"));
var only = (Arg("--only") ?? "training,tuning,quality,scaling").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
// The delivered, active_learning and ensembles sections alone write their own files, not part of the default run's latest.*.
string[] ownFiles = ["delivered", "final_model", "active_learning", "ensembles"];
var prefix = Arg("--name") ?? (only.Count == 1 && ownFiles.Contains(only.Single())
    ? (only.Single() == "delivered" && quick ? "delivered_quick" : only.Single()) : "latest");
var work = Path.Combine(Path.GetTempPath(), "rcml-bench");
Directory.CreateDirectory(work);
Directory.CreateDirectory(outDir);
var ctx = new BenchContext
{
    Quick = quick, RepoRoot = root, ResultsDir = outDir, WorkDir = work,
    Python = Environment.GetEnvironmentVariable("RCML_BENCH_PYTHON") ?? "/usr/bin/python3",
    Cases = Arg("--cases")?.Split(',').ToHashSet(),
    Reps = Arg("--reps") is string r ? int.Parse(r) : null,
    NoPeer = args.Contains("--no-peer"),
    Tasks = Arg("--tasks")?.Split(',').ToHashSet(),
    Tuners = Arg("--tuners")?.Split(',').ToHashSet(),
    Trace = args.Contains("--trace"),
    FirstSeed = Arg("--first-seed") is string fs ? int.Parse(fs) : 0,
    Seeds = Arg("--seeds") is string ns ? int.Parse(ns) : null,
    RcmlArgs = Arg("--rcml-args")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
    Budgets = Arg("--budgets")?.Split(',').Select(int.Parse).ToArray(),
    Systems = Arg("--systems")?.Split(',').ToHashSet(),
};

TorchRuntime.EnsureLoaded();
torch.set_num_threads(2);

var started = DateTime.UtcNow;
var sw = Stopwatch.StartNew();
var json = new JsonObject
{
    ["schema"] = 1,
    ["mode"] = quick ? "quick" : "full",
    ["command"] = "bench/run" + (quick ? " --quick" : "") + (Arg("--only") is string o ? $" --only {o}" : ""),
    ["started_utc"] = started.ToString("O"),
    ["machine"] = Machine(ctx),
};
// --merge: start from the existing results file and replace only the sections run now (their plots are rewritten,
// the others' SVGs are left as they are). The merged file records which sections were re-run and when.
if (args.Contains("--merge") && File.Exists(Path.Combine(outDir, prefix + ".json")))
{
    var old = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, prefix + ".json")))!.AsObject();
    foreach (var (k, v) in old)
        if (k is "training" or "tuning" or "quality" or "delivered" or "scaling" or "active_learning" or "ensembles" && !only.Contains(k)) json[k] = v?.DeepClone();
    json["merged"] = new JsonObject
    {
        ["rerun_sections"] = string.Join(",", only), ["rerun_started_utc"] = started.ToString("O"),
        ["machine_of_rerun"] = json["machine"]!.DeepClone(), ["original_started_utc"] = old["started_utc"]?.DeepClone(),
        ["original_machine"] = old["machine"]?.DeepClone(), ["original_mode"] = old["mode"]?.DeepClone(),
    };
    json["mode"] = old["mode"]?.DeepClone();
    json["command"] = old["command"]?.DeepClone();
}
var plots = new List<Svg.Series>();
var errors = new JsonObject();
void Section(string name, Func<JsonObject> run)
{
    if (!only.Contains(name)) return;
    ctx.Log($"== {name}");
    var t = Stopwatch.StartNew();
    try { var r = run(); r["section_seconds"] = Math.Round(t.Elapsed.TotalSeconds, 1); json[name] = r; }
    catch (Exception e) { errors[name] = e.ToString(); ctx.Log($"{name} failed: {e}"); }
}
Section("training", () => TrainingBench.Run(ctx, plots));
Section("tuning", () => TuningBench.Run(ctx, plots));
Section("quality", () => QualityBench.Run(ctx));
Section("delivered", () => DeliveredBench.Run(ctx));
Section("final_model", () => FinalModelProbe.Run(ctx));
Section("active_learning", () => ActiveLearningBench.Run(ctx, plots));
Section("ensembles", () => EnsembleBench.Run(ctx));
Section("scaling", () => new JsonObject
{
    ["training_time_vs_data_size"] = TrainingBench.Scaling(ctx, plots),
    ["tuner_overhead_vs_trials"] = TuningBench.Overhead(ctx, plots, json["tuning"]?.AsObject() ?? new JsonObject()),
});
if (errors.Count > 0) json["errors"] = errors;
json["finished_utc"] = DateTime.UtcNow.ToString("O");
json["total_seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);
json["machine"]!["load_average_at_end"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

File.WriteAllText(Path.Combine(outDir, prefix + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
var svgs = WritePlots(outDir, prefix, plots);
File.WriteAllText(Path.Combine(outDir, prefix + ".md"), Report.Markdown(json, svgs));
ctx.Log($"wrote {Path.Combine(outDir, prefix + ".json")} and .md in {sw.Elapsed.TotalMinutes:F1} min");
return errors.Count > 0 ? 1 : 0;

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RcML.sln"))) return d.FullName;
    throw new InvalidOperationException("Run from inside the RcML repository.");
}

static JsonObject Machine(BenchContext ctx)
{
    string cpu = "unknown";
    if (File.Exists("/proc/cpuinfo"))
        cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
    var versions = new JsonObject();
    try
    {
        var props = XDocument.Load(Path.Combine(ctx.RepoRoot, "Directory.Packages.props"));
        foreach (var e in props.Descendants("PackageVersion"))
        {
            var id = (string?)e.Attribute("Include");
            if (id is "TorchSharp" or "libtorch-cpu-linux-x64" or "Microsoft.ML" or "Microsoft.ML.LightGbm") versions[id] = (string?)e.Attribute("Version");
        }
    }
    catch (Exception) { }
    versions["dotnet"] = Environment.Version.ToString();
    try
    {
        var peer = Peer.RunJson(ctx, "versions.py");
        foreach (var (k, v) in peer.AsObject()) versions[k] = v?.DeepClone();
    }
    catch (Exception e) { versions["python_peers"] = "unavailable: " + e.Message; }
    return new JsonObject
    {
        ["cpu_model"] = cpu,
        ["logical_cpus"] = Environment.ProcessorCount,
        ["threads"] = torch.get_num_threads(),
        ["omp_wait_policy"] = "PASSIVE (RcML TorchRuntime; set identically for the Python peers)",
        ["load_average_at_start"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        ["memory_gb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
        ["versions"] = versions,
    };
}

static Dictionary<string, string> WritePlots(string dir, string prefix, List<Svg.Series> plots)
{
    var files = new Dictionary<string, string>();
    var groups = plots.GroupBy(p => p.Name.Split('|')[0]);
    foreach (var g in groups)
    {
        var series = g.Select(s => s with { Name = s.Name.Split('|')[1] }).ToList();
        string svg = g.Key switch
        {
            "training_vs_size" => Svg.LineChart("Training time per epoch vs data size", "points", "seconds per epoch", series, true, true),
            "overhead" => Svg.LineChart("Tuner overhead vs finished trials (Hartmann-6)", "finished trials", "Propose time (ms)", series, false, true),
            var k when k.StartsWith("active_learning_") => Svg.LineChart($"{k["active_learning_".Length..]}: median test excess cross-entropy", "shots", "excess cross-entropy (log)", series, false, true),
            var k when k.StartsWith("tuning_committor") => Svg.LineChart("Committor task: median best-so-far validation CE", "trial", "validation cross-entropy", series),
            var k => Svg.LineChart($"{k["tuning_".Length..]}: median best-so-far regret", "trial", "regret (log)", series, false, true),
        };
        if (svg == "") continue;
        var file = $"{prefix}_{g.Key}.svg";
        File.WriteAllText(Path.Combine(dir, file), svg);
        files[g.Key] = file;
    }
    return files;
}
