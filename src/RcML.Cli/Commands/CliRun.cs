using System.Runtime.InteropServices;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// Runs a command body and turns the errors users can fix into one clear line and an exit code; owns the process's
/// interruption: SIGINT (Ctrl+C) and SIGTERM cancel <see cref="Interruption"/> so commands stop cleanly and keep
/// their work. A second signal ends the process at once.
/// </summary>
internal static class CliRun
{
    /// <summary>Exit code for bad input data or arguments.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a failure while running (e.g. training diverged).</summary>
    public const int Failed = 1;
    /// <summary>Exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl+C).</summary>
    public const int Interrupted = 130;

    private static readonly CancellationTokenSource Signals = new();

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Interruption => Signals.Token;

    /// <summary>Handles SIGINT and SIGTERM for the life of the returned registrations.</summary>
    public static IDisposable HandleSignals()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, OnSignal)).ToArray();
        return new Registrations(registrations);
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (Signals.IsCancellationRequested) return; // the second signal takes its default action: the process ends
        context.Cancel = true;
        Console.Error.WriteLine($"rcml: {context.Signal}: stopping (again to end at once)");
        Signals.Cancel();
    }

    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (DataFormatException e) { return Error(e.Message, BadInput); }
        catch (FileNotFoundException e) { return Error(e.Message, BadInput); }
        catch (DirectoryNotFoundException e) { return Error(e.Message, BadInput); }
        catch (InvalidDataException e) { return Error(e.Message, BadInput); }
        catch (ArgumentException e) { return Error(WithoutParameterName(e), BadInput); }
        catch (StudyStorageException e) { return Error(e.Message, BadInput); }
        catch (TrainingDivergedException e) { return Error(e.Message, Failed); }
        catch (InvalidOperationException e) { return Error(e.Message, Failed); } // e.g. no trial of a study completed
        catch (OperationCanceledException) when (Interruption.IsCancellationRequested) { return Error("interrupted; nothing was saved.", Interrupted); }
    }

    /// <summary>Prints warnings on stderr, one line each.</summary>
    public static void Warn(IEnumerable<string> warnings)
    {
        foreach (var warning in warnings) Console.Error.WriteLine($"rcml: warning: {warning}");
    }

    /// <summary>The message without .NET's " (Parameter 'name')" suffix, which names code, not an option.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    public static int Error(string message, int code)
    {
        Console.Error.WriteLine($"rcml: error: {message}");
        return code;
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
