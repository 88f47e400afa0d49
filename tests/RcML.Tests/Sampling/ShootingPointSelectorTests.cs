using FluentAssertions;
using RcML.Sampling;
using Xunit;

namespace RcML.Tests.Sampling;

public class ShootingPointSelectorTests
{
    private static (float[] Q, float[] P) Pool(IEnumerable<double> q)
    {
        var qs = q.Select(v => (float)v).ToArray();
        return (qs, qs.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray());
    }

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s[s.Length / 2];
    }

    [Fact]
    public void Transition_picks_are_seeded_distinct_and_near_q_zero()
    {
        var random = new Random(3);
        var (q, p) = Pool(Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 16 - 8));
        var options = new ShootingPointSelectorOptions { Count = 100, Seed = 4 };
        var picks = ShootingPointSelector.Select(q, p, null, options);

        picks.Should().HaveCount(100);
        picks.Select(k => k.Index).Should().OnlyHaveUniqueItems();
        ShootingPointSelector.Select(q, p, null, options).Select(k => k.Index).Should().Equal(picks.Select(k => k.Index), "same seed, same picks");
        options.Seed = 5;
        ShootingPointSelector.Select(q, p, null, options).Select(k => k.Index).Should().NotEqual(picks.Select(k => k.Index));
        Median(picks.Select(k => Math.Abs(k.ReactionCoordinate))).Should().BeLessThan(1.5, "the pool's median |q| is 4");
        picks.Should().OnlyContain(k => Math.Abs(k.Weight - 1 / (1 + k.ReactionCoordinate * k.ReactionCoordinate)) < 1e-9 && k.CommittorStdDev == null);

        // Asking for the whole pool returns every candidate once.
        options.Count = 2000;
        ShootingPointSelector.Select(q, p, null, options).Select(k => k.Index).Should().BeEquivalentTo(Enumerable.Range(0, 2000));
    }

    [Fact]
    public void Spread_corrects_for_a_dense_cluster_of_candidates()
    {
        var random = new Random(1);
        // 90 % of the pool crowds around q = 1.5, the rest is spread over [-4, 4].
        var (q, p) = Pool(Enumerable.Range(0, 3000).Select(i => i % 10 == 0 ? random.NextDouble() * 8 - 4 : 1.5 + 0.1 * (random.NextDouble() - 0.5)));
        double Crowded(SelectionStrategy strategy) =>
            ShootingPointSelector.Select(q, p, null, new ShootingPointSelectorOptions { Strategy = strategy, Count = 200, Seed = 2 })
                .Count(k => Math.Abs(k.ReactionCoordinate - 1.5) < 0.1) / 200.0;

        Crowded(SelectionStrategy.Transition).Should().BeGreaterThan(0.7, "the transition weight follows where candidates are");
        Crowded(SelectionStrategy.Spread).Should().BeLessThan(0.3, "divided by the density, the cluster counts as one region among others");
    }

    [Fact]
    public void Uncertainty_follows_the_spread_and_needs_an_ensemble()
    {
        var random = new Random(2);
        var (q, p) = Pool(Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 4 - 2));
        var std = Enumerable.Range(0, 1000).Select(i => i < 50 ? 0.3f : 0.001f).ToArray(); // weight 15 against 0.95 in all
        var picks = ShootingPointSelector.Select(q, p, std, new ShootingPointSelectorOptions { Strategy = SelectionStrategy.Uncertainty, Count = 40 });
        picks.Count(k => k.Index < 50).Should().BeGreaterThan(30);
        picks.Should().OnlyContain(k => k.CommittorStdDev == k.Weight);

        var act = () => ShootingPointSelector.Select(q, p, null, new ShootingPointSelectorOptions { Strategy = SelectionStrategy.Uncertainty, Count = 5 });
        act.Should().Throw<ArgumentException>().WithMessage("*ensemble*");
    }

    [Fact]
    public void Bad_requests_are_refused_clearly()
    {
        var (q, p) = Pool([0, 1, 2]);
        var tooMany = () => ShootingPointSelector.Select(q, p, null, new ShootingPointSelectorOptions { Count = 4 });
        tooMany.Should().Throw<ArgumentException>().WithMessage("The count 4 is larger than the pool of 3 candidates.");
        var empty = () => ShootingPointSelector.Select([], [], null, new ShootingPointSelectorOptions { Count = 1 });
        empty.Should().Throw<ArgumentException>().WithMessage("The candidate pool is empty.");
        var none = () => ShootingPointSelector.Select(q, p, null, new ShootingPointSelectorOptions { Count = 0 });
        none.Should().Throw<ArgumentException>().WithMessage("*at least 1*");
    }
}
