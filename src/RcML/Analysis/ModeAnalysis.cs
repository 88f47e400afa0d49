using RcML.AutoML;
using RcML.Storage;

namespace RcML.Analysis;

/// <summary>
/// Whether distinct regions of the hyperparameter space give similarly good committor models: the best trials are
/// clustered by k-medoids (PAM: greedy BUILD then SWAP, deterministic) on Euclidean distance in the unit-cube encoding
/// (<see cref="SearchSpace.MappingToFeatureSpace"/>), for k = 2..MaxModes; the k with the largest mean silhouette is kept
/// if that silhouette reaches <see cref="ModeAnalysisOptions.MinSilhouette"/>, otherwise all good trials are one mode.
/// </summary>
public static class ModeAnalysis
{
    /// <summary>Modes of a study in a store.</summary>
    public static ModeAnalysisResult Analyze(IStudyStorage storage, string studyName, ModeAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var study = storage.FindStudy(studyName) ?? throw new ArgumentException($"The store has no study named '{studyName}'.");
        return Analyze(SearchSpace.FromJson(study.SearchSpaceJson), storage.GetTrials(study.StudyId), options);
    }

    /// <summary>Modes of the complete trials (with a finite value) among <paramref name="trials"/>; lower values are better.</summary>
    public static ModeAnalysisResult Analyze(SearchSpace space, IEnumerable<StoredTrial> trials, ModeAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        options ??= new ModeAnalysisOptions();
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
            .OrderBy(t => t.Value!.Value).ThenBy(t => t.Number).ToArray();
        if (complete.Length == 0) throw new ArgumentException("The study has no complete trials.");

        int good = Math.Min(complete.Length, Math.Max(options.MinGoodTrials, (int)Math.Ceiling(options.GoodFraction * complete.Length)));
        var best = complete.Take(good).ToArray();
        var points = best.Select(t => space.MappingToFeatureSpace(t.Parameters)).ToArray();
        var distance = Distances(points);

        int[] medoids = [0];
        int[] assignment = new int[good];
        double silhouette = double.NaN;
        for (int k = 2; k <= Math.Min(options.MaxModes, good - 1); k++)
        {
            var (m, a) = KMedoids(distance, k);
            double s = Silhouette(distance, a, k);
            if (s >= options.MinSilhouette && !(s <= silhouette))
                (medoids, assignment, silhouette) = (m, a, s);
        }

        double bestValue = best[0].Value!.Value;
        double tolerance = options.RelativeTolerance * Math.Abs(bestValue) + options.AbsoluteTolerance;
        var modes = medoids.Select((medoid, c) =>
        {
            var members = Enumerable.Range(0, good).Where(i => assignment[i] == c).ToArray(); // best first: best is sorted
            var values = members.Select(i => best[i].Value!.Value).ToArray();
            return new Mode(best[medoid].Parameters, best[medoid].Number, members.Length, values[0], best[members[0]].Number, values.Average(),
                members.Select(i => best[i].Number).ToArray(), values[0] <= bestValue + tolerance);
        }).OrderBy(m => m.BestValue).ThenBy(m => m.BestTrial).ToArray();

        int reaching = modes.Count(m => m.ReachesBest);
        string verdict = modes.Length == 1
            ? $"One mode: the {good} best trials form a single region of the hyperparameter space."
            : reaching >= 2
                ? $"{reaching} distinct modes reach the best value within {tolerance:G3}: different hyperparameters give equally good models."
                : $"{modes.Length} modes, but only the best reaches within {tolerance:G3} of the best value.";
        return new ModeAnalysisResult(modes, good, best[^1].Value!.Value, silhouette, tolerance, reaching >= 2, verdict);
    }

    private static double[,] Distances(double[][] points)
    {
        int n = points.Length;
        var d = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
            {
                double sum = 0;
                for (int j = 0; j < points[a].Length; j++) sum += (points[a][j] - points[b][j]) * (points[a][j] - points[b][j]);
                d[a, b] = d[b, a] = Math.Sqrt(sum);
            }
        return d;
    }

    /// <summary>PAM: greedy BUILD then SWAP until no swap lowers the total distance. Ties go to the lower index.</summary>
    internal static (int[] Medoids, int[] Assignment) KMedoids(double[,] d, int k)
    {
        int n = d.GetLength(0);
        var medoids = new List<int>();
        for (int c = 0; c < k; c++)
        {
            int pick = -1;
            double bestCost = double.PositiveInfinity;
            for (int candidate = 0; candidate < n; candidate++)
            {
                if (medoids.Contains(candidate)) continue;
                double cost = Cost(d, [.. medoids, candidate]);
                if (cost < bestCost) (pick, bestCost) = (candidate, cost);
            }
            medoids.Add(pick);
        }
        double current = Cost(d, medoids);
        for (bool improved = true; improved;)
        {
            improved = false;
            for (int c = 0; c < k; c++)
                for (int candidate = 0; candidate < n; candidate++)
                {
                    if (medoids.Contains(candidate)) continue;
                    var trial = medoids.ToList();
                    trial[c] = candidate;
                    double cost = Cost(d, trial);
                    if (cost < current - 1e-12)
                    {
                        (medoids, current, improved) = (trial, cost, true);
                    }
                }
        }
        var assignment = Enumerable.Range(0, n).Select(i => Nearest(d, medoids, i)).ToArray();
        return (medoids.ToArray(), assignment);
    }

    private static int Nearest(double[,] d, IReadOnlyList<int> medoids, int i)
    {
        int nearest = 0;
        for (int c = 1; c < medoids.Count; c++)
            if (d[i, medoids[c]] < d[i, medoids[nearest]]) nearest = c;
        return nearest;
    }

    private static double Cost(double[,] d, IReadOnlyList<int> medoids)
    {
        double cost = 0;
        for (int i = 0; i < d.GetLength(0); i++) cost += d[i, medoids[Nearest(d, medoids, i)]];
        return cost;
    }

    /// <summary>Mean silhouette; a point alone in its cluster scores 0.</summary>
    internal static double Silhouette(double[,] d, int[] assignment, int k)
    {
        int n = assignment.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var meanTo = new double[k];
            var count = new int[k];
            for (int j = 0; j < n; j++)
                if (j != i) { meanTo[assignment[j]] += d[i, j]; count[assignment[j]]++; }
            int own = assignment[i];
            if (count[own] == 0) continue;
            double a = meanTo[own] / count[own];
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
                if (c != own && count[c] > 0) b = Math.Min(b, meanTo[c] / count[c]);
            if (double.IsPositiveInfinity(b)) continue;
            double m = Math.Max(a, b);
            total += m > 0 ? (b - a) / m : 0;
        }
        return total / n;
    }
}
