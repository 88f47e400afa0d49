namespace RcML.Analysis;

/// <summary>The formula with the first <paramref name="Terms"/> terms of the greedy path, and its cross-validated cross-entropy.</summary>
/// <param name="Terms">Number of terms (besides the constant).</param>
/// <param name="Added">The term added at this step (null for the constant alone).</param>
/// <param name="HeldOutCrossEntropy">Cross-entropy per shot of the observed shots on held-out folds.</param>
/// <param name="StandardError">Standard error of its difference to the best step's.</param>
public sealed record ClosedFormPathStep(int Terms, string? Added, double HeldOutCrossEntropy, double StandardError);
