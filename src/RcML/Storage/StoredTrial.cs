using RcML.AutoML;

namespace RcML.Storage;

/// <summary>One trial as stored.</summary>
public sealed record StoredTrial
{
    /// <summary>Storage-wide id.</summary>
    public required int TrialId { get; init; }
    /// <summary>The study it belongs to.</summary>
    public required int StudyId { get; init; }
    /// <summary>0-based number within the study; unique and dense across all workers.</summary>
    public required int Number { get; init; }
    /// <summary>State.</summary>
    public required TrialState State { get; init; }
    /// <summary>Hyperparameters.</summary>
    public required Parameter Parameters { get; init; }
    /// <summary>Final value (loss, minimized): null while running or when failed.</summary>
    public double? Value { get; init; }
    /// <summary>Intermediate values by step (epoch): the validation curve.</summary>
    public required IReadOnlyList<double> Curve { get; init; }
    /// <summary>Seed the trial trained with.</summary>
    public required int Seed { get; init; }
    /// <summary>Who ran it (host:pid).</summary>
    public required string Worker { get; init; }
    /// <summary>Start time.</summary>
    public required DateTime StartedUtc { get; init; }
    /// <summary>End time, once finished.</summary>
    public DateTime? FinishedUtc { get; init; }
    /// <summary>Last heartbeat of its worker.</summary>
    public DateTime? HeartbeatUtc { get; init; }
    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; init; }
    /// <summary>Duration in seconds, once finished.</summary>
    public double? DurationSeconds => FinishedUtc is { } f ? (f - StartedUtc).TotalSeconds : null;
}
