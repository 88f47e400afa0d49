using TorchSharp;

namespace RcML.Native;

/// <summary>
/// Sets torch's intra-op thread count for the calling thread and puts the previous count back on dispose.
/// libtorch keeps the count per thread (OpenMP and MKL settings are thread-local), so trainings running on other
/// threads keep theirs; only threads that first use torch while the limit is active inherit it.
/// </summary>
public sealed class IntraOpThreads : IDisposable
{
    private readonly int _previous;
    private bool _disposed;

    private IntraOpThreads(int threads)
    {
        _previous = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    /// <summary>Limits the calling thread to <paramref name="threads"/>; 0 or less changes nothing.</summary>
    public static IDisposable Limit(int threads)
    {
        if (threads <= 0) return Nothing.Instance;
        TorchRuntime.EnsureLoaded();
        return torch.get_num_threads() == threads ? Nothing.Instance : new IntraOpThreads(threads);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        torch.set_num_threads(_previous);
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
