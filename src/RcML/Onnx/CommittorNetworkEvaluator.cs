using RcML.Committor;

namespace RcML.Onnx;

/// <summary>
/// Pure C# forward pass of a <see cref="CommittorNetworkSpec"/> in double precision on raw CV rows:
/// q, p_B = sigmoid(q), and the input gradient dq/dx_raw by backpropagation (through layer norm and the sin/cos expansion).
/// Not thread-safe: it reuses work buffers; create one per thread.
/// </summary>
public sealed class CommittorNetworkEvaluator
{
    private readonly CommittorNetworkSpec _spec;
    // Per layer: input x, pre-norm z = W x + b, normalized xhat (layer norm only), pre-activation a.
    private readonly double[][] _x, _z, _xhat, _a;
    private readonly double[] _invSigma;
    private readonly double[] _expanded;
    // Weights widened to double once, so the inner products run as vectorized dot products over spans.
    private readonly double[][] _weights;
    private readonly Activation[] _activations;

    /// <summary>Creates an evaluator for a network.</summary>
    public CommittorNetworkEvaluator(CommittorNetworkSpec spec)
    {
        CommittorNetworkLayout.Validate(spec);
        _spec = spec;
        int n = spec.Layers.Count;
        _x = spec.Layers.Select(l => new double[l.In]).ToArray();
        _z = spec.Layers.Select(l => new double[l.Out]).ToArray();
        _xhat = spec.Layers.Select(l => new double[l.Out]).ToArray();
        _a = spec.Layers.Select(l => new double[l.Out]).ToArray();
        _invSigma = new double[n];
        _expanded = new double[spec.ExpandedDimension];
        _weights = spec.Layers.Select(l => l.Weight.Select(w => (double)w).ToArray()).ToArray();
        _activations = spec.Layers.Select(l => Activation.OfLayer(l.Activation)).ToArray();
    }

    /// <summary>The network being evaluated.</summary>
    public CommittorNetworkSpec Spec => _spec;

    /// <summary>Number of raw inputs a row must have.</summary>
    public int InputCount => _spec.Inputs.Count;

    /// <summary>The reaction coordinate q(x) for one row of raw CVs.</summary>
    public double ReactionCoordinate(ReadOnlySpan<double> rawInputs) => Forward(rawInputs);

    /// <summary>The committor p_B(x) = sigmoid(q(x)) for one row of raw CVs.</summary>
    public double Committor(ReadOnlySpan<double> rawInputs) => Sigmoid(Forward(rawInputs));

    /// <summary>q(x) and its gradient with respect to the raw CVs, written into <paramref name="gradient"/>.</summary>
    public double ReactionCoordinate(ReadOnlySpan<double> rawInputs, Span<double> gradient)
    {
        if (gradient.Length != InputCount)
            throw new ArgumentException($"The gradient needs {InputCount} elements.", nameof(gradient));
        double q = Forward(rawInputs);
        Backward(rawInputs, gradient);
        return q;
    }

    /// <summary>The logistic function 1 / (1 + e^-q).</summary>
    public static double Sigmoid(double q) => q >= 0 ? 1 / (1 + Math.Exp(-q)) : Math.Exp(q) / (1 + Math.Exp(q));

    private double Forward(ReadOnlySpan<double> raw)
    {
        if (raw.Length != InputCount)
            throw new ArgumentException($"Expected {InputCount} raw inputs, got {raw.Length}.", nameof(raw));

        // Expansion (sin, cos for periodic inputs) then standardization.
        InputExpansion.Expand(_spec.Inputs, raw, _expanded);
        var x0 = _x[0];
        for (int j = 0; j < x0.Length; j++)
            x0[j] = (_expanded[j] - _spec.Mean[j]) / _spec.Scale[j];

        for (int l = 0; l < _spec.Layers.Count; l++)
        {
            var layer = _spec.Layers[l];
            double[] x = _x[l], z = _z[l], a = _a[l], w = _weights[l];
            var bias = layer.Bias;
            for (int o = 0; o < layer.Out; o++)
                z[o] = bias[o] + System.Numerics.Tensors.TensorPrimitives.Dot<double>(w.AsSpan(o * layer.In, layer.In), x);
            if (HasLayerNorm(layer))
            {
                double mean = z.Average();
                double variance = z.Sum(v => (v - mean) * (v - mean)) / z.Length;
                _invSigma[l] = 1 / Math.Sqrt(variance + layer.LayerNormEpsilon);
                for (int o = 0; o < z.Length; o++)
                {
                    _xhat[l][o] = (z[o] - mean) * _invSigma[l];
                    a[o] = _xhat[l][o] * (layer.LayerNormScale?[o] ?? 1f) + (layer.LayerNormBias?[o] ?? 0f);
                }
            }
            else
                z.CopyTo(a, 0);

            double[] next = l + 1 < _spec.Layers.Count ? _x[l + 1] : new double[1];
            var f = _activations[l].Value;
            for (int o = 0; o < a.Length; o++)
                next[o] = f(a[o]);
            if (l + 1 == _spec.Layers.Count)
                return next[0];
        }
        throw new InvalidOperationException("unreachable");
    }

    // Requires the caches of the Forward call on the same row.
    private void Backward(ReadOnlySpan<double> raw, Span<double> gradient)
    {
        double[] g = [1.0]; // dq / d(output of the current layer)
        for (int l = _spec.Layers.Count - 1; l >= 0; l--)
        {
            var layer = _spec.Layers[l];
            double[] a = _a[l];
            var gz = new double[layer.Out];
            var derivative = _activations[l].Derivative;
            for (int o = 0; o < layer.Out; o++)
                gz[o] = g[o] * derivative(a[o]);
            if (HasLayerNorm(layer))
            {
                // dq/dz = (1/sigma) (gx - mean(gx) - xhat mean(gx xhat)), with gx = dq/dxhat.
                var xhat = _xhat[l];
                for (int o = 0; o < gz.Length; o++)
                    gz[o] *= layer.LayerNormScale?[o] ?? 1f;
                double meanG = gz.Average();
                double meanGx = 0;
                for (int o = 0; o < gz.Length; o++)
                    meanGx += gz[o] * xhat[o];
                meanGx /= gz.Length;
                for (int o = 0; o < gz.Length; o++)
                    gz[o] = _invSigma[l] * (gz[o] - meanG - xhat[o] * meanGx);
            }
            var gx = new double[layer.In];
            var w = _weights[l];
            for (int o = 0; o < layer.Out; o++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<double>(w.AsSpan(o * layer.In, layer.In), gz[o], gx, gx);
            g = gx;
        }

        int k = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (_spec.Inputs[i].Kind == InputKind.Linear)
            {
                gradient[i] = g[k] / _spec.Scale[k];
                k++;
            }
            else
            {
                double toRadians = InputExpansion.ToRadians(_spec.Inputs[i].Kind), angle = raw[i] * toRadians;
                double dSin = g[k] / _spec.Scale[k], dCos = g[k + 1] / _spec.Scale[k + 1];
                gradient[i] = (dSin * Math.Cos(angle) - dCos * Math.Sin(angle)) * toRadians;
                k += 2;
            }
        }
    }

    private static bool HasLayerNorm(DenseLayer layer) => layer.LayerNormScale is not null || layer.LayerNormBias is not null;
}
