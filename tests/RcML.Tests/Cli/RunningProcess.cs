using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RcML.Tests.Cli;

/// <summary>A real <c>rcml</c> process that tests watch line by line and send signals to.</summary>
internal sealed class RunningProcess : IDisposable
{
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly BlockingCollection<string> _stderrLines = new();
    private readonly ConcurrentQueue<string> _stderr = new(), _stdout = new();
    private readonly TaskCompletionSource _stdoutDone = new(), _stderrDone = new();

    /// <summary>
    /// A test run started in the background of a non-interactive shell (`cmd &amp;` in a script) inherits SIGINT as
    /// ignored, and so would every rcml it starts: a program keeps an ignored SIGINT, as shells intend for background
    /// jobs, and the SIGINT tests would test the launcher instead of rcml. The default disposition is restored once, so
    /// the processes start as they do from a terminal.
    /// </summary>
    static RunningProcess()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (ignored is not null && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0)
            SetDisposition(SigInt, IntPtr.Zero); // SIG_DFL
    }

    private RunningProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is null) _stdoutDone.TrySetResult(); else _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stderrDone.TrySetResult(); _stderrLines.CompleteAdding(); return; }
            _stderr.Enqueue(e.Data);
            _stderrLines.Add(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>rcml</c> with <paramref name="args"/>.</summary>
    public static RunningProcess Rcml(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Programs.BuiltAssembly("src/RcML.Cli", "RcML.Cli"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return new RunningProcess(Process.Start(start)!);
    }

    /// <summary>Waits for a stderr line containing <paramref name="text"/>; throws with the output so far when the process ends first.</summary>
    public string WaitForStderr(string text, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (!_stderrLines.TryTake(out var line, TimeSpan.FromMilliseconds(200)))
            {
                if (_stderrLines.IsCompleted) break;
                continue;
            }
            if (line.Contains(text, StringComparison.Ordinal)) return line;
        }
        throw new TimeoutException($"no stderr line with '{text}'.\n{Output}");
    }

    /// <summary>Sends a signal; returns the time the process then took to exit.</summary>
    public TimeSpan Signal(int signal, int timeoutSeconds = 60)
    {
        var clock = Stopwatch.StartNew();
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed.");
        if (!_process.WaitForExit(timeoutSeconds * 1000)) throw new TimeoutException($"rcml did not exit {timeoutSeconds} s after signal {signal}.\n{Output}");
        var elapsed = clock.Elapsed;
        Task.WaitAll([_stdoutDone.Task, _stderrDone.Task], TimeSpan.FromSeconds(10));
        return elapsed;
    }

    public int ExitCode => _process.ExitCode;
    public string Stdout => string.Join("\n", _stdout);
    public string Stderr => string.Join("\n", _stderr);
    public string Output => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr SetDisposition(int signal, IntPtr handler);
}
