namespace RcML.Reporting;

/// <summary>
/// Feature attribution per CV for several models (e.g. mean |gradient| or permutation importance of q), and optionally
/// how well the models agree.
/// </summary>
/// <param name="Models">Row labels: the models (e.g. "trial 12").</param>
/// <param name="Cvs">Column labels: the CVs.</param>
/// <param name="Values">Attribution of CV c in model m at [m, c]; signed values get a diverging color scale.</param>
/// <param name="Method">How attribution was computed, shown as the caption.</param>
/// <param name="Agreement">A sentence on cross-model agreement (e.g. "mean Spearman rank correlation 0.91"), shown under the heatmap.</param>
/// <param name="Groups">Groups of CVs that move together, attributed jointly; null when not computed.</param>
public sealed record AttributionHeatmap(string[] Models, string[] Cvs, double[,] Values, string? Method = null, string? Agreement = null,
    AttributionGroups? Groups = null)
{
    /// <summary>Checks that <see cref="Values"/> is models × CVs.</summary>
    public void Validate()
    {
        if (Values.GetLength(0) != Models.Length || Values.GetLength(1) != Cvs.Length)
            throw new ArgumentException($"Attribution values are {Values.GetLength(0)}×{Values.GetLength(1)}, expected {Models.Length} models × {Cvs.Length} CVs.");
    }
}
