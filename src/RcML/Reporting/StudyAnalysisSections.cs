using System.Globalization;
using RcML.Analysis;
using RcML.AutoML;
using RcML.Data;
using RcML.Onnx;
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
    /// <param name="input">The report's study and best model.</param>
    /// <param name="storage">The store holding the study's trials and models.</param>
    /// <param name="dataPath">Shooting data for the model analyses; null leaves them out.</param>
    /// <param name="progress">Told what runs, one short line per step (e.g. for a progress line on a terminal).</param>
    public static StudyReportInput WithAnalysis(this StudyReportInput input, IStudyStorage storage, string? dataPath, IProgress<string>? progress = null)
    {
        var notes = new List<string>();
        var space = input.ReadSearchSpace();
        var result = input;
        if (space is null) notes.Add("the study's search space could not be read");
        else
        {
            progress?.Report("hyperparameter importance");
            result = Try(notes, "hyperparameter importance", () => result with { Importance = Importance(space, input.Trials) }) ?? result;
            progress?.Report("modes of good trials");
            result = Try(notes, "modes", () => result with { Modes = Modes(space, input.Trials) }) ?? result;
        }
        if (dataPath is not null)
            result = Try(notes, "feature attribution", () => Attribution(result, storage, dataPath, notes, progress)) ?? result;
        else notes.Add("feature attribution needs the shooting data (--data)");
        return result with { AnalysisNotes = notes };
    }

    /// <summary>
    /// Lighter settings than FeatureAttribution's defaults, as the ranking of CVs is stable well before these counts; only
    /// the best model gets permutation importance (one shuffle of every CV and group through the whole network is most
    /// of the time), the others are compared by integrated gradients.
    /// </summary>
    private static readonly FeatureAttributionOptions ReportAttribution = new()
    {
        Permutations = 0, IntegrationSteps = 16, MaxGradientRows = 300,
    };

    private static readonly FeatureAttributionOptions BestModelAttribution = ReportAttribution with { Permutations = 2 };

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

    /// <summary>Attribution of the top models (per CV and per group), then the closed-form RC of the best one.</summary>
    private static StudyReportInput Attribution(StudyReportInput input, IStudyStorage storage, string dataPath, List<string> notes,
        IProgress<string>? progress)
    {
        var columns = input.BestModel?.InputColumns;
        var data = ShootingData.Load(dataPath, new ShootingDataOptions { Features = columns?.ToList() });
        var models = AttributionAgreement.AttributeBestTrials(storage, input.Study.Name, data, Math.Min(input.Top, 5), ReportAttribution,
            BestModelAttribution, progress);
        if (models.Count == 0) throw new InvalidOperationException("no complete trial has a stored model");
        var cvs = models[0].Attribution.Cvs.Select(c => c.Name).ToArray();
        var shares = models.Select(m => m.Attribution.Cvs.ToDictionary(c => c.Name, c => c.Share(AttributionMethod.IntegratedGradients))).ToArray();
        var values = new double[models.Count, cvs.Length];
        for (int m = 0; m < models.Count; m++)
            for (int c = 0; c < cvs.Length; c++) values[m, c] = shares[m].GetValueOrDefault(cvs[c]);
        string? agreement = null;
        if (models.Count >= 2)
        {
            var compared = AttributionAgreement.Compare(models);
            agreement = string.Create(CultureInfo.InvariantCulture,
                $"Mean pairwise Spearman correlation of the {models.Count} models' attributions: {compared.MeanPairwiseCorrelation:F2}; " +
                $"CVs in every model's top {compared.TopCount}: {(compared.SharedTopCvs.Count == 0 ? "none" : string.Join(", ", compared.SharedTopCvs))}.");
        }
        var best = models[0].Attribution;
        AttributionGroups? groups = null;
        if (best.GroupThreshold is { } threshold)
        {
            // Groups come from the data, so every model's members' shares add up the same way.
            var groupValues = new double[models.Count, best.Groups.Count];
            for (int m = 0; m < models.Count; m++)
                for (int g = 0; g < best.Groups.Count; g++) groupValues[m, g] = best.Groups[g].Members.Sum(member => shares[m].GetValueOrDefault(member));
            groups = new AttributionGroups(best.Groups.Select(g => g.Label).ToArray(), best.Groups.Select(g => g.Members).ToArray(), groupValues,
                best.Permutations > 0 ? best.Groups.Select(g => g.Permutation).ToArray() : null, threshold);
        }
        var result = input with
        {
            Attribution = new AttributionHeatmap(models.Select(m => m.Label).ToArray(), cvs, values, "integrated gradients of q (share per CV)", agreement, groups),
        };

        progress?.Report("closed-form RC of the best model");
        try
        {
            var spec = input.RankedTrials.Select(t => storage.LoadModel(t.TrialId)).OfType<byte[]>()
                .Select(zip => CommittorScoring.ReadSpec(new MemoryStream(zip))).First();
            return result with { ClosedForm = ClosedFormRc.Distill(spec, data, new ClosedFormRcOptions { Attribution = best }) };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or MathNet.Numerics.NonConvergenceException
                                      or ArithmeticException)
        {
            notes.Add($"closed-form RC: {e.Message}");
            return result;
        }
    }
}
