using System.Diagnostics;
using RcML.Committor;

namespace RcML.Cli.Commands;

/// <summary>
/// Shows training progress on stderr: a live line on a terminal, nothing in a pipe unless verbose
/// (then one line every so many epochs), so scripts get clean output.
/// </summary>
internal sealed class TrainingProgress(bool verbose, int maxEpochs)
{
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    public bool OnEpoch(EpochReport report)
    {
        string line = $"epoch {report.Epoch,5}/{maxEpochs}  train {report.TrainLoss:F5}  validation {report.ValidationLoss:F5}  best {report.BestValidationLoss:F5}  {report.Elapsed:mm\\:ss}";
        if (_live && _sinceDraw.ElapsedMilliseconds >= 100)
        {
            Console.Error.Write("\r" + line.PadRight(Math.Max(line.Length, Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 100) : 0)));
            _drawn = true;
            _sinceDraw.Restart();
        }
        else if (!_live && verbose && (report.Epoch == 1 || report.Epoch % 50 == 0))
            Console.Error.WriteLine(line);
        return true;
    }

    public void Done()
    {
        if (_drawn) Console.Error.WriteLine();
    }
}
