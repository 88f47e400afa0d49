using FluentAssertions;
using RcML.Committor;
using RcML.Export;
using RcML.Onnx;
using RcML.Tests.Export;
using RcML.Tests.Onnx;
using Xunit;
using static TorchSharp.torch;

namespace RcML.Tests.Committor;

/// <summary>Every activation, in every form: torch op, fused kernel, C# value and derivative, ONNX, Lepton; trained and exported.</summary>
public class ActivationTests
{
    public static TheoryData<string> Names() => new(Activation.Names);

    private static readonly double[] Points =
        [-30, -6, -3.1, -1.7, -1, -0.6, -0.2, -0.01, 0.01, 0.3, 0.7, 1.2, 2.5, 4, 7, 30];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_form_computes_the_same_function(string name)
    {
        var activation = Activation.FromName(name);
        activation.Name.Should().Be(name);
        Activation.FromName($" {name.ToUpperInvariant()} ").Should().BeSameAs(activation);
        Activation.OfLayer(name).Should().BeSameAs(activation);

        // The torch op (what autograd trains) and its autograd derivative, in double precision.
        using var scope = NewDisposeScope();
        var x = tensor(Points, dtype: ScalarType.Float64).requires_grad_();
        var y = activation.Torch(x);
        y.sum().backward();
        var torchValue = y.detach().data<double>().ToArray();
        var torchGrad = x.grad!.data<double>().ToArray();

        for (int i = 0; i < Points.Length; i++)
        {
            double a = Points[i], value = activation.Value(a), derivative = activation.Derivative(a);
            torchValue[i].Should().BeApproximately(value, 1e-12 * Math.Max(1, Math.Abs(value)), $"torch {name}({a})");
            torchGrad[i].Should().BeApproximately(derivative, 1e-12, $"autograd {name}'({a})");
            double h = 1e-6, difference = (activation.Value(a + h) - activation.Value(a - h)) / (2 * h);
            derivative.Should().BeApproximately(difference, 1e-6, $"{name}'({a}) against a central difference");
            LeptonExpression.Evaluate(activation.Lepton("x0"), new Dictionary<string, double> { ["x0"] = a })
                .Should().BeApproximately(value, 1e-12 * Math.Max(1, Math.Abs(value)), $"Lepton {name}({a})");
        }

        // The fused engine's kernel: f from PreScale * z in place, f' from f's output.
        if (activation.Fused is { } kernel)
        {
            var z = tensor(Points.Select(p => (float)(p * kernel.PreScale)).ToArray());
            kernel.ActivateScaledInPlace(z);
            var fused = z.data<float>().ToArray();
            var grad = ones(Points.Length);
            kernel.DerivativeInPlace(grad, z);
            var fusedDerivative = grad.data<float>().ToArray();
            for (int i = 0; i < Points.Length; i++)
            {
                double value = activation.Value(Points[i]);
                ((double)fused[i]).Should().BeApproximately(value, 1e-6 * Math.Max(1, Math.Abs(value)), $"fused {name}({Points[i]})");
                ((double)fusedDerivative[i]).Should().BeApproximately(activation.Derivative(Points[i]), 2e-6, $"fused {name}'({Points[i]})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_activation_trains_and_exports_to_ONNX_PLUMED_and_the_evaluator_alike(string name)
    {
        var (data, _) = SyntheticCommittor.Sample(200, 5, seed: 3);
        var inputs = SyntheticCommittor.Inputs.Take(3).ToArray();
        var narrow = new ShootingMatrix(Enumerable.Range(0, data.Rows).SelectMany(r => data.Row(r)[..3].ToArray()).ToArray(),
            data.Rows, 3, data.CountA.ToArray(), data.CountB.ToArray());
        var trained = CommittorTraining.Train(narrow, null, inputs, new CommittorTrainerOptions
        {
            Activation = name, HiddenLayers = 2, Nodes = 5, MaxEpochs = 5, Seed = 2, LearningRate = 1e-2,
        });
        var spec = trained.Network;
        spec.Layers.Select(l => l.Activation).Should().Equal(name, name, Activation.Identity.Name);

        var evaluator = new CommittorNetworkEvaluator(spec);
        var rows = Enumerable.Range(0, 30).Select(r => narrow.Row(r).ToArray()).ToArray();
        var onnx = CommittorOnnxExporterTests.RunOnnx(CommittorOnnxExporter.Export(spec), rows);
        var plumed = PlumedExporter.Export(spec);
        for (int r = 0; r < rows.Length; r++)
        {
            double q = evaluator.ReactionCoordinate(TestNetworks.ToDouble(rows[r]));
            CommittorOnnxExporterTests.ShouldMatch(onnx[r].Q, q, $"ONNX {name}");
            var cvs = inputs.Select((input, i) => (input.Name, (double)rows[r][i])).ToDictionary(p => p.Item1, p => p.Item2);
            PlumedCustomInput.Run(plumed, cvs)["rc"].Should().BeApproximately(q, 1e-5 * Math.Max(1, Math.Abs(q)), $"PLUMED {name}");
        }
    }

    [Fact]
    public void Unknown_names_are_refused_with_the_choices()
    {
        var act = () => Activation.FromName("swish");
        act.Should().Throw<ArgumentException>().WithMessage("*'swish'*tanh, relu, elu, gelu, silu, sigmoid, softplus, leaky_relu*");
        ((Action)(() => Activation.FromName("identity"))).Should().Throw<ArgumentException>("identity is the output layer's, not a hidden choice");
        Activation.OfLayer("identity").Should().BeSameAs(Activation.Identity);
    }
}
