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

/// <summary>Modes (clusters) of good trials: the distinct parameter regions where low losses were found.</summary>
/// <param name="Modes">The modes, best first.</param>
/// <param name="Description">How good trials and modes were chosen, shown as the caption (e.g. "top 20% of 120 trials, k-means in the unit cube").</param>
public sealed record ModeTable(IReadOnlyList<TrialMode> Modes, string? Description = null);

/// <summary>One mode of good trials.</summary>
/// <param name="Center">Representative parameters of the mode (e.g. its medoid trial's).</param>
/// <param name="TrialNumbers">Numbers of the trials in the mode.</param>
/// <param name="BestValue">Lowest value among them.</param>
/// <param name="MeanValue">Mean value among them.</param>
public sealed record TrialMode(Parameter Center, IReadOnlyList<int> TrialNumbers, double BestValue, double MeanValue);

/// <summary>
/// Feature attribution per CV for several models (e.g. mean |gradient| or permutation importance of q), and optionally
/// how well the models agree.
/// </summary>
/// <param name="Models">Row labels: the models (e.g. "trial 12").</param>
/// <param name="Cvs">Column labels: the CVs.</param>
/// <param name="Values">Attribution of CV c in model m at [m, c]; signed values get a diverging color scale.</param>
/// <param name="Method">How attribution was computed, shown as the caption.</param>
/// <param name="Agreement">A sentence on cross-model agreement (e.g. "mean Spearman rank correlation 0.91"), shown under the heatmap.</param>
public sealed record AttributionHeatmap(string[] Models, string[] Cvs, double[,] Values, string? Method = null, string? Agreement = null)
{
    /// <summary>Checks that <see cref="Values"/> is models × CVs.</summary>
    public void Validate()
    {
        if (Values.GetLength(0) != Models.Length || Values.GetLength(1) != Cvs.Length)
            throw new ArgumentException($"Attribution values are {Values.GetLength(0)}×{Values.GetLength(1)}, expected {Models.Length} models × {Cvs.Length} CVs.");
    }
}
