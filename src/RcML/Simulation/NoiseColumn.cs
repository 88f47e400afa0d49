namespace RcML.Simulation;

/// <summary>
/// An extra CV column: XWeight * x + YWeight * y + NoiseScale * N(0, 1).
/// Both weights are zero for a pure-noise column, so attribution should find it irrelevant.
/// </summary>
/// <param name="Name">Column name, noise_1 ... noise_k.</param>
/// <param name="XWeight">Weight of x.</param>
/// <param name="YWeight">Weight of y.</param>
/// <param name="NoiseScale">Standard deviation of the added Gaussian noise.</param>
public sealed record NoiseColumn(string Name, double XWeight, double YWeight, double NoiseScale)
{
    /// <summary>Whether the column carries information about the configuration.</summary>
    public bool IsRelevant => XWeight != 0 || YWeight != 0;
}
