using RcML.Ensembles;

namespace RcML.Onnx;

/// <summary>
/// Writes a <see cref="CommittorEnsembleSpec"/> as one ONNX model (opset 17) that runs every member network:
/// input "Features" float [N, raw CV count] (in <see cref="CommittorEnsembleSpec.InputNames"/> order), outputs "q",
/// "p_B" and "p_B_std" float [N, 1].
/// </summary>
/// <remarks>
/// With member outputs q_m and p_m = sigmoid(q_m): p_B = mean_m p_m, q = logit(p_B) computed stably as
/// logsumexp_m(log sigmoid(q_m)) - logsumexp_m(log sigmoid(-q_m)) (so saturated members keep q finite and exact), and
/// p_B_std = sqrt(mean_m (p_m - p_B)^2), the population standard deviation of the members' p_B (0 for one member).
/// </remarks>
public static class CommittorEnsembleOnnxExporter
{
    /// <summary>Name of the output with the members' standard deviation of p_B.</summary>
    public const string CommittorStdDevOutputName = "p_B_std";
    /// <summary>metadata_props key holding <see cref="CommittorEnsembleSpec.ToJson"/>.</summary>
    public const string EnsembleMetadataKey = "rcml.committor_ensemble";

    /// <summary>Exports the ensemble as ONNX model bytes.</summary>
    /// <param name="ensemble">The member networks.</param>
    /// <param name="foldNormalization">Fold each member's standardization into its first layer (as <see cref="CommittorOnnxExporter.Export"/>).</param>
    /// <param name="valueNames">The input's and outputs' names (default: "Features", "q", "p_B", "p_B_std").</param>
    public static byte[] Export(CommittorEnsembleSpec ensemble, bool foldNormalization = false, OnnxValueNames? valueNames = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ensemble.Validate();
        valueNames ??= OnnxValueNames.Default;
        valueNames.Validate();
        var names = ensemble.InputNames.ToList();
        var g = new OnnxGraphBuilder();
        string input = valueNames.Input;
        g.Graph.Inputs.Add(OnnxGraphBuilder.BatchOfVectors(input, names.Count));

        var memberQ = new List<string>();
        foreach (var member in ensemble.Members)
        {
            var order = member.Inputs.Select(i => (long)names.IndexOf(i.Name)).ToArray();
            string x = order.Select((position, i) => position == i).All(same => same)
                ? input
                : g.Node("Gather", [input, g.Constant("member_inputs", order)], attributes: new OnnxAttribute("axis", Int: 1));
            memberQ.Add(CommittorOnnxExporter.AddNetwork(g, x, member, foldNormalization));
        }
        string q = memberQ.Count == 1 ? memberQ[0] : g.Node("Concat", memberQ.ToArray(), attributes: new OnnxAttribute("axis", Int: 1));

        var members = new OnnxAttribute("axes", Ints: [1]);
        var keep = new OnnxAttribute("keepdims", Int: 1);
        // log sigmoid(z) = -softplus(-z); the 1/k of the mean cancels in the difference.
        string logP = g.Node("Neg", [g.Node("Softplus", [g.Node("Neg", [q])])]);
        string logNotP = g.Node("Neg", [g.Node("Softplus", [q])]);
        g.Node("Sub", [g.Node("ReduceLogSumExp", [logP], null, members, keep), g.Node("ReduceLogSumExp", [logNotP], null, members, keep)],
            valueNames.ReactionCoordinate);
        string pB = g.Node("Sigmoid", [valueNames.ReactionCoordinate], valueNames.Committor);
        string deviation = g.Node("Sub", [g.Node("Sigmoid", [q]), pB]);
        g.Node("Sqrt", [g.Node("ReduceMean", [g.Node("Mul", [deviation, deviation])], null, members, keep)], valueNames.CommittorStdDev);

        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(valueNames.ReactionCoordinate, 1));
        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(valueNames.Committor, 1));
        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(valueNames.CommittorStdDev, 1));

        var model = g.ToModel("rcml_committor_ensemble");
        model.Metadata.Add(new(EnsembleMetadataKey, ensemble.ToJson()));
        model.Metadata.Add(new(CommittorOnnxExporter.VersionMetadataKey, RcMLInfo.Version));
        return model.ToBytes();
    }

    /// <summary>Reads the ensemble description stored in ONNX model bytes written by <see cref="Export"/>.</summary>
    public static CommittorEnsembleSpec ReadEnsemble(ReadOnlyMemory<byte> onnxModel)
    {
        var json = OnnxModel.Parse(onnxModel).GetMetadata(EnsembleMetadataKey)
            ?? throw new InvalidDataException($"The ONNX model has no '{EnsembleMetadataKey}' metadata; it is not an RcML ensemble.");
        return CommittorEnsembleSpec.FromJson(json);
    }
}
