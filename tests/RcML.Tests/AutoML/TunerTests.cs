using FluentAssertions;
using RcML.AutoML;
using Xunit;

namespace RcML.Tests.AutoML;

public class TunerTests
{
    private static readonly SearchSpace BraninSpace = new SearchSpace().AddFloat("x1", -5, 10).AddFloat("x2", 0, 15);
    private const double BraninMin = 0.397887;

    internal static double Branin(Parameter p)
    {
        double x1 = p.GetDouble("x1"), x2 = p.GetDouble("x2");
        var b = 5.1 / (4 * Math.PI * Math.PI); var c = 5 / Math.PI; var t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    /// <summary>Sequential loop: propose, evaluate, update. Returns the losses in order.</summary>
    internal static List<double> Run(ITuner tuner, Func<Parameter, double> f, int trials, SearchSpace? validate = null)
    {
        var losses = new List<double>();
        for (var i = 0; i < trials; i++)
        {
            var s = new TrialSettings { TrialId = i };
            s.Parameter = tuner.Propose(s);
            if (validate is not null) validate.IsValid(s.Parameter).Should().BeTrue($"{tuner.GetType().Name} proposed {s.Parameter}");
            var loss = f(s.Parameter);
            losses.Add(loss);
            tuner.Update(new TrialResult { TrialSettings = s, Loss = loss, DurationInMilliseconds = 1 });
        }
        return losses;
    }

    private static double Median(IEnumerable<double> v) { var a = v.OrderBy(x => x).ToArray(); return a[a.Length / 2]; }

    /// <summary>Mixed categorical/conditional toy problem: optimum 0 at act=gelu, layers=3, nodes_3≈128, lr=1e-3, mode=mini, batch≈256.</summary>
    internal static double Mixed(Parameter p)
    {
        var loss = Math.Pow(Math.Log10(p.GetDouble("lr")) + 3, 2);
        loss += p.GetString("act") == "gelu" ? 0 : 1;
        loss += Math.Abs(p.GetInt("layers") - 3) * 0.5;
        loss += p.TryGetValue("nodes_3", out var n3) ? Math.Pow(Math.Log2((int)n3 / 128.0), 2) * 0.1 : 1;
        loss += p.TryGetValue("batch", out var b) ? Math.Pow(Math.Log2((int)b / 256.0), 2) * 0.05 : 0.8;
        return loss + p.GetDouble("dropout");
    }

    public static TheoryData<string> TunerNames => new() { "random", "grid", "tpe", "tpe_mv", "gp" };

    internal static ITuner Create(string name, SearchSpace space, int seed) => name switch
    {
        "random" => new RandomSearchTuner(space, seed),
        "grid" => new GridSearchTuner(space, 3, seed),
        "tpe" => new TreeParzenTuner(space, seed),
        "tpe_mv" => new TreeParzenTuner(space, seed) { Multivariate = true },
        "gp" => new GaussianProcessTuner(space, seed),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(TunerNames))]
    public void Tuners_propose_only_valid_parameters(string name)
    {
        var space = SearchSpaceTests.MixedSpace();
        Run(Create(name, space, 5), Mixed, 30, space);
        var committor = new SearchSpace<CommittorSearchSpace>();
        var rng = new Random(0);
        Run(Create(name, committor, 6), p => rng.NextDouble(), 20, committor);
    }

    [Fact]
    public void Grid_enumerates_each_point_once_without_expanding_inactive_options()
    {
        var space = new SearchSpace().AddInt("layers", 1, 3).AddFloat("w", 0, 1, when: Condition.AtLeast("layers", 2)).AddBool("b");
        var grid = new GridSearchTuner(space, stepsPerNumeric: 4).Enumerate().ToList();
        grid.Should().HaveCount(2 * (1 + 4 + 4)).And.OnlyHaveUniqueItems();
        grid.Should().OnlyContain(p => space.IsValid(p));
        var tuner = new GridSearchTuner(space, 4);
        Run(tuner, _ => 0, grid.Count).Should().HaveCount(grid.Count);
        tuner.Finished.Select(r => r.Parameter).Should().Equal(grid);
    }

    [Fact]
    public void Gp_beats_random_on_branin_and_nearly_reaches_the_optimum()
    {
        var gp = new List<double>(); var random = new List<double>();
        for (var seed = 0; seed < 5; seed++)
        {
            gp.Add(Run(new GaussianProcessTuner(BraninSpace, seed), Branin, 30).Min());
            random.Add(Run(new RandomSearchTuner(BraninSpace, seed), Branin, 30).Min());
        }
        Median(gp).Should().BeLessThan(Median(random));
        gp.Count(v => v < BraninMin + 0.1).Should().BeGreaterThanOrEqualTo(4, $"GP bests {string.Join(", ", gp)}");
    }

    [Fact]
    public void Tpe_beats_random_on_a_quadratic()
    {
        var space = new SearchSpace().AddFloat("x", -5, 5).AddFloat("y", -5, 5).AddFloat("z", -5, 5);
        static double Quad(Parameter p) => Math.Pow(p.GetDouble("x") - 1, 2) + Math.Pow(p.GetDouble("y") + 2, 2) + Math.Pow(p.GetDouble("z"), 2);
        // 15 seeds: with 5, a lucky random start-up (the first 10 TPE trials are the same draws) decides the medians.
        var tpe = Enumerable.Range(0, 15).Select(s => Run(new TreeParzenTuner(space, s), Quad, 60).Min()).ToList();
        var random = Enumerable.Range(0, 15).Select(s => Run(new RandomSearchTuner(space, s), Quad, 60).Min()).ToList();
        Median(tpe).Should().BeLessThan(Median(random));
    }

    [Theory]
    [InlineData("tpe", 60, 1.0)]
    [InlineData("gp", 40, 0.5)]
    public void Mixed_categorical_conditional_problem_is_optimized(string name, int trials, double target)
    {
        var space = SearchSpaceTests.MixedSpace();
        var tuned = Enumerable.Range(0, 3).Select(s => Run(Create(name, space, s), Mixed, trials).Min()).ToList();
        var random = Enumerable.Range(0, 3).Select(s => Run(new RandomSearchTuner(space, s), Mixed, trials).Min()).ToList();
        Median(tuned).Should().BeLessThan(Median(random));
        Median(tuned).Should().BeLessThan(target, $"bests {string.Join(", ", tuned)}");
    }

    /// <summary>
    /// The bench's mixed function: kind=a wins only once its conditional u is tuned; before that, kind=c (flag=true) looks
    /// better. One good/bad split over all trials never tunes u (no kind=a trial is among the globally best), so TPE locked
    /// into c (median best about 0.3 over seeds); splitting among the trials where u was active tunes u and finds a.
    /// </summary>
    internal static readonly SearchSpace BranchSpace = RcML.Bench.MixedFunction.Space();

    internal static double Branch(Parameter p) => RcML.Bench.MixedFunction.Evaluate(p);

    /// <summary>Best loss of each of 30 seeded 100-trial TPE runs on <see cref="Branch"/>.</summary>
    private static List<double> BranchBests(Func<int, TreeParzenTuner> make) =>
        Enumerable.Range(0, 30).Select(s => Run(make(s), Branch, 100).Min()).ToList();

    [Fact]
    public void Tpe_tunes_a_conditional_option_whose_branch_starts_out_worse()
    {
        // The previous TPE (one split over all trials, hyperopt-style kernels): mean 0.31, 19 of 30 seeds stuck at >= 0.2.
        var bests = BranchBests(s => new TreeParzenTuner(BranchSpace, s));
        bests.Average().Should().BeLessThan(0.12, $"bests {string.Join(", ", bests)}");
        bests.Count(b => b >= 0.2).Should().BeLessThanOrEqualTo(8, $"bests {string.Join(", ", bests)}");
    }

    [Fact]
    public void Tpe_split_per_option_beats_one_split_over_all_trials_on_a_conditional_branch()
    {
        // Same tuner otherwise; only SplitPerOption differs (measured: mean 0.054 vs 0.125, stuck 4 vs 10 of 30).
        var perOption = BranchBests(s => new TreeParzenTuner(BranchSpace, s));
        var allTrials = BranchBests(s => new TreeParzenTuner(BranchSpace, s) { SplitPerOption = false });
        perOption.Average().Should().BeLessThan(0.7 * allTrials.Average(), $"per option {perOption.Average()}, all trials {allTrials.Average()}");
        perOption.Count(b => b >= 0.2).Should().BeLessThan(allTrials.Count(b => b >= 0.2));
    }

    [Fact]
    public void Tpe_kernel_odds_keep_proposing_where_poor_trials_crowd_around_the_good_ones()
    {
        // The learning rates (unit log scale) and losses of the first 40 trials of a committor study (Optuna TPE, bench
        // seed 107), in order: the 4 best lie at 0.65-0.81, and most poorer trials crowd into the same range.
        double[] x = [0.152, 0.72, 0.926, 0.258, 0.525, 0.936, 0.618, 0.796, 0.059, 0.267, 0.986, 0.603, 0.785, 0.403, 0.622, 0.888,
            0.687, 0.865, 0.462, 0.801, 0.999, 0.849, 0.731, 0.901, 0.925, 0.853, 0.649, 0.809, 0.701, 0.681, 0.551, 0.777, 0.68, 0.728,
            0.739, 0.725, 0.647, 0.602, 0.558, 0.829];
        double[] loss = [0.59755, 0.29974, 0.29518, 0.72446, 0.34883, 0.29814, 0.29639, 0.29689, 0.63872, 0.65427, 0.30136, 0.30402,
            0.29917, 0.65248, 0.30745, 0.29662, 0.30417, 0.29719, 0.41546, 0.30791, 0.30044, 0.29738, 0.29745, 0.29942, 0.29796, 0.29484,
            0.29415, 0.29447, 0.29432, 0.29733, 0.30933, 0.29633, 0.29513, 0.29474, 0.29584, 0.29548, 0.29557, 0.30738, 0.30091, 0.29593];
        var space = new SearchSpace().AddFloat("x", 0, 1);
        double MedianDistance(bool odds) => Median(Enumerable.Range(0, 200).Select(seed =>
        {
            var tuner = new TreeParzenTuner(space, seed) { ScoreByKernelOdds = odds };
            for (var i = 0; i < x.Length; i++)
                tuner.Update(new TrialResult { TrialSettings = new TrialSettings { TrialId = i, Parameter = new Parameter(new Dictionary<string, object> { ["x"] = x[i] }) }, Loss = loss[i] });
            return Math.Abs(tuner.Propose(new TrialSettings { TrialId = x.Length }).GetDouble("x") - 0.72);
        }));
        // Density ratio: g's narrow kernels peak in the crowd, so proposals leave for the sparser 0.35-0.5 (measured: median
        // distance 0.25 from the good trials' centre); kernel odds stay among the good trials (measured: 0.04).
        var odds = MedianDistance(odds: true);
        var density = MedianDistance(odds: false);
        odds.Should().BeLessThan(0.1, $"density {density}");
        density.Should().BeGreaterThan(2 * odds);
    }

    [Fact]
    public void Tpe_observation_weights_follow_optuna()
    {
        TreeParzenTuner.ObservationWeights(10).Should().AllBeEquivalentTo(1.0);
        var w = TreeParzenTuner.ObservationWeights(40);
        w.Skip(15).Should().AllBeEquivalentTo(1.0);
        w[0].Should().BeApproximately(1.0 / 40, 1e-12);
        w[14].Should().BeApproximately(1.0, 1e-12);
        w.Take(15).Should().BeInAscendingOrder();
    }

    [Theory, MemberData(nameof(TunerNames))]
    public void Pending_trials_get_distinct_proposals(string name)
    {
        var space = new SearchSpace().AddFloat("x", 0, 1).AddChoice("c", ["a", "b"]);
        var tuner = Create(name, space, 7);
        Run(tuner, p => Math.Pow(p.GetDouble("x") - 0.3, 2) + (p.GetString("c") == "a" ? 0 : 0.1), 15);
        var pending = Enumerable.Range(100, 6).Select(id => tuner.Propose(new TrialSettings { TrialId = id })).ToList();
        pending.Should().OnlyHaveUniqueItems(string.Join(" ", pending));
    }

    [Fact]
    public void Gp_constant_liar_spreads_parallel_proposals_in_a_continuous_space()
    {
        var tuner = new GaussianProcessTuner(BraninSpace, 3, new GaussianProcessTunerOptions { NumberOfInitialTrials = 8 });
        Run(tuner, Branin, 15);
        var batch = Enumerable.Range(100, 4).Select(id => tuner.Propose(new TrialSettings { TrialId = id })).ToList();
        tuner.Pending.Should().HaveCount(4);
        for (var i = 0; i < batch.Count; i++)
            for (var j = 0; j < i; j++)
                (Math.Abs(batch[i].GetDouble("x1") - batch[j].GetDouble("x1")) + Math.Abs(batch[i].GetDouble("x2") - batch[j].GetDouble("x2")))
                    .Should().BeGreaterThan(1e-3);
    }

    [Theory, MemberData(nameof(TunerNames))]
    public void Same_seed_gives_the_same_trajectory(string name)
    {
        var space = SearchSpaceTests.MixedSpace();
        var a = Run(Create(name, space, 11), Mixed, 20);
        var b = Run(Create(name, space, 11), Mixed, 20);
        a.Should().Equal(b);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void Failed_trials_are_tolerated_and_avoided(string name)
    {
        var space = new SearchSpace().AddFloat("x", 0, 1);
        var tuner = Create(name, space, 2);
        for (var i = 0; i < 25; i++)
        {
            var s = new TrialSettings { TrialId = i };
            s.Parameter = tuner.Propose(s);
            var x = s.Parameter.GetDouble("x");
            tuner.Update(x > 0.8
                ? new TrialResult { TrialSettings = s, IsFailed = true, Loss = double.NaN }
                : new TrialResult { TrialSettings = s, Loss = Math.Pow(x - 0.7, 2) });
        }
        ((TunerBase)tuner).Best!.Loss.Should().BeLessThan(0.01);
    }

    [Theory]
    [InlineData(OutputWarping.Log, ConstantLiarStrategy.Worst)]
    [InlineData(OutputWarping.Rank, ConstantLiarStrategy.Best)]
    public void Gp_warpings_and_liars_work(OutputWarping warping, ConstantLiarStrategy liar)
    {
        var tuner = new GaussianProcessTuner(BraninSpace, 1, new GaussianProcessTunerOptions { Warping = warping, Liar = liar });
        Run(tuner, Branin, 25, BraninSpace).Min().Should().BeLessThan(BraninMin + 0.5);
        var batch = Enumerable.Range(100, 3).Select(id => tuner.Propose(new TrialSettings { TrialId = id })).ToList();
        batch.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Gp_warm_started_from_history_skips_the_initial_design()
    {
        var rng = new Random(9);
        var tuner = new GaussianProcessTuner(BraninSpace, 0);
        for (var i = 0; i < 12; i++)
        {
            var p = BraninSpace.Sample(rng);
            tuner.Update(new TrialResult { TrialSettings = new TrialSettings { TrialId = i, Parameter = p }, Loss = Branin(p), IsPruned = i == 3 });
        }
        var before = tuner.Best!.Loss;
        var after = Run(tuner, Branin, 10).Min();
        tuner.Finished.Should().HaveCount(22);
        after.Should().BeLessThan(before);
    }

    [Fact]
    public void Gp_starts_from_the_spaces_default_then_the_latin_hypercube()
    {
        var space = new SearchSpace<CommittorSearchSpace>();
        var first = Enumerable.Range(0, 3).Select(seed => new GaussianProcessTuner(space, seed).Propose(new TrialSettings { TrialId = 0 })).ToList();
        first.Should().AllSatisfy(p => p.ToJson().Should().Be(space.Default.ToJson()));
        space.Default.ToJson().Should().Contain("\"activation\":\"elu\"").And.Contain("\"batch_mode\":\"full\"");

        var tuner = new GaussianProcessTuner(space, 1);
        var proposals = Enumerable.Range(0, 10).Select(id => tuner.Propose(new TrialSettings { TrialId = id })).ToList();
        proposals.Skip(1).Select(p => p.ToJson()).Should().NotContain(space.Default.ToJson()).And.OnlyHaveUniqueItems();
        var random = new GaussianProcessTuner(space, 1, new GaussianProcessTunerOptions { StartFromDefault = false });
        random.Propose(new TrialSettings { TrialId = 0 }).ToJson().Should().NotBe(space.Default.ToJson());
    }

    private sealed class FirstChoiceTuner(SearchSpace space) : ITuner
    {
        public int Updates { get; private set; }
        public Parameter Propose(TrialSettings settings) => space.Default;
        public void Update(TrialResult result) => Updates++;
    }

    [Fact]
    public void A_custom_tuner_plugs_in_through_the_interface()
    {
        var space = SearchSpaceTests.MixedSpace();
        var tuner = new FirstChoiceTuner(space);
        Run(tuner, Mixed, 3, space).Should().HaveCount(3);
        tuner.Updates.Should().Be(3);
    }

    [Fact]
    public void Trial_settings_serialize_with_their_parameter()
    {
        var s = new TrialSettings { TrialId = 4, Parameter = SearchSpaceTests.MixedSpace().Default };
        var json = System.Text.Json.JsonSerializer.Serialize(s);
        System.Text.Json.JsonSerializer.Deserialize<TrialSettings>(json)!.Parameter.Should().Equal(s.Parameter);
    }
}
