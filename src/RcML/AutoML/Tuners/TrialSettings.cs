namespace RcML.AutoML;

/// <summary>What identifies a trial and what it runs with.</summary>
public sealed class TrialSettings
{
    /// <summary>The trial's number in its study (0-based, dense across workers): the same in the store, the tuner, monitors and reports.</summary>
    public int TrialId { get; init; }
    /// <summary>The proposed parameter set.</summary>
    public Parameter Parameter { get; set; } = Parameter.Empty;
    /// <summary>When the trial started (UTC); informational, tuners never read the clock.</summary>
    public DateTime StartedAtUtc { get; init; } = DateTime.UtcNow;
}
