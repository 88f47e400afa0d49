using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RcML.Committor;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Onnx;

public class CommittorOnnxExporterTests
{
    /// <summary>Scores a batch directly with ONNX Runtime: (q, p_B) per row.</summary>
    internal static (float Q, float P)[] RunOnnx(byte[] model, float[][] rows)
    {
        using var session = new InferenceSession(model);
        int width = rows[0].Length;
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(CommittorOnnxExporter.InputName, input)]);
        var q = results.Single(r => r.Name == CommittorOnnxExporter.ReactionCoordinateOutputName).AsTensor<float>();
        var p = results.Single(r => r.Name == CommittorOnnxExporter.CommittorOutputName).AsTensor<float>();
        q.Dimensions.ToArray().Should().Equal(rows.Length, 1);
        return Enumerable.Range(0, rows.Length).Select(i => (q[i, 0], p[i, 0])).ToArray();
    }

    internal static void ShouldMatch(float actual, double expected, string because) =>
        ((double)actual).Should().BeApproximately(expected, 1e-5 * Math.Max(1, Math.Abs(expected)), because);

    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var activation in TestNetworks.AllActivations)
            foreach (bool layerNorm in new[] { false, true })
                foreach (bool fold in new[] { false, true })
                    data.Add(activation, layerNorm, fold);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_matches_the_evaluator(string activation, bool layerNorm, bool fold)
    {
        var spec = TestNetworks.Create(Array.IndexOf(TestNetworks.AllActivations, activation) + 100, TestNetworks.MixedInputs,
            [activation, activation], layerNorm);
        var evaluator = new CommittorNetworkEvaluator(spec);
        var rows = TestNetworks.Rows(spec.Inputs, 64, seed: 3);

        var scores = RunOnnx(CommittorOnnxExporter.Export(spec, foldNormalization: fold), rows);

        for (int i = 0; i < rows.Length; i++)
        {
            var x = TestNetworks.ToDouble(rows[i]);
            ShouldMatch(scores[i].Q, evaluator.ReactionCoordinate(x), $"q of row {i}");
            ShouldMatch(scores[i].P, evaluator.Committor(x), $"p_B of row {i}");
        }
    }

    [Theory]
    [InlineData(InputKind.Linear)]
    [InlineData(InputKind.PeriodicDegrees)]
    [InlineData(InputKind.PeriodicRadians)]
    public void Folded_export_equals_unfolded(InputKind kind)
    {
        NetworkInput[] inputs = [new("a", kind), new("b", InputKind.Linear), new("c", kind)];
        var spec = TestNetworks.Create(5, inputs, ["tanh", "gelu"], layerNorm: false);
        var rows = TestNetworks.Rows(inputs, 50, seed: 11);

        var unfolded = RunOnnx(CommittorOnnxExporter.Export(spec), rows);
        var folded = RunOnnx(CommittorOnnxExporter.Export(spec, foldNormalization: true), rows);

        for (int i = 0; i < rows.Length; i++)
            ShouldMatch(folded[i].Q, unfolded[i].Q, $"row {i}");
    }

    [Fact]
    public void Folded_export_has_no_standardization_nodes()
    {
        var spec = TestNetworks.Create(2, [new("a", InputKind.Linear), new("b", InputKind.Linear)], ["relu"], false);
        var folded = OnnxModel.Parse(CommittorOnnxExporter.Export(spec, foldNormalization: true));
        var unfolded = OnnxModel.Parse(CommittorOnnxExporter.Export(spec));

        folded.Graph.Nodes.Select(n => n.OpType).Should().Equal("Gemm", "Relu", "Gemm", "Identity", "Sigmoid");
        unfolded.Graph.Nodes.Select(n => n.OpType).Should().StartWith(["Sub", "Div", "Gemm"]);
    }

    [Fact]
    public void Model_describes_itself()
    {
        var spec = TestNetworks.Create(3, TestNetworks.MixedInputs, ["silu"], layerNorm: true);
        var bytes = CommittorOnnxExporter.Export(spec);
        var model = OnnxModel.Parse(bytes);

        model.OpsetImports.Should().Equal(("", 17L));
        model.ProducerName.Should().Be("RcML");
        model.GetMetadata(CommittorOnnxExporter.VersionMetadataKey).Should().Be(RcMLInfo.Version);
        model.Graph.Inputs.Should().ContainSingle().Which.Shape.Should().Equal(OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(4));
        model.Graph.Outputs.Select(o => o.Name).Should().Equal("q", "p_B");
        CommittorOnnxExporter.ReadSpec(bytes).ToJson().Should().Be(spec.ToJson());
    }
}
