namespace RcML.Analysis;

/// <summary>One term of a <see cref="ClosedFormRc"/>: coefficient times basis function.</summary>
/// <param name="Term">The basis function.</param>
/// <param name="Coefficient">Its coefficient (for the raw CV values).</param>
public sealed record ClosedFormTerm(BasisTerm Term, double Coefficient);
