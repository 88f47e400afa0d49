namespace RcML.Committor;

/// <summary>Thrown when the loss becomes NaN or infinite; the learning rate is usually too high.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
