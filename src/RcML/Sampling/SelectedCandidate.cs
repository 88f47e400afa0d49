namespace RcML.Sampling;

/// <summary>A candidate picked by <see cref="ShootingPointSelector"/>, with the reasons.</summary>
/// <param name="Index">Row of the candidate in the pool, 0-based.</param>
/// <param name="ReactionCoordinate">The model's q there.</param>
/// <param name="Committor">The model's p_B there.</param>
/// <param name="CommittorStdDev">The ensemble's spread of p_B there; null for a single network.</param>
/// <param name="Weight">The selection weight (relative; the strategy's formula, before normalization).</param>
public sealed record SelectedCandidate(int Index, double ReactionCoordinate, double Committor, double? CommittorStdDev, double Weight);
