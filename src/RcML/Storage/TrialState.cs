namespace RcML.Storage;

/// <summary>State of a stored trial (Optuna's names).</summary>
public enum TrialState
{
    /// <summary>Being trained by some worker (whose heartbeat keeps it alive).</summary>
    Running,
    /// <summary>Finished with a value.</summary>
    Complete,
    /// <summary>Stopped early by a pruner; its value is the last intermediate value.</summary>
    Pruned,
    /// <summary>Crashed, diverged, or its worker stopped beating.</summary>
    Failed,
}
