using System.Diagnostics;

namespace RcML.Cli.Commands;

/// <summary>
/// Shows which step of a longer computation runs (e.g. the analyses of a report) on stderr: one live line on a
/// terminal, one line per step in a pipe when verbose, nothing otherwise, so scripts get clean output.
/// </summary>
internal sealed class StepProgress(string prefix, bool verbose) : IProgress<string>, IDisposable
{
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _drawnLength;

    public void Report(string step)
    {
        string line = $"{prefix}: {step} ({_elapsed.Elapsed.TotalSeconds:0} s)";
        if (_live)
        {
            Console.Error.Write("\r" + line.PadRight(_drawnLength));
            _drawnLength = line.Length;
        }
        else if (verbose) Console.Error.WriteLine(line);
    }

    public void Dispose()
    {
        if (_drawnLength > 0) Console.Error.Write("\r" + new string(' ', _drawnLength) + "\r");
    }
}
