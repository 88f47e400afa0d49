namespace RcML.Analysis;

/// <summary>One point of a marginal effect curve.</summary>
/// <param name="Unit">The parameter's coordinate in the unit cube.</param>
/// <param name="Value">The parameter's value there.</param>
/// <param name="Predicted">The surrogate's predicted trial value, averaged over the observed trials with this parameter set to <paramref name="Value"/>.</param>
public sealed record MarginalEffectPoint(double Unit, object Value, double Predicted);
