using System.CommandLine;
using System.CommandLine.Help;
using RcML.Cli.Commands;

namespace RcML.Cli;

/// <summary>The rcml command line: one command per file under Commands/.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        // A Command named "rcml" rather than a RootCommand, whose name would be the executable's (RcML.Cli under dotnet).
        var root = new Command("rcml", "rcml: reaction coordinates from committor neural networks, tuned by Bayesian optimization, in ML.NET.")
        {
            new HelpOption(),
            new VersionOption(),
            TrainCommand.Create(),
            PredictCommand.Create(),
            EvaluateCommand.Create(),
            SimulateCommand.Create(),
            TuneCommand.Create(),
            DemoCommand.Create(),
            StudyCommand.Create(),
            ExplainCommand.Create(),
            DistillCommand.Create(),
            ExportCommand.Create(),
            EnsembleCommand.Create(),
            SuggestCommand.Create(),
            ReportCommand.Create(),
            InitCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.CommandResult.Command.Subcommands.Count == 0)
            return CliRun.Error(OneLine(parsed.Errors[0].Message) + $" (see: {CommandPath(parsed)} --help)", CliRun.BadInput);
        using var signals = CliRun.HandleSignals();
        // RcML handles SIGINT/SIGTERM itself (CliRun), so commands stop at a safe point and keep their work.
        return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return string.Join(" ", names);
    }
}
