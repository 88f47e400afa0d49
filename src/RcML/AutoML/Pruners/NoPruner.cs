namespace RcML.AutoML;

/// <summary>Never prunes.</summary>
public sealed class NoPruner : IPruner
{
    /// <inheritdoc/>
    public bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others) => false;
}
