using RcML.Committor;

namespace RcML.Analysis;

/// <summary>
/// Groups of redundant CVs: in molecular CV sets the dihedrals around one bond, or distances sharing an atom, carry
/// nearly the same information, and a model spreads its reliance over them arbitrarily. Two CVs are linked when
/// |r| reaches the threshold, with r the circular correlation for two angles, the circular-linear correlation (of
/// the ranks) for an angle and a linear CV, and Spearman's rank correlation for two linear CVs; groups are the
/// connected components of these links, so every CV is in exactly one group.
/// </summary>
public static class CvGroups
{
    /// <summary>The default |r| at which two CVs count as redundant.</summary>
    public const double DefaultThreshold = 0.9;

    /// <summary>Groups of the CVs <paramref name="inputs"/> with values <paramref name="columns"/>, ordered by their first member.</summary>
    public static IReadOnlyList<CvGroup> Find(IReadOnlyList<NetworkInput> inputs, IReadOnlyList<float[]> columns, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != columns.Count) throw new ArgumentException("One column per CV is needed.", nameof(columns));
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The group threshold must be in (0, 1].");
        var r = Correlations(inputs, columns);
        int d = inputs.Count;
        var parent = Enumerable.Range(0, d).ToArray();
        int Root(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
                if (Math.Abs(r[i, j]) >= threshold) parent[Root(j)] = Root(i);

        return Enumerable.Range(0, d).GroupBy(Root).Select(g => g.Order().ToArray())
            .Select(members => new CvGroup(members, members.Length == 1 ? 1 : MinLink(members, r)))
            .OrderBy(g => g.Members[0]).ToArray();
    }

    /// <summary>|r| of every pair by the rules above; NaN-free (a constant column correlates 0 with everything).</summary>
    public static double[,] Correlations(IReadOnlyList<NetworkInput> inputs, IReadOnlyList<float[]> columns)
    {
        int d = inputs.Count;
        // Per CV: centred ranks (linear), or sin of the angle from its circular mean and centred cos, sin (angles).
        var features = new double[d][][];
        for (int i = 0; i < d; i++)
        {
            var values = columns[i].Select(v => (double)v).ToArray();
            if (inputs[i].Kind == InputKind.Linear) features[i] = [Centre(AttributionAgreement.Ranks(values))];
            else
            {
                double toRadians = InputExpansion.ToRadians(inputs[i].Kind);
                var angle = values.Select(v => v * toRadians).ToArray();
                double mean = Math.Atan2(angle.Sum(Math.Sin), angle.Sum(Math.Cos));
                features[i] = [angle.Select(a => Math.Sin(a - mean)).ToArray(), Centre(angle.Select(Math.Cos).ToArray()),
                    Centre(angle.Select(Math.Sin).ToArray())];
            }
        }
        var r = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            r[i, i] = 1;
            for (int j = i + 1; j < d; j++)
                r[i, j] = r[j, i] = Pair(inputs[i].Kind, features[i], inputs[j].Kind, features[j]);
        }
        return r;
    }

    private static double Pair(InputKind kindA, double[][] a, InputKind kindB, double[][] b)
    {
        bool angleA = kindA != InputKind.Linear, angleB = kindB != InputKind.Linear;
        if (!angleA && !angleB) return Pearson(a[0], b[0]);
        // Jammalamadaka-SenGupta: correlation of sin(a - mean a) and sin(b - mean b), uncentred.
        if (angleA && angleB) return Uncentred(a[0], b[0]);
        var (angle, linear) = angleA ? (a, b[0]) : (b, a[0]);
        double rc = Pearson(angle[1], linear), rs = Pearson(angle[2], linear), rcs = Pearson(angle[1], angle[2]);
        double denominator = 1 - rcs * rcs;
        return denominator <= 1e-12 ? Math.Max(Math.Abs(rc), Math.Abs(rs))
            : Math.Sqrt(Math.Clamp((rc * rc + rs * rs - 2 * rc * rs * rcs) / denominator, 0, 1));
    }

    private static double Uncentred(double[] x, double[] y)
    {
        double sxy = 0, sxx = 0, syy = 0;
        for (int k = 0; k < x.Length; k++) { sxy += x[k] * y[k]; sxx += x[k] * x[k]; syy += y[k] * y[k]; }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
    }

    private static double Pearson(double[] x, double[] y) => Uncentred(x, y); // inputs are centred

    private static double[] Centre(double[] values)
    {
        double mean = values.Length == 0 ? 0 : values.Average();
        return values.Select(v => v - mean).ToArray();
    }

    private static double MinLink(int[] members, double[,] r)
    {
        // The weakest link a member needs to join: for each member its strongest tie inside the group, minimized.
        double min = 1;
        foreach (var i in members)
            min = Math.Min(min, members.Where(j => j != i).Max(j => Math.Abs(r[i, j])));
        return min;
    }
}
