namespace RcML.Sampling;

/// <summary>
/// Picks where to shoot next from a pool of scored candidate configurations: a weighted draw without replacement
/// (Efraimidis-Spirakis keys u^(1/w)), seeded, so no candidate is picked twice and picks follow the weights. Weights
/// by <see cref="SelectionStrategy"/>; candidates of weight 0 come last, in random order.
/// </summary>
public static class ShootingPointSelector
{
    /// <summary>Picks <see cref="ShootingPointSelectorOptions.Count"/> candidates, highest key first.</summary>
    /// <param name="reactionCoordinate">q of every candidate.</param>
    /// <param name="committor">p_B of every candidate.</param>
    /// <param name="committorStdDev">The ensemble's spread of p_B of every candidate, or null for a single network.</param>
    /// <param name="options">Strategy, count, seed.</param>
    /// <exception cref="ArgumentException">An empty pool, a count out of range, mismatched lengths, or the uncertainty strategy without spreads.</exception>
    public static IReadOnlyList<SelectedCandidate> Select(IReadOnlyList<float> reactionCoordinate, IReadOnlyList<float> committor,
        IReadOnlyList<float>? committorStdDev, ShootingPointSelectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(reactionCoordinate);
        ArgumentNullException.ThrowIfNull(committor);
        ArgumentNullException.ThrowIfNull(options);
        int n = reactionCoordinate.Count;
        if (n == 0) throw new ArgumentException("The candidate pool is empty.");
        if (committor.Count != n || (committorStdDev is not null && committorStdDev.Count != n))
            throw new ArgumentException("q, p_B and the spread must have one value per candidate.");
        if (options.Count < 1) throw new ArgumentException($"The count must be at least 1, got {options.Count}.");
        if (options.Count > n) throw new ArgumentException($"The count {options.Count} is larger than the pool of {n} candidates.");
        if (!(options.Width > 0)) throw new ArgumentException($"The Lorentzian width must be positive, got {options.Width}.");
        if (options.Strategy == SelectionStrategy.Uncertainty && committorStdDev is null)
            throw new ArgumentException("The uncertainty strategy needs an ensemble model (one with CommittorStdDev; see rcml ensemble).");

        var weights = Weights(reactionCoordinate, committorStdDev, options);
        var random = new Random(options.Seed);
        // log of u^(1/w) = ln(u) / w; weight 0 gets -inf and a random tie-break behind every positive weight.
        var keys = new (double Key, double TieBreak, int Index)[n];
        for (int i = 0; i < n; i++)
        {
            double u = 1 - random.NextDouble(); // (0, 1]
            keys[i] = (weights[i] > 0 ? Math.Log(u) / weights[i] : double.NegativeInfinity, random.NextDouble(), i);
        }
        return keys.OrderByDescending(k => k.Key).ThenByDescending(k => k.TieBreak).Take(options.Count)
            .Select(k => new SelectedCandidate(k.Index, reactionCoordinate[k.Index], committor[k.Index],
                committorStdDev?[k.Index], weights[k.Index]))
            .ToArray();
    }

    /// <summary>The selection weight of every candidate under <paramref name="options"/>' strategy.</summary>
    public static double[] Weights(IReadOnlyList<float> reactionCoordinate, IReadOnlyList<float>? committorStdDev, ShootingPointSelectorOptions options)
    {
        int n = reactionCoordinate.Count;
        var weights = new double[n];
        switch (options.Strategy)
        {
            case SelectionStrategy.Uncertainty:
                for (int i = 0; i < n; i++) weights[i] = Math.Max(0, Finite(committorStdDev![i]));
                break;
            case SelectionStrategy.Transition:
                for (int i = 0; i < n; i++) weights[i] = Lorentzian(reactionCoordinate[i], options.Width);
                break;
            case SelectionStrategy.Spread:
                var density = DensityAlongQ(reactionCoordinate, options.DensityBinWidth);
                for (int i = 0; i < n; i++) weights[i] = Lorentzian(reactionCoordinate[i], options.Width) / density[i];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Strategy, "Unknown selection strategy.");
        }
        return weights;
    }

    private static double Lorentzian(double q, double width) => double.IsFinite(q) ? 1 / (1 + q / width * (q / width)) : 0;

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    /// <summary>Candidates per unit q around each candidate: the count of its histogram bin over the bin width (never 0).</summary>
    private static double[] DensityAlongQ(IReadOnlyList<float> q, double binWidth)
    {
        if (!(binWidth > 0)) throw new ArgumentException($"The density bin width must be positive, got {binWidth}.");
        var bins = new long[q.Count];
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < q.Count; i++)
        {
            bins[i] = double.IsFinite(q[i]) ? (long)Math.Floor(Math.Clamp(q[i], -1e6, 1e6) / binWidth) : long.MinValue;
            counts[bins[i]] = counts.GetValueOrDefault(bins[i]) + 1;
        }
        return bins.Select(b => counts[b] / binWidth).ToArray();
    }
}
