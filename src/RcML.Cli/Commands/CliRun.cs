using RcML.Committor;
using RcML.Data;

namespace RcML.Cli.Commands;

/// <summary>Runs a command body and turns the errors users can fix into one clear line and an exit code.</summary>
internal static class CliRun
{
    /// <summary>Exit code for bad input data or arguments.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a failure while running (e.g. training diverged).</summary>
    public const int Failed = 1;

    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (DataFormatException e) { return Error(e.Message, BadInput); }
        catch (FileNotFoundException e) { return Error(e.Message, BadInput); }
        catch (InvalidDataException e) { return Error(e.Message, BadInput); }
        catch (ArgumentException e) { return Error(e.Message, BadInput); }
        catch (TrainingDivergedException e) { return Error(e.Message, Failed); }
        catch (OperationCanceledException) { return Error("cancelled.", Failed); }
    }

    public static int Error(string message, int code)
    {
        Console.Error.WriteLine($"rcml: error: {message}");
        return code;
    }
}
