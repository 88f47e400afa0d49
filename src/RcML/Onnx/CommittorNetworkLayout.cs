using RcML.Committor;

namespace RcML.Onnx;

/// <summary>Checks that a <see cref="CommittorNetworkSpec"/> is consistent (shapes, known activations).</summary>
internal static class CommittorNetworkLayout
{
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
            try { Activation.OfLayer(layer.Activation); }
            catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(spec)); }
            width = layer.Out;
        }
        if (width != 1)
            throw new ArgumentException("The final layer must have exactly one output.", nameof(spec));
    }

    /// <summary>(position, kind) of every periodic raw input.</summary>
    public static IReadOnlyList<(int Index, InputKind Kind)> PeriodicInputs(CommittorNetworkSpec spec) =>
        spec.Inputs.Select((input, i) => (i, input.Kind)).Where(p => p.Kind != InputKind.Linear).ToArray();
}
