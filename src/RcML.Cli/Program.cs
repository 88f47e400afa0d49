using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
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
        if (parsed.Errors.Count > 0 && args.Length > 0)
            return CliRun.Error(string.Join(" ", parsed.Errors.Select(Describe).Distinct()) + $" (see: {CommandPath(parsed)} --help)", CliRun.BadInput);
        using var signals = CliRun.HandleSignals();
        // RcML handles SIGINT/SIGTERM itself (CliRun), so commands stop at a safe point and keep their work.
        return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>A parse error on one line, naming its option, with the value expected in words rather than .NET type names.</summary>
    private static string Describe(ParseError error)
    {
        var message = OneLine(error.Message);
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        if (option is null) return message;
        if (message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            var expected = type == typeof(int) || type == typeof(long) ? "a whole number" : type == typeof(double) || type == typeof(float) ? "a number" : type.Name;
            var token = error.SymbolResult?.Tokens.LastOrDefault()?.Value ?? "";
            return $"{option.Name}: '{token}' is not {expected}.";
        }
        return message.Contains(option.Name, StringComparison.Ordinal) ? message : $"{option.Name}: {message}";
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as CommandResult)
            names.Insert(0, result.Command.Name);
        return string.Join(" ", names);
    }
}
