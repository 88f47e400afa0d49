using System.Globalization;
using RcML.Analysis;
using RcML.AutoML;
using RcML.Data;
using RcML.Storage;

namespace RcML.Reporting;

/// <summary>
/// Fills a report's analysis sections (hyperparameter importance, modes of good trials, feature attribution of the top
/// models) from RcML.Analysis. A section whose analysis cannot run (too few trials, no stored models, no data) stays
/// "not computed", with the reason in <see cref="StudyReportInput.AnalysisNotes"/>.
/// </summary>
public static class StudyAnalysisSections
{
    /// <summary>Runs the analyses for <paramref name="input"/>'s study and returns the input with their sections.</summary>
    public static StudyReportInput WithAnalysis(this StudyReportInput input, IStudyStorage storage, string? dataPath)
    {
        var notes = new List<string>();
        var space = input.ReadSearchSpace();
        var result = input;
        if (space is null) notes.Add("the study's search space could not be read");
        else
        {
            result = Try(notes, "hyperparameter importance", () => result with { Importance = Importance(space, input.Trials) }) ?? result;
            result = Try(notes, "modes", () => result with { Modes = Modes(space, input.Trials) }) ?? result;
        }
        if (dataPath is not null)
            result = Try(notes, "feature attribution", () => result with { Attribution = Attribution(storage, input, dataPath) }) ?? result;
        else notes.Add("feature attribution needs the shooting data (--data)");
        return result with { AnalysisNotes = notes };
    }

    /// <summary>
    /// Lighter settings than FeatureAttribution's defaults: the report attributes several models, some 512 wide, with a
    /// scalar C# forward pass, and the ranking of CVs is stable well before these counts.
    /// </summary>
    private static readonly FeatureAttributionOptions ReportAttribution = new()
    {
        Permutations = 2, IntegrationSteps = 16, MaxGradientRows = 300,
    };

    private static StudyReportInput? Try(List<string> notes, string what, Func<StudyReportInput> analysis)
    {
        try { return analysis(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DataFormatException)
        {
            notes.Add($"{what}: {e.Message}");
            return null;
        }
    }

    private static ImportanceSection Importance(SearchSpace space, IReadOnlyList<StoredTrial> trials)
    {
        var importance = HyperparameterImportance.Compute(space, trials);
        var curves = importance.MarginalEffects.Select(effect =>
        {
            var option = space[effect.Parameter];
            if (option is ChoiceOption choice)
                return new MarginalCurve(effect.Parameter, effect.Points.Select((_, i) => (double)i).ToArray(),
                    effect.Points.Select(p => p.Predicted).ToArray(),
                    Categories: effect.Points.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!).ToArray());
            bool log = option is UniformDoubleOption { LogBase: true } or UniformIntOption { LogBase: true };
            return new MarginalCurve(effect.Parameter,
                effect.Points.Select(p => Convert.ToDouble(p.Value, CultureInfo.InvariantCulture)).ToArray(),
                effect.Points.Select(p => p.Predicted).ToArray(), LogScale: log);
        }).ToArray();
        return new ImportanceSection(importance.Parameters.Select(p => (p.Name, p.Importance)).ToArray(), curves,
            $"functional ANOVA on a {importance.Trees}-tree random-forest surrogate of {importance.Trials} complete trials");
    }

    private static ModeTable Modes(SearchSpace space, IReadOnlyList<StoredTrial> trials)
    {
        var modes = ModeAnalysis.Analyze(space, trials);
        return new ModeTable(modes.Modes.Select(m => new TrialMode(m.Representative, m.Trials, m.BestValue, m.MeanValue)).ToArray(),
            modes.Verdict);
    }

    private static AttributionHeatmap Attribution(IStudyStorage storage, StudyReportInput input, string dataPath)
    {
        var columns = input.BestModel?.InputColumns;
        var data = ShootingData.Load(dataPath, new ShootingDataOptions { Features = columns?.ToList() });
        var models = AttributionAgreement.AttributeBestTrials(storage, input.Study.Name, data, Math.Min(input.Top, 5), ReportAttribution);
        if (models.Count == 0) throw new InvalidOperationException("no complete trial has a stored model");
        var cvs = models[0].Attribution.Cvs.Select(c => c.Name).ToArray();
        var values = new double[models.Count, cvs.Length];
        for (int m = 0; m < models.Count; m++)
            for (int c = 0; c < cvs.Length; c++)
                values[m, c] = models[m].Attribution.Cvs.First(x => x.Name == cvs[c]).Share(AttributionMethod.IntegratedGradients);
        string? agreement = null;
        if (models.Count >= 2)
        {
            var compared = AttributionAgreement.Compare(models);
            agreement = string.Create(CultureInfo.InvariantCulture,
                $"Mean pairwise Spearman correlation of the {models.Count} models' attributions: {compared.MeanPairwiseCorrelation:F2}; " +
                $"CVs in every model's top {compared.TopCount}: {(compared.SharedTopCvs.Count == 0 ? "none" : string.Join(", ", compared.SharedTopCvs))}.");
        }
        return new AttributionHeatmap(models.Select(m => m.Label).ToArray(), cvs, values, "integrated gradients of q (share per CV)", agreement);
    }
}
