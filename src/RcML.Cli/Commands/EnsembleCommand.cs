using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RcML.Ensembles;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml ensemble</c>: one model zip from several networks (the best distinct trials of a study, or saved models),
/// scoring the members' mean committor and their spread (CommittorStdDev).
/// </summary>
internal static class EnsembleCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Study store (with --study): sqlite:///study.db, postgresql://... ." };
        var study = new Option<string?>("--study") { Description = "Study whose best distinct trials become the members." };
        var top = new Option<int>("--top") { Description = "Members taken from the study: its best trials, one per distinct configuration.", DefaultValueFactory = _ => 5 };
        var models = new Option<string[]>("--models") { Description = "Model zips whose networks become the members (instead of, or besides, --study).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--model") { Description = "Where to save the ensemble model zip.", Required = true };
        var command = new Command("ensemble", "Combine networks into one model that also scores their spread (CommittorStdDev).")
        {
            storage, study, top, models, output,
        };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var ml = new MLContext();
            var files = result.GetValue(models) ?? [];
            string? url = result.GetValue(storage), name = result.GetValue(study);
            if ((url is null) != (name is null))
                throw new ArgumentException("--storage and --study go together.");
            if (url is null && files.Length == 0)
                throw new ArgumentException("Name the members: --storage URL --study NAME [--top K], or --models a.zip b.zip ...");
            if (result.GetValue(top) < 1)
                throw new ArgumentException($"--top must be at least 1, got {result.GetValue(top)}.");

            var members = new List<Committor.CommittorNetworkSpec>();
            if (url is not null)
            {
                try
                {
                    using var store = StudyStorage.Open(url);
                    var chosen = CommittorEnsembleCatalog.TopDistinctTrials(store, name!, result.GetValue(top));
                    foreach (var (trial, network) in chosen)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"member: trial #{trial.Number} of '{name}', validation cross-entropy {trial.Value:F5}, {trial.Parameters.ToJson()}"));
                    members.AddRange(chosen.Select(c => c.Network));
                }
                catch (StudyStorageException e) { return CliRun.Error(e.Message, CliRun.Failed); }
            }
            if (files.Length > 0)
            {
                var fromFiles = ml.ReactionCoordinates().Ensembles.FromModelFiles(files).Members;
                foreach (var file in files) Console.WriteLine($"member: {Path.GetFullPath(file)}");
                members.AddRange(fromFiles);
            }
            var ensemble = ml.ReactionCoordinates().Ensembles.FromNetworks(members);
            var path = result.GetValue(output)!;
            ensemble.Save(path);
            Console.WriteLine($"ensemble of {members.Count} networks reading {string.Join(", ", ensemble.InputColumns)} -> {Path.GetFullPath(path)}");
            Console.WriteLine("outputs: ReactionCoordinate = logit(Committor), Committor = mean of the members' p_B, CommittorStdDev = their standard deviation");
            return 0;
        }));
        return command;
    }
}
