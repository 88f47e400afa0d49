namespace RcML.Bench;

/// <summary>One training of a committor configuration: its validation loss (the objective) and its excess test cross-entropy.</summary>
public readonly record struct Retrained(double ValidationLoss, double TestExcessCrossEntropy);
