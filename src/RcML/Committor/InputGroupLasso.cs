using static TorchSharp.torch;

namespace RcML.Committor;

/// <summary>
/// CV selection inside training: after every optimizer step the first layer's weights from each CV (a group: one column,
/// or a periodic CV's sin and cos columns) shrink toward zero, and a group that gets small enough becomes exactly zero,
/// so that CV leaves the network. On shooting data with many irrelevant CVs the noise they feed the network, not its
/// capacity, dominates the test error (bench/NOTES.md: 3-4x on Muller-Brown with 6 noise CVs).
/// <para>
/// The step is the proximal step of a log penalty lambda * sum_g log ||W_g|| (a reweighted group lasso: its weight
/// 1/||W_g|| barely shrinks the large groups of the CVs the loss needs, so they are not biased toward zero) taken in
/// Adam's metric: the group's shrink is learning rate x lambda / (RMS of its Adam denominator x ||W_g||), i.e. its
/// weights are scaled by max(0, 1 - lr lambda / (d_g ||W_g||^2)). Adam gives a noise CV's weights steps as large as a
/// real CV's; in its metric lambda is in units of the loss gradient, and a CV whose gradient stays small is cut. The
/// denominator comes from this class's own running second moment of the raw loss gradient (Adam's beta2 and epsilon),
/// so both training engines shrink alike. Written by hand: torch.optim has no proximal steps.
/// </para>
/// </summary>
internal sealed class InputGroupLasso : IDisposable
{
    private const double Beta2 = 0.999, Epsilon = 1e-8;
    private readonly Tensor _columnsToGroups, _groupsToColumns, _groupElements, _secondMoment;
    private readonly double _threshold;
    private int _steps;

    /// <param name="inputs">The network's raw inputs, in the order of the expanded columns.</param>
    /// <param name="width">Units of the first hidden layer (rows of its weight).</param>
    /// <param name="strength">lambda.</param>
    /// <param name="learningRate">The optimizer's step size.</param>
    /// <param name="device">Where the weights live.</param>
    public InputGroupLasso(IReadOnlyList<NetworkInput> inputs, int width, double strength, double learningRate, Device device)
    {
        int columns = InputExpansion.ExpandedWidth(inputs);
        var membership = new float[columns * inputs.Count];
        int column = 0;
        for (int g = 0; g < inputs.Count; g++)
            for (int k = 0; k < InputExpansion.Columns(inputs[g]); k++)
                membership[column++ * inputs.Count + g] = 1;
        _columnsToGroups = tensor(membership, [columns, inputs.Count], device: device);
        _groupsToColumns = _columnsToGroups.t().contiguous();
        _groupElements = _columnsToGroups.sum(dim: 0).mul_(width);
        _secondMoment = zeros([width, columns], device: device);
        _threshold = strength * learningRate;
    }

    /// <summary>Takes the first layer's raw loss gradient of this step (before any weight decay is added).</summary>
    public void Observe(Tensor gradient)
    {
        using var noGrad = no_grad();
        _secondMoment.mul_(Beta2).addcmul_(gradient, gradient, 1 - Beta2);
        _steps++;
    }

    /// <summary>Shrinks the groups of <paramref name="weight"/> ([width, expanded inputs]) in place, after the optimizer's step.</summary>
    public void Shrink(Tensor weight)
    {
        if (_steps == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var denominator = _secondMoment.div(1 - Math.Pow(Beta2, _steps)).sqrt_().add_(Epsilon);
        var rms = denominator.square().sum(dim: 0).matmul(_columnsToGroups).div_(_groupElements).sqrt_();
        var squaredNorms = weight.square().sum(dim: 0).matmul(_columnsToGroups);
        var factors = squaredNorms.mul_(rms).clamp_min_(1e-30).reciprocal_().mul_(-_threshold).add_(1).clamp_min_(0);
        weight.mul_(factors.matmul(_groupsToColumns).unsqueeze(0));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _columnsToGroups.Dispose();
        _groupsToColumns.Dispose();
        _groupElements.Dispose();
        _secondMoment.Dispose();
    }
}
