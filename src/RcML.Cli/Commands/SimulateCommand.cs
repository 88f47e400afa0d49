using System.CommandLine;
using System.Diagnostics;
using RcML.Simulation;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml simulate</c>: shooting data from a model system whose exact committor is known (written as ref_committor),
/// by overdamped Langevin trajectories.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var defaults = new ShootingSimulator.Options();
        var system = Choices.Of("--system", "Model system.", "muller-brown", ModelSystems.Names.ToArray());
        var points = new Option<int>("--points") { Description = "Configurations.", DefaultValueFactory = _ => defaults.Points };
        var shots = new Option<int>("--shots") { Description = "Trajectories shot from each configuration.", DefaultValueFactory = _ => defaults.ShotsPerPoint };
        var noise = new Option<int>("--noise-dims") { Description = "Extra CV columns: irrelevant noise and noisy mixtures of x and y.", DefaultValueFactory = _ => defaults.NoiseDimensions };
        var seed = new Option<long>("--seed") { Description = "Seed; the output is the same for a seed whatever the thread count.", DefaultValueFactory = _ => defaults.Seed };
        var cvs = Choices.Of("--cvs",
            "Columns written: 'plain' (x, y and the --noise-dims columns) or 'molecular' (90 molecular-style CVs: angles " +
            $"'{MolecularCvs.PeriodicPattern}' in degrees, distances, contacts, near-duplicates, nonlinear functions, noise; x and y as ref_x, ref_y).",
            "plain", ["plain", "molecular"]);
        var output = new Option<string>("--out") { Description = "Output CSV.", Required = true };
        var pool = new Option<int?>("--pool") { Description = "Write N candidate configurations without shots instead, drawn as --pool-from says, with ref_committor." };
        var poolFrom = Choices.Of("--pool-from",
            "Candidates' distribution: 'transition' (Boltzmann at the system's kT within 0.02 <= q <= 0.98 of the exact committor) or " +
            "'equilibrium' (Boltzmann at kT over the domain outside A and B, as a long Langevin run visits it: mostly basins).",
            CandidatePool.Transition);
        var from = new Option<string?>("--from") { Description = "Shoot from the x, y of this CSV's rows instead (e.g. rcml suggest's picks); its other columns are kept, noise CVs regenerated." };
        var command = new Command("simulate", "Simulate shooting data on a model system with an exact committor.") { system, points, shots, noise, cvs, seed, output, pool, poolFrom, from };
        command.SetAction(result => CliRun.Guard(() =>
        {
            bool molecular = result.GetValue(cvs) == "molecular";
            if (molecular && (result.GetValue(pool) is not null || result.GetValue(from) is not null))
                throw new ArgumentException("--cvs molecular writes shooting data only; --pool and --from write plain columns.");
            if (result.GetValue(pool) is null && result.GetResult(poolFrom) is { Implicit: false })
                throw new ArgumentException("--pool-from says where --pool draws candidates; give --pool N with it.");
            if (result.GetValue(pool) is { } poolSize)
            {
                if (result.GetValue(from) is not null) throw new ArgumentException("--pool and --from exclude each other.");
                SimulateCandidates.Pool(ModelSystems.Get(result.GetValue(system)!), poolSize, result.GetValue(poolFrom), result.GetValue(noise),
                    result.GetValue(seed), result.GetValue(output)!);
                return 0;
            }
            if (result.GetValue(from) is { } fromPath)
            {
                SimulateCandidates.From(ModelSystems.Get(result.GetValue(system)!), fromPath, result.GetValue(shots), result.GetValue(noise),
                    result.GetValue(seed), result.GetValue(output)!);
                return 0;
            }
            var stopwatch = Stopwatch.StartNew();
            var model = ModelSystems.Get(result.GetValue(system)!);
            var dataset = Simulate(model, result.GetValue(points), result.GetValue(shots), molecular ? 0 : result.GetValue(noise), result.GetValue(seed));
            var path = result.GetValue(output)!;
            if (molecular) MolecularCvs.Write(dataset, model.Domain, result.GetValue(seed), path);
            else ShootingCsv.Write(dataset, path);
            Console.WriteLine($"{dataset.SystemName}: {dataset.Rows.Count} configurations x {dataset.ShotsPerPoint} shots " +
                $"in {stopwatch.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(path)}");
            if (dataset.FailedShots > 0)
                Console.Error.WriteLine($"rcml: warning: {dataset.FailedShots} shots reached neither state within the step limit and were left out.");
            return 0;
        }));
        return command;
    }

    /// <summary>Runs the simulator with the CLI's choices (shared with <c>rcml demo</c>).</summary>
    public static ShootingDataset Simulate(IModelSystem system, int points, int shots, int noiseDimensions, long seed) =>
        new ShootingSimulator(new ShootingSimulator.Options
        {
            System = system, Points = points, ShotsPerPoint = shots, NoiseDimensions = noiseDimensions, Seed = seed,
        }).Run();
}
