using System.CommandLine;
using RcML.Cli.Commands;

namespace RcML.Cli;

/// <summary>The rcml command line: one command per file under Commands/.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("rcml: reaction coordinates from committor neural networks, tuned by Bayesian optimization, in ML.NET.")
        {
            TrainCommand.Create(),
            PredictCommand.Create(),
            EvaluateCommand.Create(),
            SimulateCommand.Create(),
            TuneCommand.Create(),
            DemoCommand.Create(),
            StudyCommand.Create(),
            ExplainCommand.Create(),
            ExportCommand.Create(),
            EnsembleCommand.Create(),
            SuggestCommand.Create(),
            ReportCommand.Create(),
            InitCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
