using RcML.Data;
using RcML.Onnx;
using RcML.Storage;

namespace RcML.Analysis;

/// <summary>
/// Agreement between the attributions of several committor models (typically the best trials of a study): if equally good
/// models rely on different CVs, the reaction coordinate is not identified by the data alone.
/// </summary>
public static class AttributionAgreement
{
    /// <summary>Compares attributions by one method.</summary>
    public static AttributionAgreementResult Compare(IReadOnlyList<ModelAttribution> models,
        AttributionMethod method = AttributionMethod.IntegratedGradients, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("No models to compare.", nameof(models));
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);

        var cvs = models.SelectMany(m => m.Attribution.Cvs.Select(c => c.Name)).Distinct(StringComparer.Ordinal).ToArray();
        var ranks = models.Select(m =>
        {
            var shares = m.Attribution.Cvs.ToDictionary(c => c.Name, c => c.Share(method), StringComparer.Ordinal);
            return Ranks(cvs.Select(name => shares.GetValueOrDefault(name)).ToArray());
        }).ToArray();

        int k = models.Count;
        var correlation = new double[k][];
        var pairs = new List<double>();
        for (int a = 0; a < k; a++)
        {
            correlation[a] = new double[k];
            for (int b = 0; b < k; b++)
            {
                correlation[a][b] = a == b ? 1 : Pearson(ranks[a], ranks[b]);
                if (a < b && !double.IsNaN(correlation[a][b])) pairs.Add(correlation[a][b]);
            }
        }

        var topCvs = models.Select(m => (IReadOnlyList<string>)m.Attribution.SortedBy(method).Take(top).Select(c => c.Name).ToArray()).ToArray();
        var shared = topCvs[0].Where(name => topCvs.All(t => t.Contains(name))).ToArray();
        return new AttributionAgreementResult(method, models.Select(m => m.Label).ToArray(), cvs, correlation,
            pairs.Count > 0 ? pairs.Average() : double.NaN, top, topCvs, shared);
    }

    /// <summary>
    /// Attributions of the best complete trials of a study that have a stored model (the experiment keeps the best ~10),
    /// best first, on <paramref name="data"/>; the best with <paramref name="bestOptions"/> when given (e.g. the only one
    /// with permutation importance), <paramref name="progress"/> told before each model.
    /// </summary>
    public static IReadOnlyList<ModelAttribution> AttributeBestTrials(IStudyStorage storage, string studyName, ShootingData data,
        int count = 5, FeatureAttributionOptions? options = null, FeatureAttributionOptions? bestOptions = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var study = storage.FindStudy(studyName) ?? throw new ArgumentException($"The store has no study named '{studyName}'.");
        var result = new List<ModelAttribution>();
        foreach (var trial in storage.GetTrials(study.StudyId)
                     .Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
                     .OrderBy(t => t.Value!.Value).ThenBy(t => t.Number))
        {
            if (result.Count == count) break;
            if (storage.LoadModel(trial.TrialId) is not { } zip) continue;
            var spec = CommittorScoring.ReadSpec(new MemoryStream(zip));
            progress?.Report($"attribution of trial {trial.Number} ({result.Count + 1} of at most {count} models)");
            var settings = result.Count == 0 ? bestOptions ?? options : options;
            result.Add(new ModelAttribution($"trial {trial.Number}", trial.Value, FeatureAttribution.Compute(spec, data, settings)));
        }
        return result;
    }

    /// <summary>Ranks 1..n, ties sharing their average rank.</summary>
    internal static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++) ranks[order[j]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
