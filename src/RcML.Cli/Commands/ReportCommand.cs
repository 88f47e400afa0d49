using System.CommandLine;
using RcML.Reporting;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml report</c>: one self-contained HTML file about a study: summary, optimization history, parallel coordinates,
/// and the best stored model's calibration, q histogram and learning curve on shooting data.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var storage = new Option<string>("--storage") { Description = "Study store URL: sqlite:///study.db or postgresql://user:password@host:port/database.", Required = true };
        var study = new Option<string>("--study") { Description = "Name of the study.", Required = true };
        var data = new Option<string?>("--data") { Description = "Shooting data (CSV) to score the best model on; read through the model's own input columns." };
        var output = new Option<string>("--out") { Description = "The HTML file to write.", DefaultValueFactory = _ => "report.html" }.OutputFile();
        var top = new Option<int>("--top") { Description = "How many of the best trials to list and highlight.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var verbose = new Option<bool>("--verbose") { Description = "Print the analysis steps even when output is not a terminal." };
        var command = new Command("report", "Write an HTML report of a study.") { storage, study, data, output, top, verbose };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var url = result.GetValue(storage)!;
            if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase) && !File.Exists(Uri.UnescapeDataString(url["sqlite:///".Length..])))
                throw new FileNotFoundException($"No study store at '{url}'."); // opening would create an empty one
            using var store = StudyStorage.Open(url);
            if (store.FindStudy(result.GetValue(study)!) is { } info) store.FailAbandonedTrials(info.StudyId);
            StudyReportInput input;
            using (var progress = new StepProgress("report", result.GetValue(verbose)))
            {
                progress.Report("scoring the best model");
                input = StudyReportInput.FromStudy(store, result.GetValue(study)!, result.GetValue(data), result.GetValue(top))
                    .WithAnalysis(store, result.GetValue(data), progress);
            }
            var path = result.GetValue(output)!;
            StudyReport.Write(input, path);
            Console.WriteLine($"wrote {path} ({input.Trials.Count} trials{(input.BestModel is { } m ? $", best model: trial {m.TrialNumber}" : "")})");
            if (input.BestModel is null) Console.Error.WriteLine($"rcml: warning: model sections left empty: {input.BestModelMissingReason}.");
            return 0;
        }));
        return command;
    }
}
