using System.Globalization;
using System.Text;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.IO;
using RcML.Onnx;

namespace RcML.Export;

/// <summary>
/// Writes a committor network as a TorchScript module, the format PLUMED's <c>PYTORCH_MODEL</c> and Colvars'
/// <c>torchANN</c> load with <c>torch::jit::load</c> and differentiate with autograd.
/// </summary>
/// <remarks>
/// <c>forward(x)</c> takes the raw CVs, float32 [N, inputs] in <see cref="CommittorNetworkSpec.Inputs"/> order (angles in
/// <see cref="TorchScriptExportOptions.Angles"/>, radians by default) and returns q, float32 [N, 1] (with
/// <see cref="TorchScriptExportOptions.IncludeCommittor"/>: [N, 2] = q, p_B). It computes what the ONNX model computes:
/// sin/cos of periodic inputs, standardization, dense layers (batch norm is already folded into them, dropout is not
/// applied at inference), layer norm, activations (<see cref="Activation.TorchScript"/>). The module carries
/// <c>input_names</c>, <c>input_units</c> and <c>output_names</c> (List[str]) so a consumer can check its inputs.
/// An ensemble of k networks becomes one module that runs every member and outputs what its ONNX graph does
/// (<see cref="CommittorEnsembleOnnxExporter"/>): q = logit(mean p_B of the members), computed stably as
/// logsumexp(log sigmoid(q_m)) - logsumexp(log sigmoid(-q_m)); with <see cref="TorchScriptExportOptions.IncludeCommittor"/>
/// also p_B and the members' standard deviation of p_B (columns q, p_B, p_B_std).
/// </remarks>
public static class TorchScriptExporter
{
    /// <summary>The TorchScript module file's bytes for one network.</summary>
    public static byte[] Export(CommittorNetworkSpec spec, TorchScriptExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Export(new CommittorEnsembleSpec { Members = [spec] }, options);
    }

    /// <summary>The TorchScript module file's bytes for an ensemble (one member: that network's module).</summary>
    public static byte[] Export(CommittorEnsembleSpec ensemble, TorchScriptExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ensemble.Validate();
        options ??= new TorchScriptExportOptions();
        foreach (var member in ensemble.Members) CommittorNetworkLayout.Validate(member);
        var names = ensemble.InputNames;
        var archive = new TorchScriptArchive("rcml", ensemble.Members.Count == 1 ? "CommittorNetwork" : "CommittorEnsemble");
        archive.AddStrings("input_names", names);
        archive.AddStrings("input_units", ensemble.Members[0].Inputs.Select(i => Unit(i.Kind, options.Angles)).ToArray());
        archive.AddStrings("output_names", OutputNames(ensemble, options));

        var code = new StringBuilder();
        code.Append($"  def forward(self: {archive.QualifiedName},\n    x: Tensor) -> Tensor:\n");
        if (ensemble.Members.Count == 1)
        {
            string q = Network(archive, code, ensemble.Members[0], "x", "", options);
            code.Append(options.IncludeCommittor ? $"    return torch.cat([{q}, torch.sigmoid({q})], 1)\n" : $"    return {q}\n");
            return archive.ToBytes(code.ToString());
        }

        var memberQ = new List<string>();
        for (int m = 0; m < ensemble.Members.Count; m++)
        {
            var member = ensemble.Members[m];
            string prefix = $"member{m}_", x = "x";
            var order = member.Inputs.Select(i => (long)names.ToList().IndexOf(i.Name)).ToArray();
            if (order.Where((position, i) => position != i).Any())
            {
                archive.AddTensor($"{prefix}inputs", order);
                x = $"{prefix}x";
                code.Append($"    {x} = torch.index_select(x, 1, self.{prefix}inputs)\n");
            }
            memberQ.Add(Network(archive, code, member, x, prefix, options));
        }
        // log sigmoid(z) = -softplus(-z); the 1/k of the mean cancels in the difference.
        code.Append($"    members = torch.cat([{string.Join(", ", memberQ)}], 1)\n");
        code.Append("    q = torch.sub(torch.logsumexp(torch.neg(torch.softplus(torch.neg(members))), [1], True), " +
            "torch.logsumexp(torch.neg(torch.softplus(members)), [1], True))\n");
        if (!options.IncludeCommittor)
        {
            code.Append("    return q\n");
            return archive.ToBytes(code.ToString());
        }
        code.Append("    p = torch.sigmoid(q)\n");
        code.Append("    deviation = torch.sub(torch.sigmoid(members), p)\n");
        code.Append("    spread = torch.sqrt(torch.mean(torch.mul(deviation, deviation), [1], True))\n");
        code.Append("    return torch.cat([q, p, spread], 1)\n");
        return archive.ToBytes(code.ToString());
    }

    /// <summary>The module's output columns: q, then with <see cref="TorchScriptExportOptions.IncludeCommittor"/> p_B (and p_B_std for an ensemble).</summary>
    public static IReadOnlyList<string> OutputNames(CommittorEnsembleSpec ensemble, TorchScriptExportOptions options) =>
        !options.IncludeCommittor ? ["q"] : ensemble.Members.Count == 1 ? ["q", "p_B"] : ["q", "p_B", "p_B_std"];

    /// <summary>Writes the module of one network to <paramref name="path"/> atomically (no partial file on error).</summary>
    public static void WriteFile(CommittorNetworkSpec spec, string path, TorchScriptExportOptions? options = null)
    {
        var bytes = Export(spec, options); // before touching the file system, so errors leave nothing
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
    }

    /// <summary>Writes the module of an ensemble to <paramref name="path"/> atomically (no partial file on error).</summary>
    public static void WriteFile(CommittorEnsembleSpec ensemble, string path, TorchScriptExportOptions? options = null)
    {
        var bytes = Export(ensemble, options);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
    }

    /// <summary>The unit an input is taken in: "radians", "degrees" or "as in the training data".</summary>
    internal static string Unit(InputKind kind, AngleUnit? angles) => kind switch
    {
        InputKind.Linear => "as in the training data",
        _ => InputInRadians(kind, angles) ? "radians" : "degrees",
    };

    private static bool InputInRadians(InputKind kind, AngleUnit? angles) =>
        angles == AngleUnit.Radians || (angles is null && kind == InputKind.PeriodicRadians);

    /// <summary>
    /// Appends the statements computing one network's q [N, 1] from the raw CVs in <paramref name="x"/>; its tensors
    /// become attributes named with <paramref name="prefix"/>. Returns q's variable.
    /// </summary>
    internal static string Network(TorchScriptArchive archive, StringBuilder code, CommittorNetworkSpec spec, string x,
        string prefix, TorchScriptExportOptions options)
    {
        string Attribute(string name) => $"self.{prefix}{name}";
        string v = $"{prefix}h";
        var periodic = CommittorNetworkLayout.PeriodicInputs(spec);
        if (periodic.Count == 0)
            code.Append($"    {v} = {x}\n");
        else
        {
            // As the ONNX graph: gather the angles (to radians where needed), sin and cos them, put every column in place.
            var linear = Enumerable.Range(0, spec.Inputs.Count).Where(i => spec.Inputs[i].Kind == InputKind.Linear).ToArray();
            archive.AddTensor($"{prefix}periodic_columns", periodic.Select(p => (long)p.Index).ToArray());
            code.Append($"    {prefix}angles = torch.index_select({x}, 1, {Attribute("periodic_columns")})\n");
            var factors = periodic.Select(p => InputInRadians(p.Kind, options.Angles) ? 1f : (float)(Math.PI / 180)).ToArray();
            if (factors.Any(f => f != 1f))
            {
                archive.AddTensor($"{prefix}to_radians", factors, factors.Length);
                code.Append($"    {prefix}angles = torch.mul({prefix}angles, {Attribute("to_radians")})\n");
            }
            var parts = new List<string>();
            if (linear.Length > 0)
            {
                archive.AddTensor($"{prefix}linear_columns", linear.Select(i => (long)i).ToArray());
                parts.Add($"torch.index_select({x}, 1, {Attribute("linear_columns")})");
            }
            parts.Add($"torch.sin({prefix}angles)");
            parts.Add($"torch.cos({prefix}angles)");
            archive.AddTensor($"{prefix}expanded_order", ExpandedOrder(spec, linear, periodic.Select(p => p.Index).ToArray()));
            code.Append($"    {v} = torch.index_select(torch.cat([{string.Join(", ", parts)}], 1), 1, {Attribute("expanded_order")})\n");
        }

        archive.AddTensor($"{prefix}mean", spec.Mean, spec.Mean.Length);
        archive.AddTensor($"{prefix}scale", spec.Scale, spec.Scale.Length);
        code.Append($"    {v} = torch.div(torch.sub({v}, {Attribute("mean")}), {Attribute("scale")})\n");

        for (int l = 0; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            // Stored as W^T [in, out], so the layer is one addmm(b, h, W^T) like PyTorch's Linear.
            var transposed = new float[layer.Weight.Length];
            for (int o = 0; o < layer.Out; o++)
                for (int i = 0; i < layer.In; i++)
                    transposed[i * layer.Out + o] = layer.Weight[o * layer.In + i];
            archive.AddTensor($"{prefix}weight{l}", transposed, layer.In, layer.Out);
            archive.AddTensor($"{prefix}bias{l}", layer.Bias, layer.Out);
            code.Append($"    {v} = torch.addmm({Attribute($"bias{l}")}, {v}, {Attribute($"weight{l}")})\n");
            if (layer.LayerNormScale is not null || layer.LayerNormBias is not null)
            {
                archive.AddTensor($"{prefix}norm_scale{l}", layer.LayerNormScale ?? Enumerable.Repeat(1f, layer.Out).ToArray(), layer.Out);
                archive.AddTensor($"{prefix}norm_bias{l}", layer.LayerNormBias ?? new float[layer.Out], layer.Out);
                code.Append($"    {v} = torch.layer_norm({v}, [{layer.Out}], {Attribute($"norm_scale{l}")}, {Attribute($"norm_bias{l}")}, " +
                    $"{Number(layer.LayerNormEpsilon)})\n");
            }
            var activation = Activation.OfLayer(layer.Activation);
            if (activation != Activation.Identity)
                code.Append($"    {v} = {activation.TorchScript(v)}\n");
        }
        return v;
    }

    /// <summary>For each expanded column, its position in the concatenation [linear..., sin..., cos...].</summary>
    private static long[] ExpandedOrder(CommittorNetworkSpec spec, int[] linear, int[] periodic)
    {
        var order = new List<long>();
        for (int i = 0; i < spec.Inputs.Count; i++)
        {
            if (spec.Inputs[i].Kind == InputKind.Linear) { order.Add(Array.IndexOf(linear, i)); continue; }
            int k = Array.IndexOf(periodic, i);
            order.Add(linear.Length + k);
            order.Add(linear.Length + periodic.Length + k);
        }
        return order.ToArray();
    }

    /// <summary>A float literal TorchScript reads as a double (always with a '.', lower-case exponent).</summary>
    internal static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        int e = text.IndexOf('e');
        string mantissa = e < 0 ? text : text[..e];
        if (!mantissa.Contains('.')) mantissa += ".0";
        return e < 0 ? mantissa : mantissa + text[e..];
    }
}
