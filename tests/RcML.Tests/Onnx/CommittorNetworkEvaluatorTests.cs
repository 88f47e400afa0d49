using FluentAssertions;
using RcML.Committor;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Onnx;

public class CommittorNetworkEvaluatorTests
{
    [Fact]
    public void Single_linear_layer_is_standardized_weighted_sum()
    {
        var spec = new CommittorNetworkSpec
        {
            Inputs = [new("a", InputKind.Linear), new("phi", InputKind.PeriodicDegrees)],
            Mean = [1f, 0f, 0.5f],
            Scale = [2f, 1f, 0.25f],
            Layers = [new DenseLayer { In = 3, Out = 1, Weight = [1f, 2f, -1f], Bias = [0.5f] }],
        };
        var evaluator = new CommittorNetworkEvaluator(spec);
        double expected = (3.0 - 1) / 2 + 2 * Math.Sin(Math.PI / 6) - (Math.Cos(Math.PI / 6) - 0.5) / 0.25 + 0.5;

        evaluator.ReactionCoordinate([3.0, 30.0]).Should().BeApproximately(expected, 1e-12);
        evaluator.Committor([3.0, 30.0]).Should().BeApproximately(1 / (1 + Math.Exp(-expected)), 1e-12);
    }

    public static TheoryData<string, bool> Activations()
    {
        var data = new TheoryData<string, bool>();
        foreach (var activation in TestNetworks.AllActivations)
        {
            data.Add(activation, false);
            data.Add(activation, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Gradient_matches_central_finite_differences(string activation, bool layerNorm)
    {
        var spec = TestNetworks.Create(Array.IndexOf(TestNetworks.AllActivations, activation) * 2 + (layerNorm ? 1 : 0), TestNetworks.MixedInputs, [activation, activation], layerNorm);
        var evaluator = new CommittorNetworkEvaluator(spec);
        var gradient = new double[spec.Inputs.Count];

        foreach (var row in TestNetworks.Rows(spec.Inputs, 10, seed: 7))
        {
            var x = TestNetworks.ToDouble(row);
            double q = evaluator.ReactionCoordinate(x, gradient);
            q.Should().Be(evaluator.ReactionCoordinate(x));
            for (int i = 0; i < x.Length; i++)
            {
                const double h = 1e-5;
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (evaluator.ReactionCoordinate(plus) - evaluator.ReactionCoordinate(minus)) / (2 * h);
                gradient[i].Should().BeApproximately(numeric, 1e-6 * (1 + Math.Abs(numeric)), $"input {i} of [{string.Join(", ", x)}]");
            }
        }
    }

    [Fact]
    public void Inconsistent_spec_is_rejected()
    {
        var spec = TestNetworks.Create(1, TestNetworks.MixedInputs, ["tanh"], false) with { Mean = [0f] };
        var act = () => new CommittorNetworkEvaluator(spec);
        act.Should().Throw<ArgumentException>();
    }
}
