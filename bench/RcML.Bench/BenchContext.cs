namespace RcML.Bench;

/// <summary>Settings shared by every benchmark section.</summary>
public sealed class BenchContext
{
    public required bool Quick { get; init; }
    public required string RepoRoot { get; init; }
    public required string ResultsDir { get; init; }
    public required string WorkDir { get; init; }
    public required string Python { get; init; }
    /// <summary>--cases: run only these training cases (A/B checks of trainer changes).</summary>
    public HashSet<string>? Cases { get; init; }
    /// <summary>--reps: training repetitions.</summary>
    public int? Reps { get; init; }
    /// <summary>--no-peer: skip the PyTorch peer in the training section and Optuna in the tuning section (RcML-only A/B checks).</summary>
    public bool NoPeer { get; init; }
    /// <summary>--tasks: run only these tuning tasks (faster iteration on tuners; the headline needs committor).</summary>
    public HashSet<string>? Tasks { get; init; }
    /// <summary>--tuners: run only these RcML tuners (optuna_tpe runs too unless --no-peer: it sets the target).</summary>
    public HashSet<string>? Tuners { get; init; }
    /// <summary>--trace: also write every tuning trial (parameters, loss) to tuning_trace.jsonl in the output folder.</summary>
    public bool Trace { get; init; }
    /// <summary>--first-seed: tuner seeds start here (fresh seeds for judging a tuner change; the committed runs use 0..).</summary>
    public int FirstSeed { get; init; }
    /// <summary>--seeds: seeds per tuning task instead of the defaults.</summary>
    public int? Seeds { get; init; }
    /// <summary>--rcml-args: extra arguments of every `rcml tune` of the delivered section (A/B runs of non-default settings).</summary>
    public string[] RcmlArgs { get; init; } = [];
    /// <summary>--budgets: the delivered section's budgets in seconds instead of its definition's (A/B runs).</summary>
    public int[]? Budgets { get; init; }
    /// <summary>--systems: run only these systems of the delivered section.</summary>
    public HashSet<string>? Systems { get; init; }
    public string PeersDir => Path.Combine(RepoRoot, "bench", "peers");
    public void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
