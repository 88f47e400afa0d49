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
    private const int WarmUpRuns = 12, ExploreEvery = 64;
    private const double Smoothing = 0.2;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly object _doneLock = new();
    private Action<int>? _work;
    private long _generation;
    private int _active, _remaining;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;
    // Smoothed duration of a run in each mode: [0] one after the other, [1] on the workers.
    private readonly double[] _ticks = [double.NaN, double.NaN];
    private long _runs;

    private readonly bool _adaptive;

    /// <summary>Starts <paramref name="workers"/> background threads (slices 1..workers).</summary>
    /// <param name="workers">Worker threads.</param>
    /// <param name="adaptive">False: always run on the workers (tests).</param>
    public BatchWorkers(int workers, bool adaptive = true)
    {
        _adaptive = adaptive;
        _wake = Enumerable.Range(0, workers).Select(_ => new SemaphoreSlim(0)).ToArray();
        _threads = Enumerable.Range(0, workers).Select(i => new Thread(() => Loop(i)) { IsBackground = true, Name = $"RcML batch slice {i + 1}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    /// <summary>Runs so far on the workers (the rest ran one after the other on the calling thread).</summary>
    public long ParallelRuns { get; private set; }

    /// <summary>Runs <paramref name="work"/>(k) for k = 0..<paramref name="slices"/>-1 and rethrows the first failure.</summary>
    public void Run(int slices, Action<int> work)
    {
        bool parallel = ChooseParallel();
        if (parallel) ParallelRuns++;
        long start = Stopwatch.GetTimestamp();
        if (parallel) RunOnWorkers(slices, work);
        else for (int k = 0; k < slices; k++) work(k);
        int mode = parallel ? 1 : 0;
        double took = Stopwatch.GetTimestamp() - start;
        _ticks[mode] = double.IsNaN(_ticks[mode]) ? took : (1 - Smoothing) * _ticks[mode] + Smoothing * took;
    }

    private bool ChooseParallel()
    {
        long run = _runs++;
        if (!_adaptive) return true;
        if (run < WarmUpRuns) return run % 2 == 1;
        bool faster = _ticks[1] <= _ticks[0];
        return run % ExploreEvery == 0 ? !faster : faster; // now and then time the other mode again
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
