namespace RcML.Analysis;

/// <summary>One model's attribution, labelled (e.g. "trial 12").</summary>
/// <param name="Label">Which model.</param>
/// <param name="Value">The model's loss in its study, when known.</param>
/// <param name="Attribution">Its attribution to raw CVs.</param>
public sealed record ModelAttribution(string Label, double? Value, FeatureAttributionResult Attribution);
