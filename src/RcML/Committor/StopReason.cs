namespace RcML.Committor;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>MaxEpochs reached.</summary>
    MaxEpochs,
    /// <summary>The validation loss stopped improving for Patience epochs.</summary>
    EarlyStopping,
    /// <summary>The epoch callback asked to stop (e.g. a pruner).</summary>
    StoppedByCallback,
}
