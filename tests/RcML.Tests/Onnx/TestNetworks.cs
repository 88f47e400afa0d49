using RcML.Committor;

namespace RcML.Tests.Onnx;

/// <summary>Random committor networks for the ONNX tests.</summary>
internal static class TestNetworks
{
    public static readonly string[] AllActivations = [Activation.Identity.Name, .. Activation.Names];

    /// <summary>Four raw inputs: linear, degrees, radians, linear.</summary>
    public static readonly NetworkInput[] MixedInputs =
    [
        new("d1", InputKind.Linear),
        new("phi", InputKind.PeriodicDegrees),
        new("psi", InputKind.PeriodicRadians),
        new("d2", InputKind.Linear),
    ];

    public static CommittorNetworkSpec Create(int seed, IReadOnlyList<NetworkInput> inputs, string[] activations, bool layerNorm,
        int hiddenWidth = 6)
    {
        var random = new Random(seed);
        float Normal(double sd) =>
            (float)(sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        int width = InputExpansion.ExpandedWidth(inputs);
        var mean = Enumerable.Range(0, width).Select(_ => Normal(0.5)).ToArray();
        var scale = Enumerable.Range(0, width).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        var layers = new List<DenseLayer>();
        int inWidth = width;
        for (int l = 0; l <= activations.Length; l++)
        {
            bool last = l == activations.Length;
            int outWidth = last ? 1 : hiddenWidth;
            layers.Add(new DenseLayer
            {
                In = inWidth,
                Out = outWidth,
                Weight = Enumerable.Range(0, inWidth * outWidth).Select(_ => Normal(1.2 / Math.Sqrt(inWidth))).ToArray(),
                Bias = Enumerable.Range(0, outWidth).Select(_ => Normal(0.3)).ToArray(),
                LayerNormScale = layerNorm && !last ? Enumerable.Range(0, outWidth).Select(_ => 1 + Normal(0.2)).ToArray() : null,
                LayerNormBias = layerNorm && !last ? Enumerable.Range(0, outWidth).Select(_ => Normal(0.2)).ToArray() : null,
                Activation = last ? "identity" : activations[l],
            });
            inWidth = outWidth;
        }
        return new CommittorNetworkSpec { Inputs = inputs.ToArray(), Mean = mean, Scale = scale, Layers = layers };
    }

    /// <summary>Raw CV rows: distances around 1, angles over the whole circle (degrees and radians).</summary>
    public static float[][] Rows(IReadOnlyList<NetworkInput> inputs, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => inputs.Select(i => i.Kind switch
        {
            InputKind.PeriodicDegrees => (float)(random.NextDouble() * 360 - 180),
            InputKind.PeriodicRadians => (float)(random.NextDouble() * 2 * Math.PI - Math.PI),
            _ => (float)(random.NextDouble() * 2),
        }).ToArray()).ToArray();
    }

    public static double[] ToDouble(float[] row) => row.Select(v => (double)v).ToArray();
}
