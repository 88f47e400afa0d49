using static TorchSharp.torch;

namespace RcML.Committor;

/// <summary>One mini-batch (or the full batch): inputs, shots per row, shots to B per row, and the batch's shot total.</summary>
/// <param name="X">Inputs [rows, features].</param>
/// <param name="Shots">n_A + n_B per row, [rows, 1].</param>
/// <param name="CountB">n_B per row, [rows, 1].</param>
/// <param name="TotalShots">Sum of <paramref name="Shots"/>, known on the host (no device sync).</param>
internal readonly record struct TrainingBatch(Tensor X, Tensor Shots, Tensor CountB, double TotalShots);

/// <summary>
/// A committor network together with its optimizer, as the training loop drives it. Two engines implement it:
/// <see cref="AutogradCommittorModel"/> and <see cref="FusedCommittorModel"/>.
/// </summary>
internal abstract class CommittorModel : IDisposable
{
    /// <summary>The engine <paramref name="options"/> ask for, with Auto resolved; throws when Fused cannot train the network.</summary>
    public static TrainingEngine ResolveEngine(CommittorTrainerOptions options)
    {
        if (options.Engine == TrainingEngine.Auto)
            return FusedCommittorModel.Supports(options) ? TrainingEngine.Fused : TrainingEngine.Autograd;
        if (options.Engine == TrainingEngine.Fused && !FusedCommittorModel.Supports(options))
            throw new ArgumentException(
                $"The fused training engine runs on the CPU with no normalization and the activations {string.Join(", ", FusedCommittorModel.Activations)}; " +
                $"got device '{options.Device}', normalization {options.Normalization} and activation '{options.Activation}'. Use TrainingEngine.Auto or Autograd.");
        return options.Engine;
    }

    /// <summary>Creates the model of <paramref name="engine"/>; the fused engine splits batches over <paramref name="slices"/> threads;
    /// <paramref name="inputs"/> are the raw inputs (their expanded width is the network's input width).</summary>
    public static CommittorModel Create(TrainingEngine engine, IReadOnlyList<NetworkInput> inputs, CommittorTrainerOptions options, Device device, int slices = 1)
    {
        int width = InputExpansion.ExpandedWidth(inputs);
        var lasso = options.InputGroupLasso > 0 ? new InputGroupLasso(inputs, options.EffectiveWidths().FirstOrDefault(1), options.InputGroupLasso, options.LearningRate, device) : null;
        return engine == TrainingEngine.Fused
            ? new FusedCommittorModel(width, options, device, slices, lasso)
            : new AutogradCommittorModel(width, options, device, lasso);
    }

    /// <summary>The engine in use.</summary>
    public abstract TrainingEngine Engine { get; }

    /// <summary>One optimizer step on <paramref name="batch"/> (dropout active); returns the batch's summed loss, detached, not synced, owned by the caller.</summary>
    public abstract Tensor TrainStep(in TrainingBatch batch);

    /// <summary>q(x) [rows] in inference mode (no dropout, no gradients).</summary>
    public abstract Tensor Logits(Tensor x);

    /// <summary>Remembers the current weights as the best so far.</summary>
    public abstract void RememberBest();

    /// <summary>Puts back the weights last remembered.</summary>
    public abstract void RestoreBest();

    /// <summary>The weights as TorchSharp-free dense layers (inference mode).</summary>
    public abstract List<DenseLayer> ToDenseLayers();

    /// <inheritdoc/>
    public abstract void Dispose();
}
