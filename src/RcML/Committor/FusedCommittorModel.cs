using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RcML.Committor;

/// <summary>
/// The fast engine for plain MLPs: all weights and biases live in one flat buffer (gradients and Adam moments too),
/// the backward pass is written out by hand into preallocated per-batch-size buffers (GEMMs with beta = 0, bias
/// gradients as GEMV with a ones vector, activation derivatives from the activation outputs), and Adam/AdamW updates
/// the flat buffer in a handful of calls. Same initialization, dropout generator and update rule as
/// <see cref="AutogradCommittorModel"/>, so both engines train the same network (tested against each other).
/// </summary>
internal sealed class FusedCommittorModel : CommittorModel
{
    /// <summary>Activations whose derivative follows from their output.</summary>
    public static IReadOnlyList<string> Activations { get; } =
        Activation.Hidden.Where(a => a.Fused is not null).Select(a => a.Name).ToArray();

    /// <summary>Whether this engine can train the network <paramref name="options"/> describe (on the CPU: its dropout
    /// masks come from a CPU generator, and the thread plan is about CPU cores).</summary>
    public static bool Supports(CommittorTrainerOptions options) =>
        options.Device.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase) &&
        options.Normalization == LayerNormalization.None &&
        Activation.FromName(options.Activation).Fused is not null;

    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    private readonly int[] _in, _out;
    private readonly Activation _activation;
    private readonly FusedActivation _kernel;
    private readonly double _dropout;
    private readonly CommittorOptimizer _optimizer;
    private readonly double _learningRate, _weightDecay;
    private readonly Generator _dropoutGenerator;
    private readonly Device _device;
    private readonly Tensor _parameters, _gradient, _firstMoment, _secondMoment, _denominator;
    private readonly Tensor[] _weight, _weightT, _bias;
    // One gradient buffer per thread that shares a batch; shard 0's is the one Adam reads.
    private readonly List<GradientBuffer> _shards = new();
    private readonly BatchWorkers? _workers;
    private readonly Dictionary<(long Rows, int Shard), Workspace> _workspaces = new();
    private readonly Dictionary<long, Tensor[]> _masks = new();
    // Constants of every step, converted to Scalar once (each implicit conversion allocates a native Scalar).
    private readonly Scalar _oneMinusBeta1, _beta1, _beta2, _oneMinusBeta2, _epsilon, _minusOne, _keepScale, _dropoutScalar,
        _weightDecayScalar, _decoupledDecay;
    private readonly InputGroupLasso? _lasso;
    private readonly Tensor _firstGradient;
    private Tensor? _best;
    private int _step;

    /// <summary>Smallest slice of a batch worth a thread of its own.</summary>
    internal const int MinShardRows = 32;

    /// <param name="inputs">Input width (expanded, standardized).</param>
    /// <param name="options">Architecture, optimizer, dropout and seed.</param>
    /// <param name="device">Torch device.</param>
    /// <param name="threads">Threads that split each batch between them (data-parallel, each single-threaded in torch).</param>
    /// <param name="lasso">The input group lasso's proximal step after every update, or null; the model owns it.</param>
    public FusedCommittorModel(int inputs, CommittorTrainerOptions options, Device device, int threads = 1, InputGroupLasso? lasso = null)
    {
        _lasso = lasso;
        var widths = options.EffectiveWidths();
        _in = [inputs, .. widths];
        _out = [.. widths, 1];
        _activation = Activation.FromName(options.Activation);
        _kernel = _activation.Fused ?? throw new ArgumentException($"The fused engine cannot train activation '{_activation}'.");
        _dropout = options.Dropout;
        _optimizer = options.Optimizer;
        _learningRate = options.LearningRate;
        _weightDecay = options.WeightDecay;
        _device = device;
        _dropoutGenerator = new Generator((ulong)options.Seed, CPU);

        var initial = CommittorNetwork.InitialParameters(options.Seed, _in.Zip(_out).ToList());
        _parameters = Keep(tensor(initial, device: device));
        _firstMoment = Keep(zeros_like(_parameters));
        _secondMoment = Keep(zeros_like(_parameters));
        _denominator = Keep(zeros_like(_parameters));
        (_weight, _bias) = LayerViews(_parameters);
        _weightT = _weight.Select(w => Keep(w.t())).ToArray();
        for (int k = 0; k < Math.Max(1, threads); k++) _shards.Add(new GradientBuffer(this));
        _gradient = _shards[0].Gradient;
        _firstGradient = _shards[0].Weight[0];
        if (_shards.Count > 1) _workers = new BatchWorkers(_shards.Count - 1);
        _oneMinusBeta1 = 1 - Beta1; _beta1 = Beta1; _beta2 = Beta2; _oneMinusBeta2 = 1 - Beta2; _epsilon = Epsilon;
        _minusOne = -1.0; _keepScale = 1 / (1 - _dropout); _dropoutScalar = _dropout;
        _weightDecayScalar = _weightDecay; _decoupledDecay = 1 - _learningRate * _weightDecay;
    }

    public override TrainingEngine Engine => TrainingEngine.Fused;

    public override Tensor TrainStep(in TrainingBatch batch)
    {
        // No autograd here: no_grad skips the autograd dispatch of every call (about a quarter of a small call's cost).
        using var noGrad = no_grad();
        long rows = batch.X.shape[0];
        _step++;
        // Masks for the whole batch, layer by layer, before any split: the generator's stream (and so the result)
        // does not depend on how many threads share the batch.
        var masks = _dropout > 0 ? MasksFor(rows) : null;
        if (masks is not null)
            foreach (var mask in masks) mask.uniform_(0, 1, _dropoutGenerator).ge_(_dropoutScalar).mul_(_keepScale);
        using var perShot = (Scalar)(1.0 / batch.TotalShots);

        int shards = (int)Math.Clamp(rows / MinShardRows, 1, _shards.Count);
        Tensor loss;
        if (shards == 1) loss = Pass(0, batch.X, batch.Shots, batch.CountB, masks, perShot);
        else
        {
            // Data-parallel: each thread runs forward and backward on its slice into its own gradient buffer (the
            // per-shot scale uses the whole batch's shots), then the buffers are summed in a fixed order.
            var slices = new (Tensor X, Tensor Shots, Tensor CountB, Tensor[]? Masks)[shards];
            for (int k = 0; k < shards; k++)
            {
                long start = rows * k / shards, length = rows * (k + 1) / shards - start;
                slices[k] = (batch.X.narrow(0, start, length), batch.Shots.narrow(0, start, length), batch.CountB.narrow(0, start, length),
                    masks?.Select(m => m.narrow(0, start, length)).ToArray());
            }
            var losses = new Tensor[shards];
            _workers!.Run(shards, k => losses[k] = Pass(k, slices[k].X, slices[k].Shots, slices[k].CountB, slices[k].Masks, perShot));
            loss = losses[0];
            for (int k = 1; k < shards; k++)
            {
                _gradient.add_(_shards[k].Gradient);
                loss.add_(losses[k]);
                losses[k].Dispose();
            }
        }
        _lasso?.Observe(_firstGradient);
        AdamStep();
        return loss;
    }

    /// <summary>Forward and backward of one slice into shard <paramref name="shard"/>'s gradient; returns its loss sum (owned by the caller).</summary>
    private Tensor Pass(int shard, Tensor x, Tensor shots, Tensor countB, Tensor[]? masks, Scalar perShot)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad(); // grad mode is per thread
        int layers = _out.Length;
        var ws = WorkspaceFor(x.shape[0], shard);
        var gradient = _shards[shard];

        // Forward: Z = bias + input W^T into preallocated buffers, activation in place, dropout by a scaled mask.
        var input = x;
        for (int l = 0; l < layers; l++)
        {
            if (l == layers - 1) { ws.Output[l].copy_(ws.BiasRows[l]).addmm_(input, _weightT[l], 1, 1); break; }
            var z = ws.Output[l].copy_(ws.BiasRows[l]).addmm_(input, _weightT[l], _kernel.PreScale, _kernel.PreScale);
            _kernel.ActivateScaledInPlace(z);
            input = masks is null ? z : ws.Dropped[l].copy_(z).mul_(masks[l]);
        }

        // Loss sum = sum(n softplus(q) - n_B q), i.e. -sum[n_B log p + n_A log(1 - p)].
        var q = ws.Output[layers - 1];
        var loss = F.softplus(q);
        loss.mul_(shots).addcmul_(countB, q, _minusOne);
        var lossSum = loss.sum();

        // dLoss/dq per shot = (n sigmoid(q) - n_B) / shots, written over q (not needed any more).
        var delta = q.sigmoid_().mul_(shots).sub_(countB).mul_(perShot);
        for (int l = layers - 1; l >= 0; l--)
        {
            var layerInput = l == 0 ? x : masks is not null ? ws.Dropped[l - 1] : ws.Output[l - 1];
            gradient.Weight[l].addmm_(delta.t(), layerInput, 0, 1);
            gradient.Bias[l].addmv_(delta.t(), ws.Ones, 0, 1);
            if (l == 0) break;
            var previous = ws.Delta[l - 1].addmm_(delta, _weight[l], 0, 1);
            if (masks is not null) previous.mul_(masks[l - 1]);
            _kernel.DerivativeInPlace(previous, ws.Output[l - 1]);
            delta = previous;
        }
        return lossSum.DetachFromDisposeScope();
    }

    /// <summary>torch.optim's Adam (L2 weight decay) or AdamW (decoupled) on the flat buffer.</summary>
    private void AdamStep()
    {
        if (_weightDecay > 0)
        {
            if (_optimizer == CommittorOptimizer.AdamW) _parameters.mul_(_decoupledDecay);
            else _gradient.add_(_parameters, _weightDecayScalar);
        }
        _firstMoment.mul_(_beta1).add_(_gradient, _oneMinusBeta1);
        _secondMoment.mul_(_beta2).addcmul_(_gradient, _gradient, _oneMinusBeta2);
        double correction1 = 1 - Math.Pow(Beta1, _step), correction2 = 1 - Math.Pow(Beta2, _step);
        using var root = (Scalar)Math.Sqrt(correction2);
        using var stepSize = (Scalar)(-_learningRate / correction1);
        _denominator.copy_(_secondMoment).sqrt_().div_(root).add_(_epsilon);
        _parameters.addcdiv_(_firstMoment, _denominator, stepSize);
        _lasso?.Shrink(_weight[0]);
    }

    public override Tensor Logits(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = x;
        for (int l = 0; l < _out.Length; l++)
        {
            bool hidden = l < _out.Length - 1;
            float scale = hidden ? _kernel.PreScale : 1f;
            a = addmm(_bias[l], a, _weightT[l], scale, scale);
            if (hidden) _kernel.ActivateScaledInPlace(a);
        }
        return a.squeeze(-1).MoveToOuterDisposeScope();
    }

    public override void RememberBest()
    {
        if (_best is null) _best = Keep(_parameters.clone());
        else _best.copy_(_parameters);
    }

    public override void RestoreBest()
    {
        if (_best is not null) _parameters.copy_(_best);
    }

    public override List<DenseLayer> ToDenseLayers()
    {
        using var scope = NewDisposeScope();
        return Enumerable.Range(0, _out.Length).Select(l => new DenseLayer
        {
            In = _in[l], Out = _out[l],
            Weight = _weight[l].cpu().data<float>().ToArray(), Bias = _bias[l].cpu().data<float>().ToArray(),
            Activation = (l < _out.Length - 1 ? _activation : Activation.Identity).Name,
        }).ToList();
    }

    private Workspace WorkspaceFor(long rows, int shard)
    {
        // Called from the shard's own thread; each thread creates only its own entries, under the lock.
        lock (_workspaces)
        {
            if (!_workspaces.TryGetValue((rows, shard), out var ws)) _workspaces[(rows, shard)] = ws = new Workspace(rows, this);
            return ws;
        }
    }

    private Tensor[] MasksFor(long rows)
    {
        if (!_masks.TryGetValue(rows, out var masks))
            _masks[rows] = masks = Enumerable.Range(0, _out.Length - 1).Select(l => Keep(empty(rows, _out[l], device: _device))).ToArray();
        return masks;
    }

    /// <summary>Per-layer weight [out, in] and bias [out] views of a flat buffer in the parameters' layout.</summary>
    private (Tensor[] Weight, Tensor[] Bias) LayerViews(Tensor flat)
    {
        int layers = _out.Length;
        var weight = new Tensor[layers];
        var bias = new Tensor[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++)
        {
            long w = (long)_out[l] * _in[l];
            weight[l] = Keep(flat.narrow(0, offset, w).view(_out[l], _in[l]));
            offset += w;
            bias[l] = Keep(flat.narrow(0, offset, _out[l]));
            offset += _out[l];
        }
        return (weight, bias);
    }

    /// <summary>A flat gradient buffer with per-layer views in the parameters' layout.</summary>
    private sealed class GradientBuffer
    {
        public readonly Tensor Gradient;
        public readonly Tensor[] Weight, Bias;

        public GradientBuffer(FusedCommittorModel model)
        {
            Gradient = model.Keep(zeros_like(model._parameters));
            (Weight, Bias) = model.LayerViews(Gradient);
        }
    }

    /// <summary>
    /// Buffers for one slice size on one thread (a run has a few: the batch's slices and the last, shorter batch's);
    /// owned, like every buffer, by the model.
    /// </summary>
    private sealed class Workspace
    {
        public readonly Tensor[] Output, Delta, Dropped, BiasRows;
        public readonly Tensor Ones;

        public Workspace(long rows, FusedCommittorModel model)
        {
            int layers = model._out.Length;
            Tensor Buffer(int l) => model.Keep(empty(rows, model._out[l], device: model._device));
            Output = Enumerable.Range(0, layers).Select(Buffer).ToArray();
            Delta = Enumerable.Range(0, layers).Select(Buffer).ToArray();
            Dropped = Enumerable.Range(0, layers - 1).Select(l => model._dropout > 0 ? Buffer(l) : null!).ToArray();
            BiasRows = Enumerable.Range(0, layers).Select(l => model.Keep(model._bias[l].expand(rows, model._out[l]))).ToArray();
            Ones = model.Keep(ones(rows, device: model._device));
        }
    }

    private readonly List<Tensor> _owned = new();

    /// <summary>Keeps a tensor alive beyond any dispose scope; disposed with the model.</summary>
    private Tensor Keep(Tensor t)
    {
        lock (_owned) _owned.Add(t.DetachFromDisposeScope());
        return t;
    }

    public override void Dispose()
    {
        _workers?.Dispose();
        _lasso?.Dispose();
        foreach (var t in _owned) t.Dispose();
        foreach (var s in new[] { _oneMinusBeta1, _beta1, _beta2, _oneMinusBeta2, _epsilon, _minusOne, _keepScale, _dropoutScalar, _weightDecayScalar, _decoupledDecay })
            s.Dispose();
        _dropoutGenerator.Dispose();
    }
}
