using Microsoft.ML;
using RcML.Committor;

namespace RcML.Onnx;

/// <summary>
/// A savable ML.NET estimator that replaces listed positions of a float vector by (sin, cos) pairs, in place:
/// [x0, angle1, x2] becomes [x0, sin(angle1), cos(angle1), x2]. It is a tiny ONNX graph inside an OnnxTransformer,
/// so models using it save and load in any ML.NET app. It is the same expansion the exported committor networks use.
/// </summary>
public static class PeriodicExpansion
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="outputColumnName">Output column: Vector&lt;Single&gt; of the expanded width.</param>
    /// <param name="inputColumnName">Input column: Vector&lt;Single&gt; of known size <paramref name="inputSize"/>.</param>
    /// <param name="inputSize">Width of the input vector.</param>
    /// <param name="periodic">Positions to expand and whether they hold degrees or radians; other positions pass through.</param>
    /// <remarks>The output column's type is Vector&lt;Single, 1, width&gt; (ONNX's batch axis shows as a leading 1); its size is the expanded width.</remarks>
    public static IEstimator<ITransformer> Create(MLContext ml, string outputColumnName, string inputColumnName, int inputSize,
        IReadOnlyList<(int Index, InputKind Kind)> periodic)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(periodic);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if (periodic.Any(p => p.Kind == InputKind.Linear))
            throw new ArgumentException("List only periodic positions.", nameof(periodic));
        if (periodic.Select(p => p.Index).Distinct().Count() != periodic.Count)
            throw new ArgumentException("A position is listed twice.", nameof(periodic));

        // ONNX forbids an output named like the input; expand into a temporary column and copy back.
        bool inPlace = outputColumnName == inputColumnName;
        string onnxOutput = inPlace ? outputColumnName + ".Expanded" : outputColumnName;

        var g = new OnnxGraphBuilder();
        g.Graph.Inputs.Add(OnnxGraphBuilder.BatchOfVectors(inputColumnName, inputSize));
        string expanded = g.PeriodicExpansion(inputColumnName, inputSize, periodic);
        g.Node("Identity", [expanded], onnxOutput);
        g.Graph.Outputs.Add(OnnxGraphBuilder.BatchOfVectors(onnxOutput, inputSize + periodic.Count));
        var bytes = g.ToModel("rcml_periodic_expansion").ToBytes();

        var estimator = ml.Transforms.ApplyOnnxModel([onnxOutput], [inputColumnName], new MemoryStream(bytes));
        if (!inPlace)
            return estimator;
        return estimator.Append(ml.Transforms.CopyColumns(outputColumnName, onnxOutput))
            .Append(ml.Transforms.DropColumns(onnxOutput));
    }
}
