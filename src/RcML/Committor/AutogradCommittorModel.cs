using TorchSharp;
using static TorchSharp.torch;

namespace RcML.Committor;

/// <summary>The general engine: <see cref="CommittorNetwork"/> modules, autograd, and torch.optim's Adam/AdamW.</summary>
internal sealed class AutogradCommittorModel : CommittorModel
{
    private readonly CommittorNetwork _network;
    private readonly optim.Optimizer _optimizer;
    private readonly InputGroupLasso? _lasso;
    private Dictionary<string, Tensor>? _best;

    /// <param name="inputs">Input width (expanded, standardized).</param>
    /// <param name="options">Architecture, optimizer, dropout and seed.</param>
    /// <param name="device">Torch device.</param>
    /// <param name="lasso">The input group lasso's proximal step after every update, or null; the model owns it.</param>
    public AutogradCommittorModel(int inputs, CommittorTrainerOptions options, Device device, InputGroupLasso? lasso = null)
    {
        _lasso = lasso;
        _network = new CommittorNetwork(inputs, options.EffectiveWidths(), options.Activation, options.Dropout,
            options.Normalization, options.Seed);
        _network.to(device);
        _optimizer = options.Optimizer == CommittorOptimizer.AdamW
            ? optim.AdamW(_network.parameters(), options.LearningRate, weight_decay: options.WeightDecay)
            : optim.Adam(_network.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
    }

    public override TrainingEngine Engine => TrainingEngine.Autograd;

    public override Tensor TrainStep(in TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        _network.train();
        _optimizer.zero_grad();
        var q = _network.forward(batch.X);
        var countB = batch.CountB.squeeze(-1);
        var loss = CommittorLoss.PerShot(q, batch.Shots.squeeze(-1) - countB, countB);
        loss.backward();
        _lasso?.Observe(_network.FirstWeight.grad!);
        _optimizer.step();
        _lasso?.Shrink(_network.FirstWeight);
        return loss.detach().mul_(batch.TotalShots).MoveToOuterDisposeScope();
    }

    public override Tensor Logits(Tensor x)
    {
        using var _ = no_grad();
        _network.eval();
        return _network.forward(x);
    }

    public override void RememberBest()
    {
        using var _ = no_grad();
        if (_best is not null) foreach (var t in _best.Values) t.Dispose();
        _best = _network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public override void RestoreBest()
    {
        if (_best is null) return;
        using var _ = no_grad();
        var current = _network.state_dict();
        foreach (var (name, value) in _best) current[name].copy_(value);
    }

    public override List<DenseLayer> ToDenseLayers()
    {
        _network.eval();
        return _network.ToDenseLayers();
    }

    public override void Dispose()
    {
        if (_best is not null) foreach (var t in _best.Values) t.Dispose();
        _lasso?.Dispose();
        _optimizer.Dispose();
        _network.Dispose();
    }
}
