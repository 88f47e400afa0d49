using RcML.Committor;

namespace RcML.Analysis;

/// <summary>The steps of <see cref="ClosedFormRc.Distill(CommittorNetworkSpec, IReadOnlyList{float[]}, float[], float[], ClosedFormRcOptions?)"/>.</summary>
internal static class ClosedFormDistiller
{
    public static ClosedFormRc Run(CommittorNetworkSpec spec, IReadOnlyList<float[]> columns, float[] countA, float[] countB, ClosedFormRcOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTerms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCvs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2);
        int n = countA.Length;
        if (n < 2 * options.Folds) throw new ArgumentException($"Distilling needs at least {2 * options.Folds} configurations; got {n}.");

        // Candidate CVs: representatives of the network's top groups by joint permutation importance.
        var attribution = options.Attribution is { Permutations: > 0, GroupThreshold: not null } given ? given : FeatureAttribution.Compute(spec, columns, countA, countB, new FeatureAttributionOptions
        {
            Permutations = 2, IntegrationSteps = 16, MaxGradientRows = 300, GroupThreshold = options.GroupThreshold, Seed = options.Seed,
        });
        var top = attribution.GroupsSortedBy(AttributionMethod.Permutation)
            .Where((g, k) => k == 0 || g.Permutation >= options.MinGroupShare).Take(options.MaxCvs)
            .Select(g => spec.Inputs.Single(i => i.Name == g.Representative)).ToArray();
        var candidates = spec.Inputs.Where(top.Contains).ToArray();
        var byName = spec.Inputs.Select((input, i) => (input.Name, i)).ToDictionary(p => p.Name, p => p.i);
        var basis = BasisTerm.Candidates(candidates);
        var values = basis.Select(term => Enumerable.Range(0, n).Select(r => term.Evaluate(name => columns[byName[name]][r])).ToArray()).ToArray();

        // Targets: the shots plus pseudo-shots from the network's p_B.
        using var evaluator = new BatchCommittorEvaluator(spec);
        var q = evaluator.ReactionCoordinates(evaluator.Standardize(columns, n), n);
        double networkCrossEntropy = CommittorLoss.PerShot(q, countA, countB);
        double totalShots = countA.Sum(v => (double)v) + countB.Sum(v => (double)v);
        double modelShots = options.ModelShots ?? totalShots / n;
        var weight = new double[n];
        var target = new double[n];
        for (int r = 0; r < n; r++)
        {
            double p = 1 / (1 + Math.Exp(-q[r]));
            weight[r] = countA[r] + countB[r] + modelShots;
            target[r] = weight[r] > 0 ? (countB[r] + modelShots * p) / weight[r] : 0.5;
        }

        // Greedy path: add the term that best fits the blended targets.
        var chosen = new List<int>();
        for (int step = 0; step < Math.Min(options.MaxTerms, basis.Count); step++)
        {
            int best = -1;
            double bestLoss = double.PositiveInfinity;
            for (int c = 0; c < basis.Count; c++)
            {
                if (chosen.Contains(c)) continue;
                var set = chosen.Append(c).Select(i => values[i]).ToArray();
                var (b0, b) = LogisticFit.Fit(set, target, weight);
                double loss = 0;
                for (int r = 0; r < n; r++) loss += LogisticFit.Loss(LogisticFit.Logit(b0, b, set, r), weight[r] * (1 - target[r]), weight[r] * target[r]);
                if (loss < bestLoss) { bestLoss = loss; best = c; }
            }
            chosen.Add(best);
        }

        // Number of terms: cross-validated cross-entropy of the shots; the fewest within one standard error of the best.
        var fold = Folds(n, options.Folds, options.Seed);
        var perRow = new double[chosen.Count + 1][];
        for (int k = 0; k <= chosen.Count; k++)
        {
            perRow[k] = new double[n];
            var set = chosen.Take(k).Select(i => values[i]).ToArray();
            for (int f = 0; f < options.Folds; f++)
            {
                var train = Enumerable.Range(0, n).Where(r => fold[r] != f).ToArray();
                var (b0, b) = LogisticFit.Fit(set, target, weight, train);
                for (int r = 0; r < n; r++)
                    if (fold[r] == f) perRow[k][r] = LogisticFit.Loss(LogisticFit.Logit(b0, b, set, r), countA[r], countB[r]);
            }
        }
        var heldOut = perRow.Select(l => l.Sum() / totalShots).ToArray();
        int bestK = Array.IndexOf(heldOut, heldOut.Min());
        var errors = perRow.Select(l => StandardError(l, perRow[bestK], totalShots)).ToArray();
        int pick = Enumerable.Range(0, heldOut.Length).First(k => heldOut[k] - heldOut[bestK] <= errors[k]);
        var path = heldOut.Select((ce, k) => new ClosedFormPathStep(k, k == 0 ? null : basis[chosen[k - 1]].Text, ce, errors[k])).ToArray();

        var final = chosen.Take(pick).ToArray();
        var (intercept, coefficients) = LogisticFit.Fit(final.Select(i => values[i]).ToArray(), target, weight);
        var terms = final.Select((c, j) => new ClosedFormTerm(basis[c], coefficients[j])).ToArray();
        var used = terms.SelectMany(t => t.Term.Factors.Select(f => f.Cv.Name)).ToHashSet();
        double loss0 = 0;
        var finalValues = final.Select(i => values[i]).ToArray();
        for (int r = 0; r < n; r++) loss0 += LogisticFit.Loss(LogisticFit.Logit(intercept, coefficients, finalValues, r), countA[r], countB[r]);
        return new ClosedFormRc(intercept, terms, spec.Inputs.Where(i => used.Contains(i.Name)).ToArray(), candidates, path,
            loss0 / totalShots, networkCrossEntropy, heldOut[pick]);
    }

    private static int[] Folds(int n, int folds, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[n];
        for (int i = 0; i < n; i++) fold[order[i]] = i % folds;
        return fold;
    }

    /// <summary>Standard error of the per-shot mean of the per-configuration loss differences.</summary>
    private static double StandardError(double[] loss, double[] best, double totalShots)
    {
        int n = loss.Length;
        double mean = 0, squares = 0;
        for (int r = 0; r < n; r++) mean += loss[r] - best[r];
        mean /= n;
        for (int r = 0; r < n; r++) squares += (loss[r] - best[r] - mean) * (loss[r] - best[r] - mean);
        return Math.Sqrt(squares / Math.Max(1, n - 1) * n) / totalShots;
    }
}
