using FluentAssertions;
using RcML.Committor;
using RcML.Export;
using RcML.Onnx;
using RcML.Tests.Onnx;
using Xunit;

namespace RcML.Tests.Export;

/// <summary>The exported PLUMED input, run by a small Lepton evaluator, computes the same q as the network.</summary>
public class PlumedExporterTests
{
    [Theory]
    [InlineData("tanh", false)]
    [InlineData("relu", false)]
    [InlineData("elu", false)]
    [InlineData("gelu", false)]
    [InlineData("silu", false)]
    [InlineData("sigmoid", false)]
    [InlineData("softplus", false)]
    [InlineData("leaky_relu", false)]
    [InlineData("identity", false)]
    [InlineData("tanh", true)]
    [InlineData("gelu", true)]
    public void Exported_expressions_match_the_network(string activation, bool layerNorm)
    {
        var spec = TestNetworks.Create(seed: activation.Length + (layerNorm ? 100 : 0), TestNetworks.MixedInputs,
            [activation, activation], layerNorm, hiddenWidth: 5);
        var plumed = PlumedExporter.Export(spec);
        var evaluator = new CommittorNetworkEvaluator(spec);

        foreach (var row in TestNetworks.Rows(spec.Inputs, 40, seed: 7))
        {
            var cvs = spec.Inputs.Select((input, i) => (input.Name, Value: (double)row[i])).ToDictionary(p => p.Name, p => p.Value);
            var values = PlumedCustomInput.Run(plumed, cvs);
            double q = evaluator.ReactionCoordinate(TestNetworks.ToDouble(row));
            values["rc"].Should().BeApproximately(q, 1e-4);
            values["pb"].Should().BeApproximately(CommittorNetworkEvaluator.Sigmoid(q), 1e-5);
        }
    }

    [Fact]
    public void Zero_and_negative_zero_constants_are_written_validly()
    {
        var spec = RcML.Tests.Analysis.AttributionTestNetworks.IgnoresNoise() with { Mean = [0, -0f, 0, 0] };
        var evaluator = new CommittorNetworkEvaluator(spec);
        var values = PlumedCustomInput.Run(PlumedExporter.Export(spec), new Dictionary<string, double> { ["phi"] = 33, ["x"] = -1, ["noise"] = 0.3 });
        values["rc"].Should().BeApproximately(evaluator.ReactionCoordinate([33, -1, 0.3]), 1e-5);
    }

    [Fact]
    public void Activations_stay_finite_far_from_the_origin()
    {
        foreach (var activation in TestNetworks.AllActivations)
        {
            var spec = TestNetworks.Create(3, [new NetworkInput("d", InputKind.Linear)], [activation], layerNorm: false, hiddenWidth: 3);
            var plumed = PlumedExporter.Export(spec);
            var evaluator = new CommittorNetworkEvaluator(spec);
            foreach (double x in new[] { -1e4, -800.0, 800.0, 1e4 })
            {
                double rc = PlumedCustomInput.Run(plumed, new Dictionary<string, double> { ["d"] = x })["rc"];
                rc.Should().BeApproximately(evaluator.ReactionCoordinate([x]), 1e-6 * Math.Max(1, Math.Abs(rc)), activation);
            }
        }
    }

    [Fact]
    public void Degrees_are_converted_unless_PLUMED_supplies_radians()
    {
        var spec = TestNetworks.Create(5, [new NetworkInput("phi", InputKind.PeriodicDegrees)], ["tanh"], layerNorm: false);
        var evaluator = new CommittorNetworkEvaluator(spec);
        var degrees = PlumedExporter.Export(spec);
        var radians = PlumedExporter.Export(spec, new PlumedExportOptions { AnglesInRadians = true });

        degrees.Should().Contain("phi: periodic, DEGREES");
        radians.Should().Contain("phi: periodic, radians");
        double q = evaluator.ReactionCoordinate([120.0]);
        PlumedCustomInput.Run(degrees, new Dictionary<string, double> { ["phi"] = 120 })["rc"].Should().BeApproximately(q, 1e-5);
        PlumedCustomInput.Run(radians, new Dictionary<string, double> { ["phi"] = 120 * Math.PI / 180 })["rc"].Should().BeApproximately(q, 1e-5);
    }

    [Fact]
    public void Every_line_is_a_labelled_CUSTOM_action_ending_in_rc_and_pb()
    {
        var spec = TestNetworks.Create(9, TestNetworks.MixedInputs, ["tanh"], layerNorm: false, hiddenWidth: 4);
        var lines = PlumedExporter.Export(spec).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        lines.Should().OnlyContain(l => l.Contains(": CUSTOM ARG=") && l.EndsWith(" PERIODIC=NO"));
        // 6 expanded inputs + 4 hidden neurons + rc + pb
        lines.Should().HaveCount(12);
        lines[^2].Should().StartWith("rc: ");
        lines[^1].Should().StartWith("pb: CUSTOM ARG=rc ");
    }

    [Fact]
    public void Too_large_networks_and_bad_labels_are_refused_clearly()
    {
        var big = TestNetworks.Create(1, TestNetworks.MixedInputs, ["tanh", "tanh"], layerNorm: false, hiddenWidth: 300);
        var act = () => PlumedExporter.Export(big);
        act.Should().Throw<ArgumentException>().WithMessage("*601 neurons*TorchScript*PYTORCH_MODEL*");

        var spaced = TestNetworks.Create(1, [new NetworkInput("my cv", InputKind.Linear)], ["tanh"], layerNorm: false);
        act = () => PlumedExporter.Export(spaced);
        act.Should().Throw<ArgumentException>().WithMessage("*'my cv'*PLUMED label*");

        var clash = TestNetworks.Create(1, [new NetworkInput("rc", InputKind.Linear)], ["tanh"], layerNorm: false);
        act = () => PlumedExporter.Export(clash);
        act.Should().Throw<ArgumentException>().WithMessage("*'rc' clashes*");
        PlumedExporter.Export(clash, new PlumedExportOptions { ReactionCoordinateLabel = "q" }).Should().Contain("\nq: CUSTOM");
    }

    [Fact]
    public void Onnx_export_folds_the_standardization_and_scores_like_the_network()
    {
        var spec = TestNetworks.Create(4, TestNetworks.MixedInputs, ["silu"], layerNorm: false);
        var bytes = NetworkExport.ToOnnx(spec);
        CommittorOnnxExporter.ReadSpec(bytes).ToJson().Should().Be(spec.ToJson(), "the model describes the original network");
        var model = OnnxModel.Parse(bytes);
        model.Graph.Nodes.Should().NotContain(n => n.OpType == "Sub" || n.OpType == "Div", "the standardization is folded");
    }
}
