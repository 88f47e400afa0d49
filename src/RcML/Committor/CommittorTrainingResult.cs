namespace RcML.Committor;

/// <summary>The outcome of training one committor network.</summary>
public sealed class CommittorTrainingResult
{
    /// <summary>The trained network (best validation weights), TorchSharp-free.</summary>
    public required CommittorNetworkSpec Network { get; init; }
    /// <summary>Every epoch's losses.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }
    /// <summary>The epoch whose weights were kept.</summary>
    public required int BestEpoch { get; init; }
    /// <summary>Validation cross-entropy per shot of the kept weights (NaN without validation data).</summary>
    public required double ValidationLoss { get; init; }
    /// <summary>Training cross-entropy per shot of the kept weights, evaluated without dropout.</summary>
    public required double TrainLoss { get; init; }
    /// <summary>Why training ended.</summary>
    public required StopReason StopReason { get; init; }
    /// <summary>Wall time of training.</summary>
    public required TimeSpan Duration { get; init; }
    /// <summary>The engine that computed the gradients (see <see cref="CommittorTrainerOptions.Engine"/>).</summary>
    public TrainingEngine Engine { get; init; }
}
