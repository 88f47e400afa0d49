using System.Text.RegularExpressions;
using Microsoft.ML;
using RcML.Committor;

namespace RcML.Data;

/// <summary>
/// Validated shooting data: for each configuration its CVs and how many shots reached A and B.
/// Built from a CSV file, or from a PLUMED COLVAR file joined with an outcome table.
/// </summary>
public sealed class ShootingData
{
    /// <summary>Name of the A-count column in <see cref="ToDataView"/>.</summary>
    public const string CountAColumnName = "n_A";
    /// <summary>Name of the B-count column in <see cref="ToDataView"/>.</summary>
    public const string CountBColumnName = "n_B";

    /// <summary>Where the data came from.</summary>
    public required string Source { get; init; }
    /// <summary>The feature CVs, each linear or periodic.</summary>
    public required IReadOnlyList<NetworkInput> Features { get; init; }
    /// <summary>Feature values per feature column.</summary>
    public required IReadOnlyList<float[]> FeatureValues { get; init; }
    /// <summary>Shots that reached A (may be fractional).</summary>
    public required float[] CountA { get; init; }
    /// <summary>Shots that reached B (may be fractional).</summary>
    public required float[] CountB { get; init; }
    /// <summary>Reference columns (prefix ref_), e.g. ref_committor, by name.</summary>
    public required IReadOnlyDictionary<string, float[]> References { get; init; }

    /// <summary>Feature values far outside their column's robust range (see <see cref="TextTable.OutlierWarnings"/>): usable, but worth a look.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Number of configurations.</summary>
    public int Count => CountA.Length;

    /// <summary>Feature names, in order.</summary>
    public IReadOnlyList<string> FeatureNames => Features.Select(f => f.Name).ToArray();

    /// <summary>Reads a CSV file, or a COLVAR file when <paramref name="outcomesPath"/> names the outcome table to join.</summary>
    public static ShootingData Load(string path, ShootingDataOptions? options = null, string? outcomesPath = null)
    {
        options ??= new ShootingDataOptions();
        var table = TextTable.Read(path);
        if (outcomesPath is null)
            return Build(table, table, Enumerable.Range(0, table.Rows.Count).ToArray(), options, joined: false);

        var outcomes = TextTable.Read(outcomesPath);
        return Build(table, outcomes, JoinRows(table, outcomes, options.JoinColumn), options, joined: true);
    }

    /// <summary>
    /// An ML.NET view with one Single column per feature, <see cref="CountAColumnName"/>,
    /// <see cref="CountBColumnName"/> and the reference columns.
    /// </summary>
    public IDataView ToDataView()
    {
        var columns = new List<(string, float[])>();
        for (int i = 0; i < Features.Count; i++) columns.Add((Features[i].Name, FeatureValues[i]));
        columns.Add((CountAColumnName, CountA));
        columns.Add((CountBColumnName, CountB));
        foreach (var (name, values) in References) columns.Add((name, values));
        return new ColumnarDataView(columns);
    }

    /// <summary>For each outcome row, the index of the COLVAR row with the same join value.</summary>
    private static int[] JoinRows(TextTable colvar, TextTable outcomes, string key)
    {
        int colvarKey = colvar.IndexOf(key), outcomeKey = outcomes.IndexOf(key);
        if (colvarKey < 0)
            throw new DataFormatException(colvar.File, 1, key, $"the join column is missing; the file has: {string.Join(", ", colvar.Header)}.");
        if (outcomeKey < 0)
            throw new DataFormatException(outcomes.File, 1, key, $"the join column is missing; the file has: {string.Join(", ", outcomes.Header)}.");
        var byKey = new Dictionary<double, int>();
        for (int r = 0; r < colvar.Rows.Count; r++)
            byKey.TryAdd(colvar.Number(r, colvarKey), r);
        var map = new int[outcomes.Rows.Count];
        for (int r = 0; r < map.Length; r++)
        {
            var value = outcomes.Number(r, outcomeKey);
            if (!byKey.TryGetValue(value, out map[r]))
                throw new DataFormatException(outcomes.File, outcomes.Lines[r], key,
                    $"no row of {colvar.File} has {key} = {outcomes.Rows[r][outcomeKey]}.");
        }
        return map;
    }

    private static ShootingData Build(TextTable features, TextTable labels, int[] featureRow, ShootingDataOptions options, bool joined)
    {
        if (labels.Rows.Count == 0)
            throw new DataFormatException(labels.File, null, null, "no data rows; expected at least one configuration after the header.");

        var labelColumns = LabelColumns(labels, options);
        var featureColumns = SelectFeatures(features, options, labelColumns.Names, joined);
        var periodic = MatchPeriodic(features, featureColumns, options);

        int n = labels.Rows.Count;
        var values = featureColumns.Select(_ => new float[n]).ToArray();
        for (int r = 0; r < n; r++)
            for (int f = 0; f < featureColumns.Count; f++)
                values[f][r] = (float)features.Number(featureRow[r], featureColumns[f]);

        var (countA, countB) = ReadOutcomes(labels, labelColumns, options);

        var references = new Dictionary<string, float[]>();
        foreach (var table in joined ? new[] { features, labels } : new[] { labels })
            for (int c = 0; c < table.Header.Count; c++)
                if (table.Header[c].StartsWith(options.ReferencePrefix, StringComparison.Ordinal) && !references.ContainsKey(table.Header[c]))
                {
                    var column = new float[n];
                    for (int r = 0; r < n; r++)
                        column[r] = (float)table.Number(ReferenceEquals(table, labels) ? r : featureRow[r], c);
                    references[table.Header[c]] = column;
                }

        var kind = options.PeriodicUnit.ToPeriodicKind();
        return new ShootingData
        {
            Source = joined ? $"{features.File} + {labels.File}" : labels.File,
            Features = featureColumns.Select(c => new NetworkInput(features.Header[c], periodic.Contains(c) ? kind : InputKind.Linear)).ToArray(),
            FeatureValues = values,
            CountA = countA,
            CountB = countB,
            References = references,
            Warnings = features.OutlierWarnings(featureColumns),
        };
    }

    private sealed record LabelIndices(int A, int B, int Probability, int Weight)
    {
        public HashSet<int> Names { get; } = new[] { A, B, Probability, Weight }.Where(i => i >= 0).ToHashSet();
    }

    private static LabelIndices LabelColumns(TextTable labels, ShootingDataOptions options)
    {
        int Require(string name, string role)
        {
            int index = labels.IndexOf(name);
            if (index < 0)
                throw new DataFormatException(labels.File, 1, name,
                    $"the {role} column is missing; the header has: {string.Join(", ", labels.Header)}.");
            return index;
        }

        if (options.ProbabilityColumn is { } p)
            return new LabelIndices(-1, -1, Require(p, "committor-estimate label"),
                options.WeightColumn is { } w ? Require(w, "weight") : -1);
        return new LabelIndices(Require(options.CountAColumn, "shot-count label (shots that reached A)"),
            Require(options.CountBColumn, "shot-count label (shots that reached B)"), -1, -1);
    }

    private static (float[] A, float[] B) ReadOutcomes(TextTable labels, LabelIndices columns, ShootingDataOptions options)
    {
        int n = labels.Rows.Count;
        var a = new float[n];
        var b = new float[n];
        for (int r = 0; r < n; r++)
        {
            double na, nb;
            if (columns.Probability >= 0)
            {
                double p = labels.Number(r, columns.Probability, "a committor estimate between 0 and 1");
                if (p < 0 || p > 1)
                    throw new DataFormatException(labels.File, labels.Lines[r], labels.Header[columns.Probability],
                        $"expected a committor estimate between 0 and 1, found {labels.Rows[r][columns.Probability]}.");
                double w = columns.Weight >= 0 ? labels.Number(r, columns.Weight, "a positive weight (number of shots)") : 1;
                if (w <= 0)
                    throw new DataFormatException(labels.File, labels.Lines[r], labels.Header[columns.Weight],
                        $"expected a positive weight (number of shots), found {labels.Rows[r][columns.Weight]}.");
                nb = p * w;
                na = (1 - p) * w;
            }
            else
            {
                na = ShotCount(labels, r, columns.A);
                nb = ShotCount(labels, r, columns.B);
                if (na + nb <= 0)
                    throw new DataFormatException(labels.File, labels.Lines[r], null,
                        $"'{labels.Header[columns.A]}' and '{labels.Header[columns.B]}' are both 0: a configuration needs at least one shot.");
            }
            a[r] = (float)na;
            b[r] = (float)nb;
        }

        if (b.All(x => x == 0) || a.All(x => x == 0))
            throw new DataFormatException(labels.File, null, null,
                $"every shot reached {(b.All(x => x == 0) ? "A" : "B")}: with a single outcome the committor is constant " +
                "and the reaction coordinate is unidentifiable. Shoot from configurations in the transition region.");
        return (a, b);
    }

    private static double ShotCount(TextTable labels, int row, int column)
    {
        double value = labels.Number(row, column, "a non-negative shot count");
        if (value < 0)
            throw new DataFormatException(labels.File, labels.Lines[row], labels.Header[column],
                $"expected a non-negative shot count, found {labels.Rows[row][column]}.");
        return value;
    }

    private static List<int> SelectFeatures(TextTable table, ShootingDataOptions options, HashSet<int> labelColumns, bool joined)
    {
        bool IsExcluded(int c) =>
            (!joined && labelColumns.Contains(c)) || table.Header[c] == options.IdColumn ||
            table.Header[c].StartsWith(options.ReferencePrefix, StringComparison.Ordinal) ||
            (joined && table.Header[c] == options.JoinColumn);

        List<int> selected;
        if (options.Features is { Count: > 0 } patterns)
        {
            selected = new List<int>();
            foreach (var pattern in patterns)
            {
                var matches = Enumerable.Range(0, table.Header.Count).Where(c => Glob(pattern).IsMatch(table.Header[c])).ToList();
                if (matches.Count == 0)
                    throw new DataFormatException(table.File, 1, pattern,
                        $"no column matches this feature; the header has: {string.Join(", ", table.Header)}.");
                foreach (var c in matches)
                {
                    if (!joined && labelColumns.Contains(c))
                        throw new DataFormatException(table.File, 1, table.Header[c], "a label column cannot also be a feature.");
                    if (!selected.Contains(c)) selected.Add(c);
                }
            }
        }
        else
        {
            // Every other numeric column; a text column (judged by its first row) is not a feature.
            selected = Enumerable.Range(0, table.Header.Count)
                .Where(c => !IsExcluded(c) && (table.Rows.Count == 0 || table.IsNumeric(0, c)))
                .ToList();
        }
        if (selected.Count == 0)
            throw new DataFormatException(table.File, 1, null,
                $"no numeric feature columns; the header has: {string.Join(", ", table.Header)}.");
        return selected;
    }

    private static HashSet<int> MatchPeriodic(TextTable table, List<int> features, ShootingDataOptions options)
    {
        var periodic = new HashSet<int>();
        foreach (var pattern in options.Periodic)
        {
            var matches = features.Where(c => Glob(pattern).IsMatch(table.Header[c])).ToList();
            if (matches.Count == 0)
                throw new DataFormatException(table.File, 1, pattern,
                    $"the periodic pattern matches no feature; features are: {string.Join(", ", features.Select(c => table.Header[c]))}.");
            periodic.UnionWith(matches);
        }
        return periodic;
    }

    /// <summary>A shell-style pattern (* and ?) as an anchored regular expression.</summary>
    internal static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
