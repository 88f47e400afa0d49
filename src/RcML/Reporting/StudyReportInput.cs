using RcML.AutoML;
using RcML.Storage;

namespace RcML.Reporting;

/// <summary>Everything a study report shows; build one with <see cref="FromStudy"/> or by hand (e.g. in tests).</summary>
public sealed record StudyReportInput
{
    /// <summary>The study.</summary>
    public required StudyInfo Study { get; init; }
    /// <summary>Its trials, ordered by number.</summary>
    public required IReadOnlyList<StoredTrial> Trials { get; init; }
    /// <summary>How many of the best trials the report lists and highlights.</summary>
    public int Top { get; init; } = 10;
    /// <summary>The best stored model scored on the shooting data; null when there is no data or no stored model.</summary>
    public BestModelEvaluation? BestModel { get; init; }
    /// <summary>Why <see cref="BestModel"/> is null, shown in its sections' placeholders.</summary>
    public string? BestModelMissingReason { get; init; }
    /// <summary>Hyperparameter importance; null shows "not computed".</summary>
    public ImportanceSection? Importance { get; init; }
    /// <summary>Modes of good trials; null shows "not computed".</summary>
    public ModeTable? Modes { get; init; }
    /// <summary>Feature attribution of the top models; null shows "not computed".</summary>
    public AttributionHeatmap? Attribution { get; init; }
    /// <summary>The closed-form RC distilled from the best model; null shows "not computed".</summary>
    public RcML.Analysis.ClosedFormRc? ClosedForm { get; init; }
    /// <summary>Why analyses could not run (e.g. too few trials), each starting with the analysis's name.</summary>
    public IReadOnlyList<string> AnalysisNotes { get; init; } = Array.Empty<string>();
    /// <summary>When the report was made.</summary>
    public DateTime GeneratedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>The study's search space, parsed from <see cref="Study"/> (null when unreadable, e.g. written by a newer version).</summary>
    public SearchSpace? ReadSearchSpace()
    {
        try { return SearchSpace.FromJson(Study.SearchSpaceJson); }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException
                                      or InvalidCastException or NullReferenceException) { return null; }
    }

    /// <summary>The complete trial with the lowest value, or null.</summary>
    public StoredTrial? BestTrial => RankedTrials.FirstOrDefault();

    /// <summary>Complete trials with a finite value, best (lowest) first.</summary>
    public IReadOnlyList<StoredTrial> RankedTrials => Trials
        .Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
        .OrderBy(t => t.Value).ThenBy(t => t.Number).ToArray();

    /// <summary>
    /// Reads a study from a store and, when <paramref name="dataPath"/> is given, scores the best trial that has a
    /// stored model on that shooting data (read through the model's own input columns).
    /// </summary>
    /// <exception cref="ArgumentException">The store has no study of that name.</exception>
    public static StudyReportInput FromStudy(IStudyStorage storage, string studyName, string? dataPath, int top = 10)
    {
        var study = storage.FindStudy(studyName) ?? throw new ArgumentException(
            $"No study '{studyName}' in the store; it has: {string.Join(", ", storage.ListStudies().Select(s => s.Name).DefaultIfEmpty("(none)"))}.");
        var input = new StudyReportInput { Study = study, Trials = storage.GetTrials(study.StudyId), Top = Math.Max(1, top) };
        if (dataPath is null) return input with { BestModelMissingReason = "no shooting data was given (--data)" };

        // Only the best ~10 trials keep their model; the best complete one normally has it.
        foreach (var trial in input.RankedTrials)
            if (storage.LoadModel(trial.TrialId) is { } zip)
                return input with { BestModel = BestModelEvaluation.Score(trial, zip, dataPath) };
        return input with { BestModelMissingReason = "no complete trial of the study has a stored model" };
    }
}
