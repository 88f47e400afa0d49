using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace RcML.AutoML;

/// <summary>
/// Bayesian optimization with a Gaussian process: ARD Matérn-5/2 kernel on the unit-cube encoding with categoricals
/// one-hot (inactive conditionals fixed at 0.5 / all-zero), fitted noise, MAP kernel hyperparameters by multi-start L-BFGS
/// with analytic gradients, standardized (optionally warped) losses, and log expected improvement over the posterior-mean
/// incumbent, maximized over random and around-best candidates followed by local refinement.
/// Starts with a Latin hypercube; failed trials are imputed as the worst loss; pending trials get a constant-liar value.
/// </summary>
public sealed class GaussianProcessTuner : TunerBase
{
    private readonly GpEncoding _encoding;
    private double[][]? _initialDesign;
    private double[]? _theta;
    private double[]? _costTheta;
    private int _proposals;

    /// <summary>Creates a GP tuner.</summary>
    public GaussianProcessTuner(SearchSpace searchSpace, int seed = 0, GaussianProcessTunerOptions? options = null) : base(searchSpace, seed)
    {
        Options = options ?? new GaussianProcessTunerOptions();
        _encoding = new GpEncoding(searchSpace);
    }

    /// <summary>The tuner's settings.</summary>
    public GaussianProcessTunerOptions Options { get; }

    /// <summary>Noise variance of the last GP fit, in standardized loss units (NaN before the first fit).</summary>
    public double FittedNoiseVariance { get; private set; } = double.NaN;

    /// <inheritdoc/>
    protected override Parameter ProposeCore(TrialSettings settings)
    {
        var index = _proposals++;
        // A tuner warm-started with enough history (Update before any Propose) skips the initial design.
        if (index < Options.NumberOfInitialTrials && Finished.Count < Options.NumberOfInitialTrials)
        {
            int first = Options.StartFromDefault ? 1 : 0;
            if (index < first && !IsKnown(SearchSpace.Default)) return SearchSpace.Default;
            _initialDesign ??= LatinHypercube(Math.Max(1, Options.NumberOfInitialTrials - first), SearchSpace.FeatureSpaceDim, Random);
            var p = SearchSpace.SampleFromFeatureSpace(_initialDesign[Math.Max(0, index - first)]);
            if (!IsKnown(p)) return p;
        }
        if (Finished.Count(r => !r.IsFailed) < 2) return RandomUnknown();
        return ProposeByExpectedImprovement() ?? RandomUnknown();
    }

    private Parameter RandomUnknown()
    {
        var p = SearchSpace.SampleFromFeatureSpace(RandomFeature());
        for (var i = 0; i < 100 && IsKnown(p); i++) p = SearchSpace.SampleFromFeatureSpace(RandomFeature());
        return p;
    }

    private Parameter? ProposeByExpectedImprovement()
    {
        var y = Standardize(Warp(ImputedLosses(), Options.Warping, Options.ClipQuantile));
        var sorted = Enumerable.Range(0, y.Length).OrderBy(i => y[i]).ThenBy(i => i).ToArray();
        var train = Subsample(sorted, Options.MaxTrainingPoints);
        var fit = Subsample(train, Options.MaxFitPoints);

        var gp = GaussianProcess.Fit(fit.Select(i => _encoding.Encode(Finished[i].Parameter)).ToArray(), fit.Select(i => y[i]).ToArray(),
            Random, _theta, Options.NumberOfRestarts, Options.MaxFitIterations);
        _theta = gp.Theta;
        FittedNoiseVariance = gp.NoiseVariance;

        // Condition on all training points plus the pending trials at their lie, with the fitted hyperparameters.
        var liar = Options.Liar switch { ConstantLiarStrategy.Worst => y.Max(), ConstantLiarStrategy.Best => y.Min(), _ => y.Average() };
        var pending = Pending;
        var xs = train.Select(i => _encoding.Encode(Finished[i].Parameter)).Concat(pending.Select(r => _encoding.Encode(r.Parameter))).ToArray();
        var ys = train.Select(i => y[i]).Concat(pending.Select(_ => liar)).ToArray();
        var model = GaussianProcess.Condition(xs, ys, gp.Theta);

        // Noise-aware incumbent: the best posterior mean at an observed point, not the best noisy loss.
        var incumbent = train.Min(i => model.Predict(_encoding.Encode(Finished[i].Parameter)).Mean);
        var acquisition = new LogExpectedImprovement(model, incumbent);
        var cost = Options.CostAware ? FitCost() : null;
        double slowAbove = cost is { } timing && SlowTimeShare(timing.TypicalSeconds) >= Options.SlowShare
            ? Math.Log(Options.SlowFactor * timing.TypicalSeconds) - timing.MeanLogSeconds : double.PositiveInfinity;
        double Score(double[] u)
        {
            var x = _encoding.Encode(SearchSpace.SampleFromFeatureSpace(u));
            if (cost is null) return acquisition.Evaluate(x);
            double logCost = cost.Value.Model.Predict(x).Mean;
            return logCost > slowAbove ? double.NegativeInfinity : acquisition.Evaluate(x) - logCost;
        }

        var candidates = new List<(double[] U, double Score)>();
        for (var c = 0; c < Options.NumberOfRandomCandidates; c++) { var u = RandomFeature(); candidates.Add((u, Score(u))); }
        var seeds = train.OrderBy(i => model.Predict(_encoding.Encode(Finished[i].Parameter)).Mean).Take(5).Select(i => Finished[i]).ToList();
        for (var c = 0; c < Options.NumberOfLocalCandidates; c++)
        {
            var u = Perturb(seeds[c % seeds.Count]);
            candidates.Add((u, Score(u)));
        }
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var refined = candidates.Take(Options.NumberOfRefinedCandidates).Select(c => Refine(c.U, c.Score, Score)).ToList();

        foreach (var (u, _) in refined.Concat(candidates).OrderByDescending(c => c.Score))
        {
            var p = SearchSpace.SampleFromFeatureSpace(u);
            if (!IsKnown(p)) return p;
        }
        return null;
    }

    /// <summary>
    /// A GP of the centred log duration per training (seconds) of the latest completed trials (fitted on at most
    /// <see cref="GaussianProcessTunerOptions.MaxFitPoints"/>, conditioned on at most MaxTrainingPoints), the mean it is
    /// centred on and a typical training's seconds; null with fewer than 3.
    /// </summary>
    private (GaussianProcess Model, double MeanLogSeconds, double TypicalSeconds)? FitCost()
    {
        var timed = Finished.Where(r => !r.IsFailed && !r.IsPruned && r.Seconds > 0).TakeLast(Options.MaxTrainingPoints).ToList();
        if (timed.Count < 3) return null;
        var logSeconds = timed.Select(r => Math.Log(r.Seconds)).ToArray();
        double mean = logSeconds.Average();
        var xs = timed.Select(r => _encoding.Encode(r.Parameter)).ToArray();
        var ys = logSeconds.Select(v => v - mean).ToArray();
        int fit = Math.Min(xs.Length, Options.MaxFitPoints);
        _costTheta = GaussianProcess.Fit(xs[^fit..], ys[^fit..], Random, _costTheta, 0, Options.MaxFitIterations).Theta;
        // The typical training: the default configuration's when it was tried (every seed starts from it, so what counts as
        // slow does not depend on the seed or on where the search went), else the median one.
        var defaults = SearchSpace.Default;
        double typical = Finished.FirstOrDefault(r => !r.IsFailed && !r.IsPruned && r.Seconds > 0 && r.Parameter.Equals(defaults))?.Seconds
            ?? timed.Select(r => r.Seconds).Median();
        return (GaussianProcess.Condition(xs, ys, _costTheta), mean, typical);
    }

    /// <summary>The share of the finished trials' wall time that went to trials slower per training than SlowFactor typical trainings.</summary>
    private double SlowTimeShare(double medianSeconds)
    {
        double all = 0, slow = 0;
        foreach (var r in Finished.Where(r => r.TotalSeconds > 0))
        {
            all += r.TotalSeconds;
            if (r.Seconds > Options.SlowFactor * medianSeconds) slow += r.TotalSeconds;
        }
        return all > 0 ? slow / all : 0;
    }

    /// <summary>A point near a good trial: numeric coordinates jittered at a random scale, choices occasionally resampled.</summary>
    private double[] Perturb(TrialRecord seed)
    {
        var options = SearchSpace.Options;
        var u = (double[])seed.Feature.Clone();
        var scale = new[] { 0.01, 0.05, 0.15 }[Random.Next(3)];
        var flip = 1.0 / Math.Max(1, options.Count);
        for (var d = 0; d < u.Length; d++)
        {
            var active = seed.Parameter.ContainsKey(options[d].Name);
            if (!active || (options[d] is ChoiceOption && Random.NextDouble() < flip)) u[d] = Random.NextDouble();
            else if (options[d] is not ChoiceOption) u[d] = Math.Clamp(u[d] + scale * Gaussian.Sample(Random), 0, 1);
        }
        return u;
    }

    /// <summary>Pattern search on the active numeric coordinates (halving steps) plus enumeration of each active choice.</summary>
    private (double[] U, double Score) Refine(double[] start, double score, Func<double[], double> evaluate)
    {
        var options = SearchSpace.Options;
        var u = (double[])start.Clone();
        var budget = 400;
        for (var step = 0.1; step >= 1e-3 && budget > 0;)
        {
            var improved = false;
            var active = SearchSpace.ActiveMask(SearchSpace.SampleFromFeatureSpace(u));
            for (var d = 0; d < u.Length && budget > 0; d++)
            {
                if (!active[d]) continue;
                IEnumerable<double> moves = options[d] is ChoiceOption c
                    ? Enumerable.Range(0, c.ChoiceCount).Where(k => k != c.IndexFromUnit(u[d])).Select(k => (k + 0.5) / c.ChoiceCount)
                    : new[] { Math.Clamp(u[d] + step, 0, 1), Math.Clamp(u[d] - step, 0, 1) };
                foreach (var v in moves)
                {
                    var old = u[d];
                    u[d] = v;
                    var s = evaluate(u); budget--;
                    if (s > score + 1e-12) { score = s; improved = true; break; }
                    u[d] = old;
                }
            }
            if (!improved) step *= 0.5;
        }
        return (u, score);
    }

    private int[] Subsample(int[] sortedByLoss, int cap)
    {
        if (sortedByLoss.Length <= cap) return sortedByLoss;
        var best = sortedByLoss.Take(cap / 2);
        var rest = sortedByLoss.Skip(cap / 2).ToArray();
        Random.Shuffle(rest);
        return best.Concat(rest.Take(cap - cap / 2)).OrderBy(i => Array.IndexOf(sortedByLoss, i)).ToArray();
    }

    internal static double[] Warp(double[] y, OutputWarping warping, double clipQuantile = 0.5)
    {
        switch (warping)
        {
            case OutputWarping.Log:
                {
                    double min = y.Min(), range = y.Max() - min;
                    var c = 0.01 * range + 1e-12;
                    return y.Select(v => Math.Log(v - min + c)).ToArray();
                }
            case OutputWarping.Rank:
                {
                    var n = y.Length;
                    return y.Select(v => Normal.InvCDF(0, 1, (y.Count(w => w < v) + 0.5 * (y.Count(w => w == v) - 1) + 0.5) / n)).ToArray();
                }
            case OutputWarping.Clip:
                {
                    var sorted = y.OrderBy(v => v).ToArray();
                    var cap = sorted[(int)Math.Floor((sorted.Length - 1) * clipQuantile)];
                    return y.Select(v => Math.Min(v, cap)).ToArray();
                }
            default:
                return (double[])y.Clone();
        }
    }

    internal static double[] Standardize(double[] y)
    {
        var mean = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / y.Length);
        if (!(sd > 1e-12)) sd = 1.0;
        return y.Select(v => (v - mean) / sd).ToArray();
    }

    internal static double[][] LatinHypercube(int n, int d, Random random)
    {
        var design = new double[n][];
        for (var i = 0; i < n; i++) design[i] = new double[d];
        for (var k = 0; k < d; k++)
        {
            var strata = Enumerable.Range(0, n).ToArray();
            random.Shuffle(strata);
            for (var i = 0; i < n; i++) design[i][k] = (strata[i] + random.NextDouble()) / n;
        }
        return design;
    }
}

/// <summary>log EI(x) = log σ + log h((best − μ)/σ) for minimization, computed stably far from the incumbent.</summary>
internal sealed class LogExpectedImprovement(GaussianProcess model, double incumbent)
{
    public double Evaluate(double[] x)
    {
        var (mean, variance) = model.Predict(x);
        var sigma = Math.Sqrt(variance);
        return Math.Log(sigma) + Gaussian.LogH((incumbent - mean) / sigma);
    }
}

/// <summary>The GP's input encoding: one coordinate per numeric option, one-hot per categorical; inactive ones 0.5 / all zero.</summary>
internal sealed class GpEncoding
{
    private readonly SearchSpace _space;
    private readonly int[] _offset;

    public GpEncoding(SearchSpace space)
    {
        _space = space;
        _offset = new int[space.Options.Count];
        var dim = 0;
        for (var i = 0; i < _offset.Length; i++) { _offset[i] = dim; dim += Math.Max(1, space.Options[i].ChoiceCount); }
        Dimension = dim;
    }

    public int Dimension { get; }

    public double[] Encode(Parameter p)
    {
        var x = new double[Dimension];
        for (var i = 0; i < _offset.Length; i++)
        {
            var o = _space.Options[i];
            var active = p.TryGetValue(o.Name, out var v);
            if (o is ChoiceOption c) { if (active) x[_offset[i] + c.IndexOf(v!)] = 1.0; }
            else x[_offset[i]] = active ? o.ToUnit(v!) : 0.5;
        }
        return x;
    }
}
