using RcML.Committor;

namespace RcML.Onnx;

/// <summary>Checks that a <see cref="CommittorNetworkSpec"/> is consistent and names the activations both back ends support.</summary>
internal static class CommittorNetworkLayout
{
    /// <summary>Slope of leaky_relu for negative inputs (PyTorch's default).</summary>
    public const double LeakyReluSlope = 0.01;

    public static readonly IReadOnlySet<string> Activations = new HashSet<string>
    {
        "identity", "tanh", "relu", "elu", "gelu", "silu", "sigmoid", "softplus", "leaky_relu",
    };

    public static void Validate(CommittorNetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int width = spec.ExpandedDimension;
        if (spec.Inputs.Count == 0)
            throw new ArgumentException("The network has no inputs.", nameof(spec));
        if (spec.Mean.Length != width || spec.Scale.Length != width)
            throw new ArgumentException($"Mean and Scale must have the expanded width {width}.", nameof(spec));
        if (spec.Layers.Count == 0)
            throw new ArgumentException("The network has no layers.", nameof(spec));
        foreach (var layer in spec.Layers)
        {
            if (layer.In != width)
                throw new ArgumentException($"A layer expects {layer.In} inputs but receives {width}.", nameof(spec));
            if (layer.Weight.Length != layer.In * layer.Out || layer.Bias.Length != layer.Out)
                throw new ArgumentException("A layer's weight or bias length does not match its shape.", nameof(spec));
            if ((layer.LayerNormScale is { } s && s.Length != layer.Out) || (layer.LayerNormBias is { } b && b.Length != layer.Out))
                throw new ArgumentException("A layer norm's length does not match its layer.", nameof(spec));
            if (!Activations.Contains(layer.Activation))
                throw new ArgumentException($"Unknown activation '{layer.Activation}'.", nameof(spec));
            width = layer.Out;
        }
        if (width != 1)
            throw new ArgumentException("The final layer must have exactly one output.", nameof(spec));
    }

    /// <summary>(position, kind) of every periodic raw input.</summary>
    public static IReadOnlyList<(int Index, InputKind Kind)> PeriodicInputs(CommittorNetworkSpec spec) =>
        spec.Inputs.Select((input, i) => (i, input.Kind)).Where(p => p.Kind != InputKind.Linear).ToArray();
}
