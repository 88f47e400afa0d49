namespace RcML.Committor;

/// <summary>
/// A dense layer y = act(norm(W x + b)). Weights are row-major [Out, In].
/// Batch norm is stored already folded into W and b (inference mode), so only layer norm remains as a norm.
/// </summary>
public sealed record DenseLayer
{
    /// <summary>Number of inputs.</summary>
    public required int In { get; init; }
    /// <summary>Number of outputs.</summary>
    public required int Out { get; init; }
    /// <summary>Row-major weights, length Out*In.</summary>
    public required float[] Weight { get; init; }
    /// <summary>Bias, length Out.</summary>
    public required float[] Bias { get; init; }
    /// <summary>Layer-norm scale (length Out) or null when the layer has no layer norm.</summary>
    public float[]? LayerNormScale { get; init; }
    /// <summary>Layer-norm shift (length Out) or null.</summary>
    public float[]? LayerNormBias { get; init; }
    /// <summary>Layer-norm epsilon.</summary>
    public float LayerNormEpsilon { get; init; } = 1e-5f;
    /// <summary>Activation name (<see cref="Committor.Activation.Name"/>): identity or one of <see cref="Committor.Activation.Names"/>.</summary>
    public string Activation { get; init; } = "identity";
}
