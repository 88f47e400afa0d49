namespace RcML.AutoML;

/// <summary>
/// Tree-structured Parzen estimator (Optuna-like, independent per option). After <see cref="NumberOfStartupTrials"/>
/// random trials, the finished trials are split into the best γ(n) = min(⌈<see cref="Gamma"/>·n⌉, 25) ("below") and the rest;
/// each active option is drawn from a Parzen estimator l(x) of the below group, picking among <see cref="NumberOfCandidates"/>
/// draws the one maximizing l(x)/g(x). Conditional options are modelled only from trials where they were active.
/// Failed trials count as worst; pending trials join the "above" group (constant liar), so parallel proposals spread out.
/// </summary>
public sealed class TreeParzenTuner : TunerBase
{
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
    /// <summary>Candidates drawn from l(x) per option.</summary>
    public int NumberOfCandidates { get; }
    /// <summary>Weight of the prior (uniform-ish) component in each estimator.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <inheritdoc/>
    protected override Parameter ProposeCore(TrialSettings settings)
    {
        if (Finished.Count < NumberOfStartupTrials) return SearchSpace.SampleFromFeatureSpace(RandomFeature());

        var losses = ImputedLosses();
        var order = Enumerable.Range(0, Finished.Count).OrderBy(i => Finished[i].IsFailed).ThenBy(i => losses[i]).ThenBy(i => i).ToArray();
        var nBelow = Math.Clamp((int)Math.Ceiling(Gamma * Finished.Count), 1, 25);
        var below = order.Take(nBelow).Select(i => Finished[i]).ToList();
        var above = order.Skip(nBelow).Select(i => Finished[i]).Concat(Pending).ToList();

        var options = SearchSpace.Options;
        var u = new double[options.Count];
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var d = 0; d < options.Count; d++)
        {
            var o = options[d];
            u[d] = 0.5;
            if (!SearchSpace.IsActive(o, values)) continue;
            var b = below.Where(r => r.Parameter.ContainsKey(o.Name)).Select(r => r.Feature[d]).ToArray();
            var a = above.Where(r => r.Parameter.ContainsKey(o.Name)).Select(r => r.Feature[d]).ToArray();
            u[d] = o is ChoiceOption c ? ChooseCategorical(c, b, a) : ChooseNumeric(b, a);
            values[o.Name] = o.FromUnit(u[d]);
        }
        return SearchSpace.SampleFromFeatureSpace(u);
    }

    private double ChooseCategorical(ChoiceOption o, double[] below, double[] above)
    {
        var k = o.ChoiceCount;
        double[] Weights(double[] obs)
        {
            var w = Enumerable.Repeat(PriorWeight / k, k).ToArray();
            foreach (var x in obs) w[o.IndexFromUnit(x)] += 1.0;
            var s = w.Sum();
            return w.Select(v => v / s).ToArray();
        }
        var l = Weights(below); var g = Weights(above);
        int best = 0; var bestScore = double.NegativeInfinity;
        for (var n = 0; n < NumberOfCandidates; n++)
        {
            var i = SampleIndex(l);
            var score = Math.Log(l[i]) - Math.Log(g[i]);
            if (score > bestScore) { bestScore = score; best = i; }
        }
        return (best + 0.5) / k;
    }

    private double ChooseNumeric(double[] below, double[] above)
    {
        var l = new Parzen(below, PriorWeight); var g = new Parzen(above, PriorWeight);
        var best = 0.5; var bestScore = double.NegativeInfinity;
        for (var n = 0; n < NumberOfCandidates; n++)
        {
            var x = l.Sample(Random);
            var score = l.LogPdf(x) - g.LogPdf(x);
            if (score > bestScore) { bestScore = score; best = x; }
        }
        return best;
    }

    private int SampleIndex(double[] p)
    {
        var r = Random.NextDouble(); var acc = 0.0;
        for (var i = 0; i < p.Length; i++) { acc += p[i]; if (r < acc) return i; }
        return p.Length - 1;
    }

    /// <summary>A mixture of Gaussians truncated to [0, 1], one per observation plus a broad prior at 0.5 (hyperopt bandwidths).</summary>
    private sealed class Parzen
    {
        private readonly double[] _mu, _sigma, _w, _logZ;

        public Parzen(double[] obs, double priorWeight)
        {
            var mus = obs.Append(0.5).ToArray();
            var n = mus.Length;
            var sorted = mus.Select((m, i) => (m, i)).OrderBy(t => t.m).ToArray();
            _mu = mus; _sigma = new double[n]; _w = new double[n]; _logZ = new double[n];
            var minSigma = 1.0 / Math.Min(100.0, n);
            for (var r = 0; r < n; r++)
            {
                var (m, i) = sorted[r];
                var left = r > 0 ? m - sorted[r - 1].m : m;
                var right = r < n - 1 ? sorted[r + 1].m - m : 1.0 - m;
                _sigma[i] = Math.Clamp(Math.Max(left, right), minSigma, 1.0);
            }
            for (var i = 0; i < n; i++) _w[i] = 1.0;
            _sigma[n - 1] = 1.0; _w[n - 1] = priorWeight; // the prior component
            var ws = _w.Sum();
            for (var i = 0; i < n; i++)
            {
                _w[i] /= ws;
                _logZ[i] = Math.Log(Math.Max(Gaussian.Cdf((1 - _mu[i]) / _sigma[i]) - Gaussian.Cdf(-_mu[i] / _sigma[i]), 1e-300));
            }
        }

        public double Sample(Random r)
        {
            var u = r.NextDouble(); var i = 0; var acc = _w[0];
            while (u >= acc && i < _w.Length - 1) acc += _w[++i];
            for (var tries = 0; tries < 100; tries++)
            {
                var x = _mu[i] + _sigma[i] * Gaussian.Sample(r);
                if (x >= 0 && x <= 1) return x;
            }
            return Math.Clamp(_mu[i], 0, 1);
        }

        public double LogPdf(double x)
        {
            // log-sum-exp over components
            var max = double.NegativeInfinity;
            var terms = new double[_mu.Length];
            for (var i = 0; i < _mu.Length; i++)
            {
                terms[i] = Math.Log(_w[i]) + Gaussian.LogPdf((x - _mu[i]) / _sigma[i]) - Math.Log(_sigma[i]) - _logZ[i];
                max = Math.Max(max, terms[i]);
            }
            return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        }
    }
}
