using System.Globalization;
using MathNet.Numerics;
using RcML.Onnx;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RcML.Committor;

/// <summary>
/// An activation function of a committor network in every form RcML writes or runs: the torch op that training
/// differentiates, the fused engine's in-place kernel and its derivative, the C# value and derivative (evaluator),
/// the ONNX nodes, the PLUMED Lepton expression and the TorchScript expression. Adding an activation is one more
/// instance here; names are what options, the search space, the CLI and saved networks use.
/// </summary>
public sealed class Activation
{
    /// <summary>Slope of leaky_relu for negative inputs (PyTorch's default).</summary>
    public const double LeakyReluSlope = 0.01;

    private Activation() { }

    /// <summary>The name ("tanh", "relu", ...), as in options and saved networks.</summary>
    public required string Name { get; init; }

    /// <summary>f(a) in double precision.</summary>
    public required Func<double, double> Value { get; init; }

    /// <summary>f'(a) in double precision.</summary>
    public required Func<double, double> Derivative { get; init; }

    /// <summary>f applied by torch ops that autograd differentiates.</summary>
    internal Func<Tensor, Tensor> Torch { get; init; } = null!;

    /// <summary>The fused engine's kernel, or null when f' cannot be had from f's output (the autograd engine trains it).</summary>
    internal FusedActivation? Fused { get; init; }

    /// <summary>Adds the ONNX nodes computing f(x) to a graph; returns the result's value name (<c>output</c> when given).</summary>
    internal Func<OnnxGraphBuilder, string, string?, string> Onnx { get; init; } = null!;

    /// <summary>A Lepton (PLUMED CUSTOM) expression of f(a) for an expression a, written so no term overflows.</summary>
    public required Func<string, string> Lepton { get; init; }

    /// <summary>A TorchScript expression of f(x) for a Tensor expression x (ops present in libtorch 1.13 and later).</summary>
    public required Func<string, string> TorchScript { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>f(a) = a: the output layer's activation (q is the logit of the committor).</summary>
    public static Activation Identity { get; } = new()
    {
        Name = "identity",
        Value = a => a, Derivative = _ => 1,
        Torch = x => x,
        Onnx = (g, x, output) => output is null ? x : g.Node("Identity", [x], output),
        Lepton = a => a,
        TorchScript = x => x,
    };

    /// <summary>tanh. The fused engine computes it as 2 sigmoid(2a) - 1 (libtorch's CPU sigmoid_ is about four times
    /// faster than its tanh_; the 2 comes free with the GEMM's alpha and beta; absolute error about 1e-7).</summary>
    public static Activation Tanh { get; } = new()
    {
        Name = "tanh",
        Value = Math.Tanh, Derivative = a => 1 - Math.Tanh(a) * Math.Tanh(a),
        Torch = x => x.tanh(),
        Fused = new(2f, z => z.sigmoid_().mul_(FusedActivation.Two).sub_(FusedActivation.One),
            (grad, a) => grad.addcmul_(grad, a.mul_(a), FusedActivation.MinusOne)),                // 1 - a^2
        Onnx = (g, x, output) => g.Node("Tanh", [x], output),
        Lepton = a => $"tanh({a})",
        TorchScript = x => $"torch.tanh({x})",
    };

    /// <summary>max(a, 0).</summary>
    public static Activation Relu { get; } = new()
    {
        Name = "relu",
        Value = a => Math.Max(a, 0), Derivative = a => a > 0 ? 1 : 0,
        Torch = x => x.relu(),
        Fused = new(1f, z => z.relu_(), (grad, a) => grad.mul_(a.sign_())),                       // a > 0
        Onnx = (g, x, output) => g.Node("Relu", [x], output),
        Lepton = a => $"step({a})*({a})",
        TorchScript = x => $"torch.relu({x})",
    };

    /// <summary>a for a &gt; 0, e^a - 1 otherwise (alpha 1).</summary>
    public static Activation Elu { get; } = new()
    {
        Name = "elu",
        Value = a => a > 0 ? a : Math.Exp(a) - 1, Derivative = a => a > 0 ? 1 : Math.Exp(a),
        Torch = x => F.elu(x, 1.0),
        // TorchSharp 0.107's elu_ returns a new tensor and leaves z as it was, so the kernel copies back.
        Fused = new(1f, z => { using var e = z.elu(1.0); z.copy_(e); },
            (grad, a) => grad.mul_(a.clamp_max_(0).add_(1))),                                     // a > 0 ? 1 : a + 1
        Onnx = (g, x, output) => g.Node("Elu", [x], output, new OnnxAttribute("alpha", Float: 1f)),
        Lepton = a => $"max({a},0)+exp(min({a},0))-1",
        TorchScript = x => $"torch.elu({x}, 1.)",
    };

    /// <summary>a Phi(a), the exact (erf) form.</summary>
    public static Activation Gelu { get; } = new()
    {
        Name = "gelu",
        Value = a => 0.5 * a * (1 + SpecialFunctions.Erf(a / Math.Sqrt(2))),
        Derivative = a => 0.5 * (1 + SpecialFunctions.Erf(a / Math.Sqrt(2))) + a * Math.Exp(-0.5 * a * a) / Math.Sqrt(2 * Math.PI),
        Torch = x => F.gelu(x),
        Onnx = (g, x, output) =>
        {
            // Opset 17 has no Gelu: 0.5 x (1 + erf(x / sqrt 2)).
            string erf = g.Node("Erf", [g.Node("Mul", [x, g.Constant("inv_sqrt2", [(float)(1 / Math.Sqrt(2))])])]);
            string onePlus = g.Node("Add", [erf, g.Constant("one", [1f])]);
            string half = g.Node("Mul", [x, g.Constant("half", [0.5f])]);
            return g.Node("Mul", [half, onePlus], output);
        },
        Lepton = a => $"0.5*({a})*(1+erf(({a})*{Number(1 / Math.Sqrt(2))}))",
        TorchScript = x => $"torch.gelu({x})",
    };

    /// <summary>a sigmoid(a).</summary>
    public static Activation Silu { get; } = new()
    {
        Name = "silu",
        Value = a => a * Logistic(a),
        Derivative = a => Logistic(a) * (1 + a * (1 - Logistic(a))),
        Torch = x => F.silu(x),
        Onnx = (g, x, output) => g.Node("Mul", [x, g.Node("Sigmoid", [x])], output),
        Lepton = a => $"({a})/(1+exp(-({a})))",
        TorchScript = x => $"torch.silu({x})",
    };

    /// <summary>1 / (1 + e^-a).</summary>
    public static Activation Sigmoid { get; } = new()
    {
        Name = "sigmoid",
        Value = Logistic, Derivative = a => Logistic(a) * (1 - Logistic(a)),
        Torch = x => x.sigmoid(),
        Fused = new(1f, z => z.sigmoid_(), (grad, a) => grad.mul_(a.addcmul_(a, a, FusedActivation.MinusOne))), // a - a^2
        Onnx = (g, x, output) => g.Node("Sigmoid", [x], output),
        Lepton = a => $"1/(1+exp(-({a})))",
        TorchScript = x => $"torch.sigmoid({x})",
    };

    /// <summary>log(1 + e^a).</summary>
    public static Activation Softplus { get; } = new()
    {
        Name = "softplus",
        Value = a => Math.Max(a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a))), Derivative = Logistic,
        Torch = x => F.softplus(x),
        Fused = new(1f, z => { using var s = F.softplus(z); z.copy_(s); },
            (grad, a) => grad.mul_(a.neg_().expm1_().neg_())),                                    // 1 - e^-a
        Onnx = (g, x, output) => g.Node("Softplus", [x], output),
        Lepton = a => $"max({a},0)+log(1+exp(-abs({a})))",
        TorchScript = x => $"torch.softplus({x})",
    };

    /// <summary>a for a &gt; 0, <see cref="LeakyReluSlope"/> a otherwise.</summary>
    public static Activation LeakyRelu { get; } = new()
    {
        Name = "leaky_relu",
        Value = a => a > 0 ? a : LeakyReluSlope * a, Derivative = a => a > 0 ? 1 : LeakyReluSlope,
        Torch = x => F.leaky_relu(x, LeakyReluSlope),
        Fused = new(1f, z => z.leaky_relu_(LeakyReluSlope),
            (grad, a) => grad.mul_(a.sign_().mul_((1 - LeakyReluSlope) / 2).add_((1 + LeakyReluSlope) / 2))),
        Onnx = (g, x, output) => g.Node("LeakyRelu", [x], output, new OnnxAttribute("alpha", Float: (float)LeakyReluSlope)),
        Lepton = a => $"(step({a})+{Number(LeakyReluSlope)}*(1-step({a})))*({a})",
        TorchScript = x => $"torch.leaky_relu({x}, {Number(LeakyReluSlope)})",
    };

    /// <summary>The activations a hidden layer can use, in the order options list them.</summary>
    public static IReadOnlyList<Activation> Hidden { get; } = [Tanh, Relu, Elu, Gelu, Silu, Sigmoid, Softplus, LeakyRelu];

    /// <summary>The names of <see cref="Hidden"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Hidden.Select(a => a.Name).ToArray();

    /// <summary>A hidden-layer activation by name (case and surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">No such activation; the message lists the names.</exception>
    public static Activation FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var canonical = name.Trim().ToLowerInvariant();
        return Hidden.FirstOrDefault(a => a.Name == canonical)
            ?? throw new ArgumentException($"Unknown activation '{name}'; choose one of: {string.Join(", ", Names)}.");
    }

    /// <summary>The activation of a layer of a saved network (<see cref="Identity"/> or one of <see cref="Hidden"/>), by its exact name.</summary>
    /// <exception cref="ArgumentException">No such activation.</exception>
    public static Activation OfLayer(string name) =>
        name == Identity.Name ? Identity
        : Hidden.FirstOrDefault(a => a.Name == name) ?? throw new ArgumentException($"Unknown activation '{name}'.");

    private static double Logistic(double a) => a >= 0 ? 1 / (1 + Math.Exp(-a)) : Math.Exp(a) / (1 + Math.Exp(a));

    // Shortest round-trip form; both Lepton and TorchScript read it.
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
