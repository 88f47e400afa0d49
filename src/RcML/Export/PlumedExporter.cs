using System.Globalization;
using System.Text;
using RcML.Committor;
using RcML.Onnx;

namespace RcML.Export;

/// <summary>
/// Writes a trained committor network as a PLUMED input that computes q (label <c>rc</c>) and p_B (label <c>pb</c>)
/// from the CVs the network was trained on, with CUSTOM actions only (PLUMED 2.5 and later; Lepton expressions).
/// </summary>
/// <remarks>
/// The CV names of the network are used as PLUMED labels: the user defines them earlier in plumed.dat (a name like
/// <c>d1.x</c> then refers to a component). Lines, in order:
/// <list type="number">
/// <item>one per expanded input: the standardization (x - mean) / scale, of sin(x) and cos(x) for a periodic CV;</item>
/// <item>one per neuron: act(b + sum w x) as a single expression; a layer with layer norm instead gets one line per
/// pre-activation, one for their mean, one for 1/sqrt(variance + eps), then one per neuron;</item>
/// <item><c>rc</c> (q, the last neuron) and <c>pb</c> = 1 / (1 + exp(-rc)).</item>
/// </list>
/// Activations use only Lepton functions: relu = step(x) x, leaky_relu = (step(x) + 0.01 (1 - step(x))) x,
/// elu = max(x, 0) + exp(min(x, 0)) - 1, gelu = 0.5 x (1 + erf(x / sqrt 2)), silu = x / (1 + exp(-x)),
/// sigmoid = 1 / (1 + exp(-x)), softplus = max(x, 0) + log(1 + exp(-abs(x))), written so none overflows.
/// </remarks>
public static class PlumedExporter
{
    /// <summary>The PLUMED input text for a network.</summary>
    /// <exception cref="ArgumentException">The network is larger than the limits, or a CV name is not a PLUMED label.</exception>
    public static string Export(CommittorNetworkSpec spec, PlumedExportOptions? options = null)
    {
        options ??= new PlumedExportOptions();
        CommittorNetworkLayout.Validate(spec);
        CheckSize(spec, options);
        CheckLabels(spec, options);

        var text = new StringBuilder();
        Header(text, spec, options);
        string p = options.LabelPrefix;

        // Expanded, standardized inputs.
        var current = new List<string>();
        int k = 0;
        foreach (var input in spec.Inputs)
        {
            if (input.Kind == InputKind.Linear)
            {
                current.Add(Line(text, $"{p}x{k}", [input.Name], Standardize("x0", spec.Mean[k], spec.Scale[k])));
                k++;
                continue;
            }
            double toRadians = options.AnglesInRadians ? 1 : InputExpansion.ToRadians(input.Kind);
            string angle = toRadians == 1 ? "x0" : $"x0*{Number(toRadians)}";
            current.Add(Line(text, $"{p}x{k}", [input.Name], Standardize($"sin({angle})", spec.Mean[k], spec.Scale[k])));
            current.Add(Line(text, $"{p}x{k + 1}", [input.Name], Standardize($"cos({angle})", spec.Mean[k + 1], spec.Scale[k + 1])));
            k += 2;
        }

        for (int l = 0; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            bool last = l == spec.Layers.Count - 1;
            text.Append(CultureInfo.InvariantCulture, $"# layer {l + 1}: {layer.In} -> {layer.Out}, {layer.Activation}{(HasLayerNorm(layer) ? ", layer norm" : "")}\n");
            var next = new List<string>();
            if (!HasLayerNorm(layer))
            {
                for (int o = 0; o < layer.Out; o++)
                {
                    string label = last ? options.ReactionCoordinateLabel : $"{p}l{l}_n{o}";
                    next.Add(Line(text, label, current, Committor.Activation.OfLayer(layer.Activation).Lepton(Affine(layer, o))));
                }
            }
            else
                next = LayerNormLayer(text, layer, l, current, last, options);
            current = next;
        }
        Line(text, options.CommittorLabel, [options.ReactionCoordinateLabel], "1/(1+exp(-x0))");
        return text.ToString();
    }

    /// <summary>Throws when a CV name is not a PLUMED label or clashes with the labels the export defines.</summary>
    internal static void CheckLabels(CommittorNetworkSpec spec, PlumedExportOptions options)
    {
        foreach (var input in spec.Inputs)
            if (input.Name.Length == 0 || input.Name.Any(c => char.IsWhiteSpace(c) || c is ',' or '=' or '#' or '{' or '}'))
                throw new ArgumentException($"The CV name '{input.Name}' cannot be a PLUMED label (no spaces, ',', '=', '#', braces).");
            else if (input.Name == options.ReactionCoordinateLabel || input.Name == options.CommittorLabel ||
                     input.Name.StartsWith(options.LabelPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"The CV name '{input.Name}' clashes with the labels the export defines " +
                    $"({options.ReactionCoordinateLabel}, {options.CommittorLabel}, {options.LabelPrefix}*); choose other labels in the options.");
    }

    private const string TorchScriptRoute = "Use the TorchScript route instead, any size: PLUMED's PYTORCH_MODEL loads the network as a " +
        "TorchScript file (rcml export --format plumed without --inline writes both, or --format torchscript the file alone).";

    private static void CheckSize(CommittorNetworkSpec spec, PlumedExportOptions options)
    {
        int neurons = spec.Layers.Sum(l => l.Out);
        if (neurons > options.MaxNeurons)
            throw new ArgumentException($"The network has {neurons} neurons; the PLUMED export writes at most {options.MaxNeurons} " +
                "(one CUSTOM action each). " + TorchScriptRoute);
        int widest = spec.Layers.Max(l => l.In);
        if (widest > options.MaxNeuronInputs)
            throw new ArgumentException($"A layer has {widest} inputs; the PLUMED export allows at most {options.MaxNeuronInputs} per neuron. " +
                TorchScriptRoute);
    }

    private static void Header(StringBuilder text, CommittorNetworkSpec spec, PlumedExportOptions options)
    {
        text.Append("# Committor network exported by RcML ").Append(RcMLInfo.Version).Append('\n');
        text.Append($"# {options.ReactionCoordinateLabel} = q (reaction coordinate, the logit of the committor); ")
            .Append($"{options.CommittorLabel} = p_B = 1/(1+exp(-q)).\n");
        text.Append("# Define these CVs (PLUMED labels) before this block, in these units:\n");
        foreach (var input in spec.Inputs)
        {
            string unit = input.Kind switch
            {
                InputKind.Linear => "as in the training data",
                InputKind.PeriodicRadians => "periodic, radians",
                _ when options.AnglesInRadians => "periodic, radians (PLUMED's unit; the training data had degrees)",
                _ => "periodic, DEGREES as in the training data (PLUMED's TORSION gives radians: convert, or export with radians)",
            };
            text.Append($"#   {input.Name}: {unit}\n");
        }
    }

    private static List<string> LayerNormLayer(StringBuilder text, DenseLayer layer, int l, List<string> inputs, bool last, PlumedExportOptions options)
    {
        string p = options.LabelPrefix;
        var z = new List<string>();
        for (int o = 0; o < layer.Out; o++)
            z.Add(Line(text, $"{p}l{l}_z{o}", inputs, Affine(layer, o)));
        var vars = Enumerable.Range(0, layer.Out).Select(i => $"x{i}").ToArray();
        string n = Number(layer.Out);
        string mean = Line(text, $"{p}l{l}_mean", z, $"({string.Join("+", vars)})/{n}");
        var zAndMean = z.Append(mean).ToList();
        string m = $"x{layer.Out}";
        string variance = $"({string.Join("+", vars.Select(v => $"({v}-{m})^2"))})/{n}";
        string invSigma = Line(text, $"{p}l{l}_invstd", zAndMean, $"1/sqrt({variance}+{Number(layer.LayerNormEpsilon)})");
        var outputs = new List<string>();
        for (int o = 0; o < layer.Out; o++)
        {
            string normalized = $"(x0-x1)*x2*{Factor(layer.LayerNormScale?[o] ?? 1f)}{Signed(layer.LayerNormBias?[o] ?? 0f)}";
            string label = last ? options.ReactionCoordinateLabel : $"{p}l{l}_n{o}";
            outputs.Add(Line(text, label, [z[o], mean, invSigma], Committor.Activation.OfLayer(layer.Activation).Lepton(normalized)));
        }
        return outputs;
    }

    /// <summary>b + sum_i w_i x_i over the line's variables x0, x1, ...</summary>
    private static string Affine(DenseLayer layer, int o)
    {
        var sum = new StringBuilder(Number(layer.Bias[o]));
        for (int i = 0; i < layer.In; i++)
        {
            float w = layer.Weight[o * layer.In + i];
            if (w == 0) continue;
            sum.Append(Signed(w)).Append("*x").Append(i.ToString(CultureInfo.InvariantCulture));
        }
        return sum.ToString();
    }

    private static string Standardize(string x, float mean, float scale) => $"({x}{Signed(-mean)})/{Number(scale)}";

    private static string Line(StringBuilder text, string label, IReadOnlyList<string> args, string function)
    {
        var vars = Enumerable.Range(0, args.Count).Select(i => $"x{i}");
        text.Append(label).Append(": CUSTOM ARG=").AppendJoin(',', args).Append(" VAR=").AppendJoin(',', vars)
            .Append(" FUNC=").Append(function).Append(" PERIODIC=NO\n");
        return label;
    }

    private static bool HasLayerNorm(DenseLayer layer) => layer.LayerNormScale is not null || layer.LayerNormBias is not null;

    // Floats print their shortest round-trip form; Lepton reads plain and exponent notation.
    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // "+v" or "-|v|", so no expression ever contains "+-" or "--".
    private static string Signed(float value) => float.IsNegative(value) ? Number(value) : "+" + Number(value);

    // A factor after "*": negative ones in parentheses, for the same reason.
    private static string Factor(float value) => float.IsNegative(value) ? $"({Number(value)})" : Number(value);
}
