namespace RcML.Committor;

/// <summary>One epoch of training, as reported to <see cref="CommittorTrainerOptions.OnEpoch"/>.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Training cross-entropy per shot (with dropout active).</param>
/// <param name="ValidationLoss">Validation cross-entropy per shot, or NaN without a validation set.</param>
/// <param name="BestValidationLoss">Best validation loss so far (NaN without a validation set).</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct EpochReport(int Epoch, double TrainLoss, double ValidationLoss, double BestValidationLoss, TimeSpan Elapsed);
