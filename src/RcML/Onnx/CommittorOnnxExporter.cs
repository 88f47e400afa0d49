using RcML.Committor;

namespace RcML.Onnx;

/// <summary>
/// Writes a <see cref="CommittorNetworkSpec"/> as a self-describing ONNX model (opset 17):
/// input "Features" float [N, raw CV count], outputs "q" and "p_B" float [N, 1].
/// </summary>
public static class CommittorOnnxExporter
{
    /// <summary>Name of the graph input: raw CVs in the order of <see cref="CommittorNetworkSpec.Inputs"/>.</summary>
    public const string InputName = "Features";
    /// <summary>Name of the reaction coordinate output q.</summary>
    public const string ReactionCoordinateOutputName = "q";
    /// <summary>Name of the committor output p_B = sigmoid(q).</summary>
    public const string CommittorOutputName = "p_B";
    /// <summary>metadata_props key holding <see cref="CommittorNetworkSpec.ToJson"/>.</summary>
    public const string SpecMetadataKey = "rcml.committor_network";
    /// <summary>metadata_props key holding the RcML version that wrote the model.</summary>
    public const string VersionMetadataKey = "rcml.version";

    /// <summary>Exports the network as ONNX model bytes.</summary>
    /// <param name="spec">The trained network.</param>
    /// <param name="foldNormalization">
    /// Fold the standardization (x - Mean) / Scale into the first layer's weights and bias instead of
    /// emitting Sub/Div nodes; the periodic sin/cos expansion, if any, still comes first.
    /// </param>
    /// <param name="names">The input's and outputs' names (default: "Features", "q", "p_B").</param>
    public static byte[] Export(CommittorNetworkSpec spec, bool foldNormalization = false, OnnxValueNames? names = null)
    {
        CommittorNetworkLayout.Validate(spec);
        names ??= OnnxValueNames.Default;
        names.Validate();
        var g = new OnnxGraphBuilder();
        g.Graph.Inputs.Add(OnnxGraphBuilder.BatchOfVectors(names.Input, spec.Inputs.Count));
        AddNetwork(g, names.Input, spec, foldNormalization, names.ReactionCoordinate);
        g.Node("Sigmoid", [names.ReactionCoordinate], names.Committor);

        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(names.ReactionCoordinate, 1));
        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(names.Committor, 1));

        var model = g.ToModel("rcml_committor");
        model.Metadata.Add(new(SpecMetadataKey, spec.ToJson()));
        model.Metadata.Add(new(VersionMetadataKey, RcMLInfo.Version));
        return model.ToBytes();
    }

    /// <summary>
    /// Adds the nodes of one network to <paramref name="g"/>: raw CVs <paramref name="input"/> [N, raw CV count] in,
    /// q [N, 1] out (named <paramref name="output"/> when given); returns q's name. Shared with the ensemble exporter.
    /// </summary>
    internal static string AddNetwork(OnnxGraphBuilder g, string input, CommittorNetworkSpec spec, bool foldNormalization, string? output = null)
    {
        CommittorNetworkLayout.Validate(spec);
        string x = g.PeriodicExpansion(input, spec.Inputs.Count, CommittorNetworkLayout.PeriodicInputs(spec));
        var layers = spec.Layers.ToList();
        if (foldNormalization)
            layers[0] = FoldStandardization(layers[0], spec.Mean, spec.Scale);
        else
        {
            x = g.Node("Sub", [x, g.Constant("mean", spec.Mean)]);
            x = g.Node("Div", [x, g.Constant("scale", spec.Scale)]);
        }

        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool last = i == layers.Count - 1;
            x = g.Node("Gemm", [x, g.Constant($"W{i}", layer.Weight, layer.Out, layer.In), g.Constant($"b{i}", layer.Bias)],
                attributes: new OnnxAttribute("transB", Int: 1));
            if (layer.LayerNormScale is not null || layer.LayerNormBias is not null)
            {
                x = g.Node("LayerNormalization",
                    [x, g.Constant($"ln_scale{i}", layer.LayerNormScale ?? Enumerable.Repeat(1f, layer.Out).ToArray()),
                        g.Constant($"ln_bias{i}", layer.LayerNormBias ?? new float[layer.Out])],
                    attributes: [new OnnxAttribute("axis", Int: -1), new OnnxAttribute("epsilon", Float: layer.LayerNormEpsilon)]);
            }
            x = Activation.OfLayer(layer.Activation).Onnx(g, x, last ? output : null);
        }
        if (output is not null && x != output)
            g.Node("Identity", [x], output);
        return output ?? x;
    }

    /// <summary>Reads the network description stored in ONNX model bytes written by <see cref="Export"/>.</summary>
    public static CommittorNetworkSpec ReadSpec(ReadOnlyMemory<byte> onnxModel)
    {
        var json = OnnxModel.Parse(onnxModel).GetMetadata(SpecMetadataKey)
            ?? throw new InvalidDataException($"The ONNX model has no '{SpecMetadataKey}' metadata; it was not exported by RcML.");
        return CommittorNetworkSpec.FromJson(json);
    }

    /// <summary>W (x - m) / s + b = (W / s) x + (b - W (m / s)), computed in double.</summary>
    private static DenseLayer FoldStandardization(DenseLayer layer, float[] mean, float[] scale)
    {
        var weight = new float[layer.Weight.Length];
        var bias = new float[layer.Out];
        for (int o = 0; o < layer.Out; o++)
        {
            double b = layer.Bias[o];
            for (int i = 0; i < layer.In; i++)
            {
                double w = layer.Weight[o * layer.In + i] / (double)scale[i];
                weight[o * layer.In + i] = (float)w;
                b -= w * mean[i];
            }
            bias[o] = (float)b;
        }
        return layer with { Weight = weight, Bias = bias };
    }
}
