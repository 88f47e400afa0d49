using RcML.Committor;
using RcML.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RcML.Analysis;

/// <summary>
/// A <see cref="CommittorNetworkSpec"/> evaluated on many rows at once with libtorch's matrix products (float32),
/// with input gradients by autograd. Attribution evaluates a network on hundreds of thousands of rows (every CV
/// shuffled, every integration step); row by row that took minutes for a wide network, as matrix products seconds.
/// </summary>
/// <remarks>
/// Rows are raw CV columns; <see cref="Standardize"/> expands angles to sin/cos and standardizes as the saved model
/// does. Shuffling one CV changes only its columns of the first layer's input, so permuted rows are evaluated as the
/// unshuffled first-layer pre-activations plus a low-rank correction (<see cref="ReplaceColumns"/>).
/// Not thread-safe.
/// </remarks>
internal sealed class BatchCommittorEvaluator : IDisposable
{
    private readonly CommittorNetworkSpec _spec;
    private readonly Tensor[] _weights, _biases;
    private readonly Tensor?[] _normScales, _normBiases;

    /// <summary>First expanded column of each raw input (two columns for an angle: sin, cos).</summary>
    public int[] ExpandedOffset { get; }

    public BatchCommittorEvaluator(CommittorNetworkSpec spec)
    {
        RcML.Onnx.CommittorNetworkLayout.Validate(spec);
        TorchRuntime.EnsureLoaded();
        _spec = spec;
        _weights = spec.Layers.Select(l => tensor(l.Weight, [l.Out, l.In])).ToArray();
        _biases = spec.Layers.Select(l => tensor(l.Bias)).ToArray();
        _normScales = spec.Layers.Select(l => l.LayerNormScale is { } s ? tensor(s) : null).ToArray();
        _normBiases = spec.Layers.Select(l => l.LayerNormBias is { } b ? tensor(b) : null).ToArray();
        ExpandedOffset = new int[spec.Inputs.Count];
        for (int i = 0, k = 0; i < spec.Inputs.Count; k += InputExpansion.Columns(spec.Inputs[i]), i++) ExpandedOffset[i] = k;
    }

    public CommittorNetworkSpec Spec => _spec;

    public int Width => _spec.ExpandedDimension;

    /// <summary>Expanded, standardized input [rows, Width] (row-major) of the given rows of raw CV columns.</summary>
    public float[] Standardize(IReadOnlyList<float[]> columns, int rows)
    {
        var x = new float[rows * Width];
        for (int i = 0; i < columns.Count; i++)
            for (int r = 0; r < rows; r++) Write(x, r, i, columns[i][r]);
        return x;
    }

    /// <summary>Writes raw value <paramref name="value"/> of input <paramref name="input"/> into row <paramref name="row"/> of a standardized matrix.</summary>
    public void Write(float[] x, int row, int input, double value)
    {
        var kind = _spec.Inputs[input].Kind;
        int k = ExpandedOffset[input], at = row * Width + k;
        if (kind == InputKind.Linear) { x[at] = (float)((value - _spec.Mean[k]) / _spec.Scale[k]); return; }
        double angle = value * InputExpansion.ToRadians(kind);
        x[at] = (float)((Math.Sin(angle) - _spec.Mean[k]) / _spec.Scale[k]);
        x[at + 1] = (float)((Math.Cos(angle) - _spec.Mean[k + 1]) / _spec.Scale[k + 1]);
    }

    /// <summary>W1 x + b1 of the first layer for a standardized matrix; dispose the result.</summary>
    public Tensor FirstPreactivation(float[] x, int rows)
    {
        using var input = tensor(x, [rows, Width]);
        return F.linear(input, _weights[0], _biases[0]);
    }

    /// <summary>
    /// The first-layer pre-activations after replacing the expanded columns <paramref name="columns"/> by new values:
    /// <paramref name="z"/> + (new - old) W1[:, columns]ᵀ, with the difference given row-major [rows, columns.Length].
    /// </summary>
    public Tensor ReplaceColumns(Tensor z, long[] columns, float[] difference)
    {
        using var index = tensor(columns);
        using var w = _weights[0].index_select(1, index);
        using var d = tensor(difference, [z.shape[0], columns.Length]);
        using var update = d.matmul(w.t());
        return z + update;
    }

    /// <summary>q from first-layer pre-activations.</summary>
    public float[] FromFirstPreactivation(Tensor z)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return Rest(z).data<float>().ToArray();
    }

    /// <summary>q for a standardized matrix.</summary>
    public float[] ReactionCoordinates(float[] x, int rows)
    {
        using var _ = no_grad();
        using var z = FirstPreactivation(x, rows);
        return FromFirstPreactivation(z);
    }

    /// <summary>q and dq/d(standardized input), row-major [rows, Width], for a standardized matrix.</summary>
    public (float[] Q, float[] Gradient) WithGradient(float[] x, int rows)
    {
        using var scope = NewDisposeScope();
        using var enabled = enable_grad();
        var input = tensor(x, [rows, Width]).requires_grad_(true);
        var q = Rest(F.linear(input, _weights[0], _biases[0]));
        q.sum().backward();
        return (q.detach().data<float>().ToArray(), input.grad!.data<float>().ToArray());
    }

    /// <summary>dq/d(raw input) of one row from the gradient in standardized, expanded space (chain rule through sin/cos).</summary>
    public double RawGradient(ReadOnlySpan<float> expandedGradient, int input, double rawValue)
    {
        var kind = _spec.Inputs[input].Kind;
        int k = ExpandedOffset[input];
        if (kind == InputKind.Linear) return expandedGradient[k] / _spec.Scale[k];
        double toRadians = InputExpansion.ToRadians(kind), angle = rawValue * toRadians;
        double dSin = expandedGradient[k] / _spec.Scale[k], dCos = expandedGradient[k + 1] / _spec.Scale[k + 1];
        return (dSin * Math.Cos(angle) - dCos * Math.Sin(angle)) * toRadians;
    }

    // From the first layer's pre-activation on: norm, activation, the remaining layers; q as [rows].
    private Tensor Rest(Tensor z)
    {
        var x = z;
        for (int l = 0; l < _spec.Layers.Count; l++)
        {
            var layer = _spec.Layers[l];
            if (l > 0) x = F.linear(x, _weights[l], _biases[l]);
            if (_normScales[l] is not null || _normBiases[l] is not null)
                x = F.layer_norm(x, [layer.Out], _normScales[l], _normBiases[l], layer.LayerNormEpsilon);
            if (layer.Activation != Activation.Identity.Name) x = Activation.OfLayer(layer.Activation).Torch(x);
        }
        return x.squeeze(-1);
    }

    public void Dispose()
    {
        foreach (var t in _weights.Concat(_biases).Concat(_normScales).Concat(_normBiases)) t?.Dispose();
    }
}
