namespace RcML.Analysis;

/// <summary>Hyperparameter importances of a study.</summary>
/// <param name="Parameters">Every parameter of the search space, most important first.</param>
/// <param name="MarginalEffects">Curves for the most important parameters, in the same order.</param>
/// <param name="Trials">Complete trials the surrogate was fitted on.</param>
/// <param name="Trees">Trees of the surrogate that had any variance (the others carry no information).</param>
public sealed record HyperparameterImportanceResult(IReadOnlyList<ParameterImportance> Parameters, IReadOnlyList<MarginalEffect> MarginalEffects,
    int Trials, int Trees);
