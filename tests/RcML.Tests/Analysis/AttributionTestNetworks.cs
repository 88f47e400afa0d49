using RcML.Committor;

namespace RcML.Tests.Analysis;

/// <summary>Hand-built networks whose dependence on each CV is known.</summary>
internal static class AttributionTestNetworks
{
    /// <summary>
    /// Inputs phi (degrees), x, noise as in <see cref="SyntheticCsv"/>; expanded [sin phi, cos phi, x, noise], no standardization,
    /// one tanh hidden layer then a linear output: q = sum_o v_o tanh(w_o . (sin phi, cos phi, x, noise)).
    /// The noise column's weights are zero, so q ignores it exactly.
    /// </summary>
    public static CommittorNetworkSpec IgnoresNoise(float phiWeight = 2.5f, float xWeight = 1.5f) => new()
    {
        Inputs = [new("phi", InputKind.PeriodicDegrees), new("x", InputKind.Linear), new("noise", InputKind.Linear)],
        Mean = [0, 0, 0.1f, 0.5f],
        Scale = [1, 1, 1.2f, 0.3f],
        Layers =
        [
            new DenseLayer { In = 4, Out = 2, Weight = [phiWeight / 2, 0.3f, xWeight / 2, 0, 0.2f * phiWeight, -0.1f, 0.4f * xWeight, 0], Bias = [0.1f, -0.2f], Activation = "tanh" },
            new DenseLayer { In = 2, Out = 1, Weight = [2f, 1.5f], Bias = [0.05f] },
        ],
    };

    /// <summary>A network on (x, noise) that reads only the CV at <paramref name="used"/>.</summary>
    public static CommittorNetworkSpec Linear(int used, int inputs = 2)
    {
        var weight = new float[inputs];
        weight[used] = 2;
        return new CommittorNetworkSpec
        {
            Inputs = Enumerable.Range(0, inputs).Select(i => new NetworkInput(i == 0 ? "x" : $"noise{i}", InputKind.Linear)).ToArray(),
            Mean = new float[inputs],
            Scale = Enumerable.Repeat(1f, inputs).ToArray(),
            Layers = [new DenseLayer { In = inputs, Out = 1, Weight = weight, Bias = [0] }],
        };
    }
}
