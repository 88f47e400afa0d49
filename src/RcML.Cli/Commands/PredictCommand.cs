using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.IO;
using RcML.Onnx;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml predict</c>: score configurations with a saved model; adds ReactionCoordinate and Committor columns, and
/// CommittorStdDev for an ensemble.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var data = new Option<string>("--data") { Description = "Configurations: CSV (or COLVAR) with the model's CV columns.", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV: the input columns plus ReactionCoordinate, Committor (and CommittorStdDev for an ensemble).", Required = true }.OutputFile();
        var command = new Command("predict", "Score configurations with a saved model.") { model, data, output };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var ml = new MLContext();
            var (transformer, inputs) = CommittorModelFile.Load(ml, result.GetValue(model)!);
            var table = TextTable.Read(result.GetValue(data)!);
            CliRun.Warn(table.OutlierWarnings(inputs.Select(table.IndexOf).Where(i => i >= 0)));
            var (q, p, std) = CommittorModelFile.ScoreWithSpread(transformer, CommittorModelFile.InputView(table, inputs));
            var path = result.GetValue(output)!;
            var added = new List<(string Name, float[] Values)>
            {
                (CommittorScoring.ReactionCoordinateColumn, q), (CommittorScoring.CommittorColumn, p),
            };
            if (std is not null) added.Add((CommittorScoring.CommittorStdDevColumn, std));
            AtomicFile.WriteText(path, writer =>
            {
                writer.WriteLine(string.Join(",", table.Header.Select(Csv.Quote).Concat(added.Select(a => a.Name))));
                for (int r = 0; r < table.Rows.Count; r++)
                    writer.WriteLine(string.Join(",", table.Rows[r].Select(Csv.Quote)
                        .Concat(added.Select(a => a.Values[r].ToString("R", CultureInfo.InvariantCulture)))));
            });
            Console.WriteLine($"scored {table.Rows.Count} configurations -> {Path.GetFullPath(path)}");
            return 0;
        }));
        return command;
    }
}
