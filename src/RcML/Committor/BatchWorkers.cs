using System.Diagnostics;
using System.Runtime.ExceptionServices;
using TorchSharp;

namespace RcML.Committor;

/// <summary>
/// Runs the slices of a training step: slice 0 on the calling thread and the others on dedicated worker threads
/// (each with one torch intra-op thread), or all of them one after the other on the calling thread when that has
/// been faster lately (a busy machine, where a worker waits for a core). The slices compute the same thing either
/// way, so the choice changes speed only, never results.
/// </summary>
internal sealed class BatchWorkers : IDisposable
{
    // Steps follow each other within a fraction of a millisecond, so waiting threads poll briefly before blocking
    // (a blocked thread takes 50-100 us to wake on a VM); short enough to cost little when cores are scarce.
    private static readonly long PollTicks = Stopwatch.Frequency / 500; // 2 ms

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly object _doneLock = new();
    private Action<int>? _work;
    private long _generation;
    private int _active, _remaining;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;
    private readonly ModeChooser? _chooser;

    /// <summary>Starts <paramref name="workers"/> background threads (slices 1..workers).</summary>
    /// <param name="workers">Worker threads.</param>
    /// <param name="adaptive">False: always run on the workers (tests).</param>
    public BatchWorkers(int workers, bool adaptive = true)
    {
        _chooser = adaptive ? new ModeChooser() : null;
        _wake = Enumerable.Range(0, workers).Select(_ => new SemaphoreSlim(0)).ToArray();
        _threads = Enumerable.Range(0, workers).Select(i => new Thread(() => Loop(i)) { IsBackground = true, Name = $"RcML batch slice {i + 1}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    /// <summary>Runs so far on the workers (the rest ran one after the other on the calling thread).</summary>
    public long ParallelRuns { get; private set; }

    /// <summary>Runs <paramref name="work"/>(k) for k = 0..<paramref name="slices"/>-1 and rethrows the first failure.</summary>
    public void Run(int slices, Action<int> work)
    {
        bool record = true;
        bool parallel = _chooser?.Next(out record) ?? true;
        if (parallel) ParallelRuns++;
        long start = Stopwatch.GetTimestamp();
        if (parallel) RunOnWorkers(slices, work);
        else for (int k = 0; k < slices; k++) work(k);
        if (record) _chooser?.Record(parallel, Stopwatch.GetTimestamp() - start);
    }

    private void RunOnWorkers(int slices, Action<int> work)
    {
        int helpers = Math.Min(slices - 1, _threads.Length);
        _work = work;
        _failure = null;
        _active = helpers;
        Volatile.Write(ref _remaining, helpers);
        Interlocked.Increment(ref _generation);
        for (int i = 0; i < helpers; i++) _wake[i].Release(); // for workers that stopped polling and block
        try { work(0); }
        finally
        {
            long start = Stopwatch.GetTimestamp();
            int polls = 0;
            while (Volatile.Read(ref _remaining) > 0)
            {
                // A plain poll, not SpinWait: PAUSE-heavy loops make KVM deschedule the vCPU (pause-loop exiting).
                if ((++polls & 255) == 0 && Stopwatch.GetTimestamp() - start > PollTicks)
                    lock (_doneLock) { if (Volatile.Read(ref _remaining) > 0) Monitor.Wait(_doneLock, 1); }
            }
        }
        for (int k = helpers + 1; k < slices; k++) work(k); // more slices than workers: the rest here
        _failure?.Throw();
    }

    private void Loop(int index)
    {
        torch.set_num_threads(1);
        long seen = 0;
        while (true)
        {
            // Wait for the next generation: poll a while, then block on the semaphore (every run releases it, so a
            // release may be left over for a later wait; the generation check makes that harmless).
            var start = Stopwatch.GetTimestamp();
            int polls = 0;
            while (Volatile.Read(ref _generation) == seen && !_stopping)
            {
                if ((++polls & 255) == 0 && Stopwatch.GetTimestamp() - start > PollTicks) _wake[index].Wait(1);
            }
            if (_stopping) return;
            seen = Volatile.Read(ref _generation);
            while (_wake[index].CurrentCount > 0) _wake[index].Wait(0);
            if (index >= _active) continue;
            try { _work!(index + 1); }
            catch (Exception e) { Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null); }
            finally
            {
                if (Interlocked.Decrement(ref _remaining) == 0)
                    lock (_doneLock) Monitor.PulseAll(_doneLock);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping = true;
        foreach (var s in _wake) s.Release();
        foreach (var t in _threads) t.Join();
        foreach (var s in _wake) s.Dispose();
    }
}

/// <summary>
/// Chooses between running the slices on the workers and one after the other from the durations of recent runs: the
/// median of each mode's last <see cref="Window"/> runs, so one run stretched by the hypervisor cannot flip the choice.
/// The mode not chosen is timed again every <see cref="ExploreEvery"/> runs with a short burst whose first run is not
/// recorded: after a while in the other mode the workers have stopped polling, and waking them is not what a run costs.
/// </summary>
internal sealed class ModeChooser
{
    internal const int WarmUpRuns = 12, ExploreEvery = 48, Burst = 3, Window = 8;

    // Recent durations of runs in each mode: [0] one after the other, [1] on the workers.
    private readonly long[][] _recent = [new long[Window], new long[Window]];
    private readonly int[] _recorded = new int[2];
    private long _runs;
    private int _burstLeft;
    private bool _burstParallel;

    /// <summary>Whether the next run goes to the workers; <paramref name="record"/>: whether its duration should be recorded.</summary>
    public bool Next(out bool record)
    {
        long run = _runs++;
        record = true;
        if (run < WarmUpRuns) return run % 2 == 1; // alternate: the workers are still polling when their turn comes
        if (_burstLeft > 0)
        {
            record = _burstLeft-- < Burst;
            return _burstParallel;
        }
        bool parallelFaster = RecentMedian(1) <= RecentMedian(0);
        if (run % ExploreEvery != 0) return parallelFaster;
        _burstParallel = !parallelFaster;
        _burstLeft = Burst - 1;
        record = false;
        return _burstParallel;
    }

    /// <summary>Records the duration (any unit) of a run in the given mode.</summary>
    public void Record(bool parallel, long duration)
    {
        int mode = parallel ? 1 : 0;
        _recent[mode][_recorded[mode]++ % Window] = duration;
    }

    private double RecentMedian(int mode)
    {
        int n = Math.Min(_recorded[mode], Window);
        if (n == 0) return double.PositiveInfinity;
        Span<long> v = stackalloc long[Window];
        v = v[..n];
        _recent[mode].AsSpan(0, n).CopyTo(v);
        v.Sort();
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
