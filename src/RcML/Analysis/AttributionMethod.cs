namespace RcML.Analysis;

/// <summary>The three ways <see cref="FeatureAttribution"/> attributes a committor model's output to its raw CVs.</summary>
public enum AttributionMethod
{
    /// <summary>Increase of the cross-entropy per shot when the CV's column is shuffled.</summary>
    Permutation,
    /// <summary>Mean |dq/dx_i (x_i - baseline_i)|.</summary>
    GradientTimesInput,
    /// <summary>Mean |integrated gradient of q from the baseline|.</summary>
    IntegratedGradients,
}
