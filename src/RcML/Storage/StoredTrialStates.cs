namespace RcML.Storage;

/// <summary>The lowercase names trial states are stored and printed as (Optuna's: running, complete, pruned, failed).</summary>
public static class StoredTrialStates
{
    /// <summary>Lowercase name of a state.</summary>
    public static string ToName(this TrialState state) => state switch
    {
        TrialState.Running => "running",
        TrialState.Complete => "complete",
        TrialState.Pruned => "pruned",
        TrialState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>State of a lowercase name.</summary>
    public static TrialState Parse(string name) => name switch
    {
        "running" => TrialState.Running,
        "complete" => TrialState.Complete,
        "pruned" => TrialState.Pruned,
        "failed" => TrialState.Failed,
        _ => throw new StudyStorageException($"Unknown stored trial state '{name}'."),
    };
}
