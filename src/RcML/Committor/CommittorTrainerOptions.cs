using RcML.Data;

namespace RcML.Committor;

/// <summary>Options of <see cref="CommittorTrainer"/>, with defaults that suit a few thousand shooting points.</summary>
public sealed class CommittorTrainerOptions
{
    /// <summary>The input vector column (raw CVs, concatenated).</summary>
    public string FeatureColumnName { get; set; } = "Features";
    /// <summary>Column of shots that reached A.</summary>
    public string CountAColumnName { get; set; } = ShootingData.CountAColumnName;
    /// <summary>Column of shots that reached B.</summary>
    public string CountBColumnName { get; set; } = ShootingData.CountBColumnName;

    /// <summary>
    /// Names and kinds (linear or periodic) of the feature vector's entries. Null takes the names from the
    /// vector's slot names (Concatenate sets them) and the kinds from <see cref="Periodic"/>.
    /// </summary>
    public IList<NetworkInput>? Inputs { get; set; }
    /// <summary>Glob patterns of periodic inputs (used when <see cref="Inputs"/> is null).</summary>
    public IList<string> Periodic { get; set; } = new List<string>();
    /// <summary>Unit of periodic inputs matched by <see cref="Periodic"/>.</summary>
    public AngleUnit PeriodicUnit { get; set; } = AngleUnit.Degrees;
    /// <summary>Standardize the (expanded) inputs with the training set's mean and standard deviation.</summary>
    public bool Standardize { get; set; } = true;

    /// <summary>Number of hidden layers.</summary>
    public int HiddenLayers { get; set; } = 3;
    /// <summary>Nodes of each hidden layer (used when <see cref="LayerWidths"/> is null).</summary>
    public int Nodes { get; set; } = 64;
    /// <summary>Width of each hidden layer; overrides <see cref="HiddenLayers"/> and <see cref="Nodes"/>.</summary>
    public IList<int>? LayerWidths { get; set; }
    /// <summary>Activation: tanh, relu, elu, gelu, silu, sigmoid, softplus or leaky_relu.</summary>
    public string Activation { get; set; } = "tanh";
    /// <summary>Dropout probability after each hidden activation.</summary>
    public double Dropout { get; set; }
    /// <summary>Normalization in each hidden block.</summary>
    public LayerNormalization Normalization { get; set; } = LayerNormalization.None;

    /// <summary>Optimizer.</summary>
    public CommittorOptimizer Optimizer { get; set; } = CommittorOptimizer.Adam;
    /// <summary>Learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;
    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; set; } = 1e-4;
    /// <summary>
    /// CV selection strength lambda (0: off): after every optimizer step each CV's first-layer weights shrink by a
    /// reweighted group-lasso proximal step in Adam's metric, and a CV whose loss gradient stays below about lambda is
    /// cut out of the network exactly (its weights become 0). About 1e-4 to 1e-3 on shooting data with noise CVs.
    /// </summary>
    public double InputGroupLasso { get; set; }
    /// <summary>Mini-batch size; 0 trains on the full batch each epoch.</summary>
    public int BatchSize { get; set; }
    /// <summary>Upper bound on epochs.</summary>
    public int MaxEpochs { get; set; } = 2000;
    /// <summary>Stop when the validation loss has not improved for this many epochs, then restore the best weights.</summary>
    public int Patience { get; set; } = 100;
    /// <summary>Smallest decrease of the validation loss that counts as improvement.</summary>
    public double MinDelta { get; set; } = 1e-6;
    /// <summary>Fraction of rows held out for early stopping when no validation set is given; 0 trains on all rows for MaxEpochs.</summary>
    public double ValidationFraction { get; set; } = 0.2;
    /// <summary>Seed of the split, the initial weights, the batch order and dropout.</summary>
    public int Seed { get; set; } = 1;
    /// <summary>Torch device: "cpu", or "cuda" with a CUDA build of RcML.</summary>
    public string Device { get; set; } = "cpu";
    /// <summary>How gradients are computed; <see cref="TrainingEngine.Auto"/> takes the fused engine whenever the network allows it.</summary>
    public TrainingEngine Engine { get; set; } = TrainingEngine.Auto;
    /// <summary>
    /// Threads one training may use; 0 = torch's intra-op thread count on the calling thread. Small batches
    /// (rows x widest layer up to 2^18, e.g. 256 x 100) are split across the threads by the fused engine, each thread
    /// running torch single-threaded: torch's own threads would hand off work at every call, which costs more than it
    /// saves at that size. Larger batches use the threads as torch's intra-op threads. The calling thread's torch
    /// setting is restored afterwards.
    /// </summary>
    public int Threads { get; set; }

    /// <summary>Called after each epoch; return false to stop training (used by pruners and progress displays).</summary>
    public Func<EpochReport, bool>? OnEpoch { get; set; }

    /// <summary>Hidden layer widths in effect.</summary>
    public IReadOnlyList<int> EffectiveWidths() =>
        LayerWidths is { Count: > 0 } w ? w.ToArray() : Enumerable.Repeat(Nodes, HiddenLayers).ToArray();

    /// <summary>Rows x widest layer below which one intra-op thread trains faster than several (measured on 2 and more cores).</summary>
    internal const long SingleThreadWorkLimit = 1 << 18;

    /// <summary>GEMM work (forward + backward FLOPs) a batch slice needs to be worth a thread: about the time of the
    /// ~45 torch calls each slice adds (~3 us each) at one core's GEMM rate.</summary>
    internal const double MinSliceFlops = 10e6;

    /// <summary>
    /// How a training with <paramref name="batchRows"/> rows per step and <paramref name="inputs"/> (expanded) inputs uses
    /// <see cref="Threads"/>: torch intra-op threads on the calling thread, and the number of slices each batch is split
    /// into (fused engine only).
    /// </summary>
    internal (int IntraOp, int Slices) ThreadPlan(int batchRows, int inputs, TrainingEngine engine)
    {
        int threads = Threads > 0 ? Threads : TorchSharp.torch.get_num_threads();
        var widths = EffectiveWidths();
        if ((long)batchRows * widths.DefaultIfEmpty(1).Max() > SingleThreadWorkLimit) return (threads, 1);
        if (engine != TrainingEngine.Fused) return (1, 1);
        long weights = 0;
        int fanIn = inputs;
        foreach (var w in widths.Append(1)) { weights += (long)fanIn * w; fanIn = w; }
        double flops = 6.0 * batchRows * weights;
        int slices = (int)Math.Min(Math.Min(threads, batchRows / FusedCommittorModel.MinShardRows), flops / MinSliceFlops);
        return (1, Math.Max(1, slices));
    }

    /// <summary>A copy of these options with another <see cref="Seed"/> (lists and callbacks are shared, not copied).</summary>
    public CommittorTrainerOptions WithSeed(int seed)
    {
        var copy = (CommittorTrainerOptions)MemberwiseClone();
        copy.Seed = seed;
        return copy;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new ArgumentException(what); }
        Check(EffectiveWidths().All(w => w >= 1), "Every hidden layer needs at least one node.");
        Check(HiddenLayers >= 0, "HiddenLayers must be 0 or more.");
        Committor.Activation.FromName(Activation);
        Check(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1), got {Dropout}.");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate must be positive, got {LearningRate}.");
        Check(WeightDecay >= 0, $"WeightDecay must be 0 or more, got {WeightDecay}.");
        Check(InputGroupLasso >= 0 && double.IsFinite(InputGroupLasso), $"InputGroupLasso must be 0 or more, got {InputGroupLasso}.");
        Check(BatchSize >= 0, $"BatchSize must be 0 (full batch) or positive, got {BatchSize}.");
        Check(MaxEpochs >= 1, $"MaxEpochs must be at least 1, got {MaxEpochs}.");
        Check(Patience >= 1, $"Patience must be at least 1, got {Patience}.");
        Check(Threads >= 0, $"Threads must be 0 (torch's setting) or positive, got {Threads}.");
        Check(ValidationFraction is >= 0 and < 1, $"ValidationFraction must be in [0, 1), got {ValidationFraction}.");
    }
}
