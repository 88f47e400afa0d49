namespace RcML.Analysis;

/// <summary>How the predicted trial value varies with one parameter (a partial dependence curve of the surrogate).</summary>
public sealed record MarginalEffect(string Parameter, IReadOnlyList<MarginalEffectPoint> Points);
