using System.Diagnostics;
using Microsoft.ML;
using RcML.AutoML;

namespace RcML.Cli.Commands;

/// <summary>
/// Progress of a tuning run on stderr: one line per finished trial (its study number, state, loss, the study's best,
/// ETA) on a terminal or with --verbose; silent in pipes otherwise. Hands every new best model of the study to
/// <paramref name="onBestModel"/>.
/// </summary>
internal sealed class TuneMonitor(bool verbose, int? maxTrials, double? seconds, Action<ITransformer>? onBestModel = null) : IMonitor
{
    private readonly bool _show = verbose || !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private double _best = double.PositiveInfinity;
    private int _finished;

    public void ReportRunningTrial(TrialSettings settings)
    {
        if (_show) Write($"trial {settings.TrialId,4} started  {Describe(settings.Parameter)}");
    }

    public void ReportCompletedTrial(TrialResult result)
    {
        lock (_gate)
        {
            _finished++;
            if (!result.IsPruned && result.Loss < _best) _best = result.Loss;
        }
        if (_show)
            Write($"trial {result.TrialSettings.TrialId,4} {(result.IsPruned ? "pruned  " : "complete")} loss {result.Loss:F5}  " +
                  $"best {_best:F5}  {result.DurationInMilliseconds / 1000:F1} s  {Eta()}");
    }

    public void ReportBestTrial(TrialResult result)
    {
        lock (_gate) _best = Math.Min(_best, result.Loss);
        if (result.Model is { } model) onBestModel?.Invoke(model); // before the line, so a reader of the line finds the file
        if (_show) Write($"trial {result.TrialSettings.TrialId,4} is the study's best ({result.Loss:F5} nats/shot)");
    }

    public void ReportFailTrial(TrialSettings settings, Exception? exception = null)
    {
        lock (_gate) _finished++;
        if (_show) Write($"trial {settings.TrialId,4} failed: {exception?.Message}");
    }

    private string Eta()
    {
        double elapsed = _clock.Elapsed.TotalSeconds;
        double? remaining = null;
        if (maxTrials is { } max && _finished > 0) remaining = elapsed / _finished * Math.Max(0, max - _finished);
        if (seconds is { } s) remaining = remaining is null ? Math.Max(0, s - elapsed) : Math.Min(remaining.Value, Math.Max(0, s - elapsed));
        return remaining is null ? "" : $"ETA {TimeSpan.FromSeconds(remaining.Value):hh\\:mm\\:ss}";
    }

    private static string Describe(Parameter p) => string.Join(" ", p.Select(kv => $"{kv.Key}={Format(kv.Value)}"));

    private static string Format(object value) => value is double d ? d.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : value.ToString()!;

    private void Write(string line)
    {
        lock (_gate) Console.Error.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {line}");
    }
}
