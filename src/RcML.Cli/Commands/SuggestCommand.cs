using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.IO;
using RcML.Sampling;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml suggest</c>: picks the configurations to shoot from next out of a candidate pool, by a saved model's q
/// (and an ensemble's spread); writes the picked rows with the reasons as columns q, p_B, (p_B_std,) weight.
/// </summary>
internal static class SuggestCommand
{
    private static readonly string[] ReasonColumns = ["q", "p_B", "p_B_std", "weight"];

    public static Command Create()
    {
        var defaults = new ShootingPointSelectorOptions();
        var model = new Option<string>("--model") { Description = "The model zip (an ensemble for --strategy uncertainty).", Required = true };
        var candidates = new Option<string>("--candidates") { Description = "Candidate pool: CSV with the model's input columns (other columns, e.g. id, are kept).", Required = true };
        var count = new Option<int>("--count") { Description = "Configurations to pick.", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV: the picked rows, then q, p_B, (p_B_std,) weight.", Required = true };
        var strategy = Choices.Of("--strategy",
            "transition: Lorentzian in q around 0 (AIMMD); spread: that weight over the pool's density along q; uncertainty: the ensemble's CommittorStdDev.",
            SelectionStrategy.Transition);
        var seed = new Option<int>("--seed") { Description = "Seed of the weighted draw.", DefaultValueFactory = _ => defaults.Seed };
        var width = new Option<double>("--width") { Description = "Half width of the Lorentzian in q units.", DefaultValueFactory = _ => defaults.Width };
        var command = new Command("suggest", "Pick configurations to shoot from next out of a candidate pool.") { model, candidates, count, output, strategy, seed, width };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var ml = new MLContext();
            var (transformer, inputs) = CommittorModelFile.Load(ml, result.GetValue(model)!);
            var poolPath = result.GetValue(candidates)!;
            var table = TextTable.Read(poolPath);
            if (table.Rows.Count == 0) throw new DataFormatException(poolPath, 2, null, "the candidate pool has no rows.");
            var (q, p, std) = CommittorModelFile.ScoreWithSpread(transformer, CommittorModelFile.InputView(table, inputs));
            var options = new ShootingPointSelectorOptions
            {
                Strategy = result.GetValue(strategy),
                Count = result.GetValue(count), Seed = result.GetValue(seed), Width = result.GetValue(width),
            };
            if (options.Count > table.Rows.Count)
                throw new ArgumentException($"--count {options.Count} is larger than the pool: {poolPath} has {table.Rows.Count} candidates.");
            var picks = ShootingPointSelector.Select(q, p, std, options);

            var kept = Enumerable.Range(0, table.Header.Count).Where(c => !ReasonColumns.Contains(table.Header[c])).ToArray();
            var path = result.GetValue(output)!;
            static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            AtomicFile.WriteText(path, writer =>
            {
                var reasons = std is null ? ReasonColumns.Where(c => c != "p_B_std") : ReasonColumns;
                writer.WriteLine(string.Join(",", kept.Select(c => Csv.Quote(table.Header[c])).Concat(reasons)));
                foreach (var pick in picks)
                {
                    var fields = kept.Select(c => Csv.Quote(table.Rows[pick.Index][c])).Append(F(pick.ReactionCoordinate)).Append(F(pick.Committor));
                    if (pick.CommittorStdDev is { } s) fields = fields.Append(F(s));
                    writer.WriteLine(string.Join(",", fields.Append(F(pick.Weight))));
                }
            });
            Console.WriteLine($"picked {picks.Count} of {table.Rows.Count} candidates ({result.GetValue(strategy).ToString().ToLowerInvariant()}, seed {options.Seed}); " +
                $"p_B of the picks: median {Median(picks.Select(k => k.Committor)):F3} -> {Path.GetFullPath(path)}");
            return 0;
        }));
        return command;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
