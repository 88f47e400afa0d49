namespace RcML.Committor;

/// <summary>How the committor network's gradients and Adam steps are computed.</summary>
public enum TrainingEngine
{
    /// <summary><see cref="Fused"/> when the network allows it (CPU; no batch/layer normalization; activation tanh,
    /// sigmoid, relu, leaky_relu, elu or softplus), otherwise <see cref="Autograd"/>.</summary>
    Auto,
    /// <summary>TorchSharp modules, autograd and torch.optim: every architecture.</summary>
    Autograd,
    /// <summary>
    /// Weights in one flat buffer, a hand-written backward pass into preallocated buffers and Adam on the flat buffer:
    /// about a third of the native calls per step and no per-step allocations of activations or gradients.
    /// </summary>
    Fused,
}
