namespace RcML.Export;

/// <summary>Settings of <see cref="PlumedExporter"/>.</summary>
public sealed record PlumedExportOptions
{
    /// <summary>
    /// Periodic inputs trained in degrees are fed radians in PLUMED (TORSION's unit), so the degree-to-radian factor
    /// is left out. Default false: every ARG must be in the unit of the training data.
    /// </summary>
    public bool AnglesInRadians { get; init; }

    /// <summary>Prefix of the labels of intermediate values, so they do not clash with the user's labels.</summary>
    public string LabelPrefix { get; init; } = "rcml_";

    /// <summary>Label of the reaction coordinate q.</summary>
    public string ReactionCoordinateLabel { get; init; } = "rc";

    /// <summary>Label of the committor p_B = sigmoid(q).</summary>
    public string CommittorLabel { get; init; } = "pb";

    /// <summary>
    /// Largest network written: total neurons (hidden and output). Every neuron is one CUSTOM action that PLUMED
    /// evaluates (with derivatives) at every step, and each line grows with the width of the layer before it;
    /// beyond a few hundred neurons PLUMED's PYTORCH module (or the ONNX export) is the better tool.
    /// </summary>
    public int MaxNeurons { get; init; } = 512;

    /// <summary>Largest number of inputs of one neuron (the ARG list of one CUSTOM line).</summary>
    public int MaxNeuronInputs { get; init; } = 128;
}
