using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RcML.Committor;

/// <summary>
/// The fully connected network q(x): hidden blocks Linear -> [BatchNorm|LayerNorm] -> activation -> dropout,
/// then Linear -> 1. Its input is already expanded (sin/cos) and standardized.
/// </summary>
internal sealed class CommittorNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _linears = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _norms = new();
    private readonly Activation _activation;
    private readonly double _dropout;
    private readonly LayerNormalization _normalization;
    // Dropout masks come from the network's own generator, not torch's global one, so trials trained at the same
    // time in one process stay reproducible.
    private readonly Generator _dropoutGenerator;

    /// <summary>The first layer's weight [width, inputs] (the parameter itself).</summary>
    public Tensor FirstWeight => _linears[0].weight!;

    public CommittorNetwork(int inputs, IReadOnlyList<int> widths, string activation, double dropout,
        LayerNormalization normalization, int seed) : base(nameof(CommittorNetwork))
    {
        _activation = Activation.FromName(activation);
        _dropout = dropout;
        _normalization = normalization;
        _dropoutGenerator = new Generator((ulong)seed, CPU);
        int fanIn = inputs;
        foreach (var width in widths)
        {
            _linears.Add(nn.Linear(fanIn, width));
            if (normalization == LayerNormalization.Batch) _norms.Add(nn.BatchNorm1d(width));
            else if (normalization == LayerNormalization.Layer) _norms.Add(nn.LayerNorm(width));
            fanIn = width;
        }
        _linears.Add(nn.Linear(fanIn, 1));
        RegisterComponents();
        InitializeDeterministically(seed);
    }

    /// <summary>q(x) as a vector [N].</summary>
    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < _linears.Count - 1; i++)
        {
            x = _linears[i].forward(x);
            if (_normalization != LayerNormalization.None) x = _norms[i].forward(x);
            x = _activation.Torch(x);
            if (_dropout > 0 && training) x = Dropout(x);
        }
        return _linears[^1].forward(x).squeeze(-1);
    }

    private Tensor Dropout(Tensor x)
    {
        if (x.device_type != DeviceType.CPU) return F.dropout(x, _dropout, training);
        using var keep = rand(x.shape, dtype: x.dtype, generator: _dropoutGenerator).ge_(_dropout);
        return x * keep / (1 - _dropout);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _dropoutGenerator.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Copies <see cref="InitialParameters"/> into the Linear layers.</summary>
    private void InitializeDeterministically(int seed)
    {
        var values = InitialParameters(seed, _linears.Select(l => ((int)l.weight!.shape[1], (int)l.weight.shape[0])).ToList());
        using var _ = no_grad();
        int offset = 0;
        foreach (var linear in _linears)
            foreach (var parameter in new[] { linear.weight!, linear.bias! })
            {
                int count = (int)parameter.numel();
                using var source = tensor(values.AsSpan(offset, count).ToArray(), parameter.shape);
                parameter.copy_(source);
                offset += count;
            }
    }

    /// <summary>
    /// PyTorch's default Linear initialization, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, drawn from a
    /// private generator so a seed gives the same network whatever else uses torch's global generator. Returned flat,
    /// layer by layer (weight [out, in] row-major, then bias), the layout both training engines use.
    /// </summary>
    internal static float[] InitialParameters(int seed, IReadOnlyList<(int In, int Out)> layers)
    {
        var random = new Random(seed);
        var values = new float[layers.Sum(l => (l.In + 1) * l.Out)];
        int offset = 0;
        foreach (var (@in, @out) in layers)
        {
            double bound = 1.0 / Math.Sqrt(@in);
            for (int i = 0; i < (@in + 1) * @out; i++) values[offset++] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
        return values;
    }

    /// <summary>The trained weights as TorchSharp-free dense layers, batch norm folded in (inference mode).</summary>
    public List<DenseLayer> ToDenseLayers()
    {
        var layers = new List<DenseLayer>();
        for (int i = 0; i < _linears.Count; i++)
        {
            var linear = _linears[i];
            int @out = (int)linear.weight!.shape[0], @in = (int)linear.weight.shape[1];
            var w = linear.weight.detach().cpu().data<float>().ToArray();
            var b = linear.bias!.detach().cpu().data<float>().ToArray();
            bool hidden = i < _linears.Count - 1;
            float[]? lnScale = null, lnBias = null;
            float lnEps = 1e-5f;
            var norm = hidden && _normalization != LayerNormalization.None ? _norms[i] : null;
            if (norm is BatchNorm1d bn) FoldBatchNorm(bn, w, b, @in);
            if (norm is TorchSharp.Modules.LayerNorm ln)
            {
                lnScale = ln.weight!.detach().cpu().data<float>().ToArray();
                lnBias = ln.bias!.detach().cpu().data<float>().ToArray();
            }
            layers.Add(new DenseLayer
            {
                In = @in, Out = @out, Weight = w, Bias = b,
                LayerNormScale = lnScale, LayerNormBias = lnBias, LayerNormEpsilon = lnEps,
                Activation = (hidden ? _activation : Activation.Identity).Name,
            });
        }
        return layers;
    }

    /// <summary>y = gamma (Wx + b - mean) / sqrt(var + eps) + beta, rewritten as W'x + b'.</summary>
    private static void FoldBatchNorm(BatchNorm1d bn, float[] w, float[] b, int @in)
    {
        var mean = bn.running_mean!.cpu().data<float>().ToArray();
        var variance = bn.running_var!.cpu().data<float>().ToArray();
        var gamma = bn.weight!.detach().cpu().data<float>().ToArray();
        var beta = bn.bias!.detach().cpu().data<float>().ToArray();
        for (int o = 0; o < b.Length; o++)
        {
            double factor = gamma[o] / Math.Sqrt(variance[o] + 1e-5);
            for (int j = 0; j < @in; j++) w[o * @in + j] = (float)(w[o * @in + j] * factor);
            b[o] = (float)((b[o] - mean[o]) * factor + beta[o]);
        }
    }
}
