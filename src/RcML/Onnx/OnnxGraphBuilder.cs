using RcML.Committor;

namespace RcML.Onnx;

/// <summary>
/// Builds an <see cref="OnnxGraph"/> node by node with unique value names; also holds the graph pieces
/// shared by the committor exporter and <see cref="PeriodicExpansion"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>Name of the symbolic batch dimension.</summary>
    public const string BatchDimension = "N";

    private int _counter;

    public OnnxGraph Graph { get; } = new();

    /// <summary>A unique value name; the prefix keeps it apart from ML.NET column names given to inputs and outputs.</summary>
    public string NewName(string hint) => $"rcml.{hint}_{_counter++}";

    /// <summary>Declares a float graph input or output of shape [N, width].</summary>
    public static OnnxValueInfo BatchOfVectors(string name, int width) =>
        new(name, OnnxElementType.Float, [OnnxDimension.Symbolic(BatchDimension), OnnxDimension.Fixed(width)]);

    /// <summary>Adds a float initializer; its shape is <paramref name="dims"/>, or [values.Length] when none are given.</summary>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        var name = NewName(hint);
        Graph.Initializers.Add(OnnxTensor.FromFloats(name, dims.Length == 0 ? [values.Length] : dims, values));
        return name;
    }

    public string Constant(string hint, long[] values)
    {
        var name = NewName(hint);
        Graph.Initializers.Add(OnnxTensor.FromInt64s(name, [values.Length], values));
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name (or <paramref name="output"/> when given).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params OnnxAttribute[] attributes)
    {
        output ??= NewName(opType.ToLowerInvariant());
        Graph.Nodes.Add(new OnnxNode(opType, inputs, [output], NewName(opType), attributes));
        return output;
    }

    /// <summary>
    /// Replaces the periodic columns of a [N, inputSize] tensor with (sin, cos) pairs, in place, keeping column order:
    /// Gather the linear and the periodic columns, Mul degrees by pi/180, Sin and Cos, Concat, then one Gather puts
    /// every column back where it belongs. Returns the input unchanged when nothing is periodic.
    /// </summary>
    public string PeriodicExpansion(string input, int inputSize, IReadOnlyList<(int Index, InputKind Kind)> periodic)
    {
        var byIndex = new InputKind[inputSize];
        foreach (var (index, kind) in periodic)
        {
            if ((uint)index >= (uint)inputSize)
                throw new ArgumentOutOfRangeException(nameof(periodic), $"Position {index} is outside the input of size {inputSize}.");
            byIndex[index] = kind;
        }
        var periodicIndices = Enumerable.Range(0, inputSize).Where(i => byIndex[i] != InputKind.Linear).ToArray();
        if (periodicIndices.Length == 0)
            return input;
        var linearIndices = Enumerable.Range(0, inputSize).Where(i => byIndex[i] == InputKind.Linear).ToArray();

        string angles = Node("Gather", [input, Constant("periodic_columns", periodicIndices.Select(i => (long)i).ToArray())],
            attributes: new OnnxAttribute("axis", Int: 1));
        if (periodicIndices.Any(i => byIndex[i] == InputKind.PeriodicDegrees))
        {
            var toRadians = periodicIndices.Select(i => (float)InputExpansion.ToRadians(byIndex[i])).ToArray();
            angles = Node("Mul", [angles, Constant("to_radians", toRadians)]);
        }
        string sin = Node("Sin", [angles]);
        string cos = Node("Cos", [angles]);

        // Concat layout: [linear..., sin..., cos...]; find for each output column its position in that layout.
        var parts = new List<string>();
        if (linearIndices.Length > 0)
            parts.Add(Node("Gather", [input, Constant("linear_columns", linearIndices.Select(i => (long)i).ToArray())],
                attributes: new OnnxAttribute("axis", Int: 1)));
        parts.Add(sin);
        parts.Add(cos);
        string concatenated = Node("Concat", parts.ToArray(), attributes: new OnnxAttribute("axis", Int: 1));

        int p = periodicIndices.Length, l = linearIndices.Length;
        var order = new List<long>();
        for (int i = 0; i < inputSize; i++)
        {
            if (byIndex[i] == InputKind.Linear)
                order.Add(Array.IndexOf(linearIndices, i));
            else
            {
                int k = Array.IndexOf(periodicIndices, i);
                order.Add(l + k);
                order.Add(l + p + k);
            }
        }
        return Node("Gather", [concatenated, Constant("expanded_order", order.ToArray())], attributes: new OnnxAttribute("axis", Int: 1));
    }

    /// <summary>Wraps the graph into a model with opset 17 and RcML as producer.</summary>
    public OnnxModel ToModel(string graphName)
    {
        Graph.Name = graphName;
        var model = new OnnxModel { ProducerName = "RcML", ProducerVersion = RcMLInfo.Version };
        model.OpsetImports.Add(("", OnnxModel.DefaultOpset));
        model.Graph = Graph;
        return model;
    }

}
