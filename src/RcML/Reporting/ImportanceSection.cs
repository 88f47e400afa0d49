using RcML.AutoML;

namespace RcML.Reporting;

/// <summary>
/// Hyperparameter importance (e.g. fANOVA): the share of the value's variance each parameter explains, and how the
/// value varies along each parameter.
/// </summary>
/// <param name="Importances">Importance per parameter (any non-negative scale, e.g. fractions summing to 1); shown largest first.</param>
/// <param name="MarginalCurves">Marginal effect of single parameters; may be empty.</param>
/// <param name="Method">How the importances were computed, shown as the caption (e.g. "fANOVA, 64 trees").</param>
public sealed record ImportanceSection(
    IReadOnlyList<(string Parameter, double Importance)> Importances,
    IReadOnlyList<MarginalCurve> MarginalCurves,
    string? Method = null);
