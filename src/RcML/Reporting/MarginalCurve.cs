using RcML.AutoML;

namespace RcML.Reporting;

/// <summary>
/// The predicted value (loss) as a function of one parameter with the others marginalized out.
/// Numeric parameters: <paramref name="X"/> holds parameter values. Categorical ones: <paramref name="Categories"/>
/// names the choices and <paramref name="X"/> their indices 0, 1, ...
/// </summary>
/// <param name="Parameter">Parameter name.</param>
/// <param name="X">Parameter values (or choice indices), ascending.</param>
/// <param name="Mean">Mean predicted value at each x.</param>
/// <param name="StandardDeviation">Its spread at each x (drawn as a band or error bars); null for none.</param>
/// <param name="Categories">Choice labels of a categorical parameter; null for numeric ones.</param>
/// <param name="LogScale">Whether the parameter is searched on a log scale (the x axis then shows log10 of the value).</param>
public sealed record MarginalCurve(
    string Parameter,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double>? StandardDeviation = null,
    IReadOnlyList<string>? Categories = null,
    bool LogScale = false);
