namespace RcML.AutoML;

/// <summary>
/// Tree-structured Parzen estimator (Optuna-like). After <see cref="NumberOfStartupTrials"/> random trials, each
/// option (or, with <see cref="Multivariate"/>, each group of options that are always active together) is drawn from a
/// Parzen estimator l(x) of the best γ(n) = min(⌈<see cref="Gamma"/>·n⌉, 25) trials ("below"), picking among
/// <see cref="NumberOfCandidates"/> draws the one maximizing l(x)/g(x), where g is the estimator of the other trials.
/// With <see cref="SplitPerOption"/>, n counts only the trials where the option was active, so a conditional option is
/// tuned from its own good trials even while its branch is not among the globally best. Older "above" trials weigh less
/// (Optuna's default weights); linear integers are scored by the probability of their whole bin. With
/// <see cref="ScoreByKernelOdds"/> (the default) the continuous kernels are unnormalized, so l/g is the kernel-smoothed
/// odds that a trial near x is among the good ones. Failed trials count as worst; pending trials join the "above" group
/// (constant liar), so parallel proposals spread out.
/// </summary>
public sealed class TreeParzenTuner : TunerBase
{
    private List<int[]>? _groups;

    /// <summary>Creates a TPE tuner.</summary>
    public TreeParzenTuner(SearchSpace searchSpace, int seed = 0, int numberOfStartupTrials = 10, double gamma = 0.1, int numberOfCandidates = 24)
        : base(searchSpace, seed)
    {
        NumberOfStartupTrials = numberOfStartupTrials;
        Gamma = gamma;
        NumberOfCandidates = numberOfCandidates;
    }

    /// <summary>Random trials before the estimators are used.</summary>
    public int NumberOfStartupTrials { get; }
    /// <summary>Fraction of trials in the "below" (good) group.</summary>
    public double Gamma { get; }
    /// <summary>Candidates drawn from l(x) per option (per group when multivariate).</summary>
    public int NumberOfCandidates { get; }
    /// <summary>Weight of the prior (uniform-ish) component in each estimator.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Split good/bad separately for each option among the trials where it was active (Optuna 2.x), instead of one split
    /// over all trials masked to those where it was active (Optuna 3.x). Default true.
    /// </summary>
    public bool SplitPerOption { get; init; } = true;

    /// <summary>
    /// Model the options that are always active together jointly (Optuna's multivariate TPE with group decomposition:
    /// product kernels with Scott's-rule bandwidths), so correlated good settings are proposed together. Default false.
    /// </summary>
    public bool Multivariate { get; init; }

    /// <summary>
    /// Score continuous and log-integer options with unnormalized Gaussian kernels (no 1/σ factor), as Optuna's TPE did up
    /// to 3.4 (optuna#5109; the Optuna 3.1 peer of bench/run does). l/g is then the kernel-smoothed odds that a trial near x
    /// falls in the good group, not a ratio of densities: where many poor trials crowd around a good one, their narrow
    /// bandwidths make g's density peak and push a density-ratio TPE away from the good region, whereas the odds count
    /// them as trials. On committor studies good losses come from many distinct settings drawn in one narrow region
    /// (each architecture's initialization is a draw of its own), so staying there pays. Default true.
    /// </summary>
    public bool ScoreByKernelOdds { get; init; } = true;

    /// <inheritdoc/>
    protected override Parameter ProposeCore(TrialSettings settings)
    {
        if (Finished.Count < NumberOfStartupTrials) return SearchSpace.SampleFromFeatureSpace(RandomFeature());

        var options = SearchSpace.Options;
        _groups ??= Groups();
        var losses = ImputedLosses();
        var rank = Enumerable.Range(0, Finished.Count).OrderBy(i => Finished[i].IsFailed).ThenBy(i => losses[i]).ThenBy(i => i).ToArray();
        var pending = Pending;

        var u = Enumerable.Repeat(0.5, options.Count).ToArray();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var g in _groups)
        {
            var first = options[g[0]];
            if (!SearchSpace.IsActive(first, values)) continue;
            bool Active(TrialRecord r) => r.Parameter.ContainsKey(first.Name);
            var considered = SplitPerOption ? rank.Where(i => Active(Finished[i])).ToArray() : rank;
            var nBelow = Math.Clamp((int)Math.Ceiling(Gamma * considered.Length), 1, 25);
            // Chronological order inside each group: the decaying weights favour recent "above" trials.
            var below = considered.Take(nBelow).Where(i => Active(Finished[i])).Order().Select(i => Finished[i]).ToList();
            var above = considered.Skip(nBelow).Where(i => Active(Finished[i])).Order().Select(i => Finished[i])
                .Concat(pending.Where(Active)).ToList();

            var l = new Estimator(this, g, below);
            var gEst = new Estimator(this, g, above);
            double[]? best = null; var bestScore = double.NegativeInfinity;
            for (var c = 0; c < NumberOfCandidates; c++)
            {
                var x = l.Sample(Random);
                var score = l.LogPdf(x) - gEst.LogPdf(x);
                if (score > bestScore) { bestScore = score; best = x; }
            }
            for (var k = 0; k < g.Length; k++)
            {
                u[g[k]] = best![k];
                values[options[g[k]].Name] = options[g[k]].FromUnit(best[k]);
            }
        }
        return SearchSpace.SampleFromFeatureSpace(u);
    }

    /// <summary>Independent: one option per group. Multivariate: options with identical conditions (always co-active) form a group.</summary>
    private List<int[]> Groups()
    {
        var options = SearchSpace.Options;
        if (!Multivariate) return Enumerable.Range(0, options.Count).Select(i => new[] { i }).ToList();
        static string Key(OptionBase o) => string.Join(";", o.Conditions.Select(c => c.ToJson().ToJsonString()).Order(StringComparer.Ordinal));
        return Enumerable.Range(0, options.Count).GroupBy(i => Key(options[i])).Select(g => g.ToArray()).ToList();
    }

    /// <summary>Optuna's default weights: equal up to 25 observations, then a linear ramp down for all but the 25 newest.</summary>
    internal static double[] ObservationWeights(int n)
    {
        var w = Enumerable.Repeat(1.0, n).ToArray();
        if (n < 25) return w;
        var ramp = n - 25;
        for (var i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        return w;
    }

    /// <summary>
    /// A Parzen estimator over one group of options in unit coordinates: one product component per observation plus a
    /// broad prior. Reals: Gaussians truncated to [0, 1]; integers: the same Gaussians integrated over each value's bin;
    /// choices: one-hot smoothed by the prior (Optuna's rules for all three).
    /// </summary>
    private sealed class Estimator
    {
        private readonly OptionBase[] _options;
        private readonly int _n;            // components = observations + prior (last)
        private readonly double[] _logW;
        private readonly double[][] _mu, _sigma, _logZ; // per dimension, per component (numeric)
        private readonly double[][][] _p;               // per dimension, per component, per choice (categorical)
        private readonly double[] _w;
        private readonly bool _odds;

        public Estimator(TreeParzenTuner t, int[] group, IReadOnlyList<TrialRecord> obs)
        {
            _options = group.Select(i => t.SearchSpace.Options[i]).ToArray();
            _odds = t.ScoreByKernelOdds;
            var m = obs.Count;
            _n = m + 1;
            _w = ObservationWeights(m).Append(t.PriorWeight).ToArray();
            var ws = _w.Sum();
            _logW = _w.Select(v => Math.Log(v / ws)).ToArray();
            for (var i = 0; i < _n; i++) _w[i] /= ws;
            var dims = group.Length;
            _mu = new double[dims][]; _sigma = new double[dims][]; _logZ = new double[dims][]; _p = new double[dims][][];
            // Scott's rule (Optuna multivariate): one bandwidth per dimension from the count and the group size.
            var sigma0 = 0.2 * Math.Pow(Math.Max(m, 1), -1.0 / (dims + 4));
            for (var d = 0; d < dims; d++)
            {
                var x = obs.Select(r => r.Feature[group[d]]).ToArray();
                if (_options[d] is ChoiceOption c)
                {
                    var k = c.ChoiceCount;
                    var v = t.PriorWeight / _n;
                    _p[d] = new double[_n][];
                    for (var i = 0; i < m; i++)
                    {
                        _p[d][i] = Enumerable.Repeat(v / (1 + k * v), k).ToArray();
                        _p[d][i][c.IndexFromUnit(x[i])] = (1 + v) / (1 + k * v);
                    }
                    _p[d][m] = Enumerable.Repeat(1.0 / k, k).ToArray();
                    continue;
                }
                _mu[d] = x.Append(0.5).ToArray();
                _sigma[d] = t.Multivariate ? Enumerable.Repeat(sigma0, _n).ToArray() : Bandwidths(_mu[d]);
                var minSigma = 1.0 / Math.Min(100.0, 1.0 + _n); // Optuna's magic clip
                for (var i = 0; i < _n; i++) _sigma[d][i] = Math.Clamp(_sigma[d][i], minSigma, 1.0);
                _sigma[d][m] = 1.0; // the prior component
                _logZ[d] = new double[_n];
                for (var i = 0; i < _n; i++) _logZ[d][i] = LogMass(-_mu[d][i] / _sigma[d][i], (1 - _mu[d][i]) / _sigma[d][i]);
            }
        }

        /// <summary>Hyperopt/Optuna bandwidths: the larger gap to a sorted neighbour; the outermost use their inner gap only.</summary>
        private static double[] Bandwidths(double[] mus)
        {
            var n = mus.Length;
            var order = Enumerable.Range(0, n).OrderBy(i => mus[i]).ToArray();
            var s = order.Select(i => mus[i]).ToArray();
            var sigma = new double[n];
            for (var r = 0; r < n; r++)
            {
                var left = r > 0 ? s[r] - s[r - 1] : s[r];
                var right = r < n - 1 ? s[r + 1] - s[r] : 1.0 - s[r];
                var v = Math.Max(left, right);
                if (n >= 2 && r == 0) v = right; // consider_endpoints = false
                if (n >= 2 && r == n - 1) v = left;
                sigma[order[r]] = v;
            }
            return sigma;
        }

        public double[] Sample(Random r)
        {
            var u = r.NextDouble(); var i = 0; var acc = _w[0];
            while (u >= acc && i < _n - 1) acc += _w[++i];
            var x = new double[_options.Length];
            for (var d = 0; d < x.Length; d++)
            {
                if (_options[d] is ChoiceOption c)
                {
                    var q = r.NextDouble(); var a = 0.0; var k = 0;
                    for (; k < c.ChoiceCount - 1; k++) { a += _p[d][i][k]; if (q < a) break; }
                    x[d] = (k + 0.5) / c.ChoiceCount;
                    continue;
                }
                x[d] = TruncatedSample(_mu[d][i], _sigma[d][i], r);
                if (_options[d] is UniformIntOption) x[d] = _options[d].ToUnit(_options[d].FromUnit(x[d])); // snap to the value
            }
            return x;
        }

        public double LogPdf(double[] x)
        {
            var terms = (double[])_logW.Clone();
            for (var d = 0; d < x.Length; d++)
            {
                var o = _options[d];
                if (o is ChoiceOption c)
                {
                    var k = c.IndexFromUnit(x[d]);
                    for (var i = 0; i < _n; i++) terms[i] += Math.Log(_p[d][i][k]);
                }
                else if (o is UniformIntOption io && !(_odds && io.LogBase))
                {
                    var (lo, hi) = Bin(io, x[d]);
                    for (var i = 0; i < _n; i++)
                        terms[i] += LogMass((lo - _mu[d][i]) / _sigma[d][i], (hi - _mu[d][i]) / _sigma[d][i]) - _logZ[d][i];
                }
                else // reals; with kernel odds also log integers, as points on their log scale (as Optuna)
                    for (var i = 0; i < _n; i++)
                        terms[i] += Gaussian.LogPdf((x[d] - _mu[d][i]) / _sigma[d][i]) - (_odds ? 0 : Math.Log(_sigma[d][i])) - _logZ[d][i];
            }
            var max = terms.Max();
            return max + Math.Log(terms.Sum(v => Math.Exp(v - max)));
        }

        /// <summary>The unit interval that <see cref="OptionBase.FromUnit"/> maps to the integer at x.</summary>
        private static (double Lo, double Hi) Bin(UniformIntOption o, double x)
        {
            var v = (int)o.FromUnit(x);
            if (!o.LogBase) return ((v - o.Min) / (o.Max - o.Min + 1.0), (v - o.Min + 1.0) / (o.Max - o.Min + 1.0));
            double Unit(double y) => Math.Clamp((Math.Log(y) - Math.Log(o.Min)) / (Math.Log(o.Max) - Math.Log(o.Min)), 0, 1);
            return (Unit(Math.Max(v - 0.5, 1e-12)), Unit(v + 0.5));
        }

        private static double TruncatedSample(double mu, double sigma, Random r)
        {
            for (var tries = 0; tries < 100; tries++)
            {
                var x = mu + sigma * Gaussian.Sample(r);
                if (x >= 0 && x <= 1) return x;
            }
            return Math.Clamp(mu, 0, 1);
        }

        /// <summary>log(Φ(b) − Φ(a)), computed on the tail where the difference does not cancel.</summary>
        private static double LogMass(double a, double b)
        {
            var m = a > 0 ? Gaussian.Cdf(-a) - Gaussian.Cdf(-b) : Gaussian.Cdf(b) - Gaussian.Cdf(a);
            return Math.Log(Math.Max(m, 1e-300));
        }
    }
}
