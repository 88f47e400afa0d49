namespace RcML.Analysis;

/// <summary>Importance of one hyperparameter.</summary>
/// <param name="Name">The parameter.</param>
/// <param name="Importance">Share of the summed main-effect variances (all parameters sum to 1).</param>
/// <param name="VarianceFraction">
/// Fraction of the surrogate's variance its main effect explains, averaged over trees (before normalization); the sum over
/// parameters below 1 is what interactions explain.
/// </param>
public sealed record ParameterImportance(string Name, double Importance, double VarianceFraction);
