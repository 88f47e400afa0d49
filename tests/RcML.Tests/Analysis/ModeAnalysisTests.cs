using FluentAssertions;
using RcML.Analysis;
using RcML.AutoML;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Analysis;

public class ModeAnalysisTests
{
    private static readonly SearchSpace Space = new SearchSpace().AddFloat("x", 0, 1).AddFloat("y", 0, 1);

    /// <summary>15 trials near each center (jitter 0.04), 40 elsewhere; value 1 + squared distance to the nearest center (+ offset at the second).</summary>
    private static List<StoredTrial> Trials(double secondOffset, bool secondRegion = true)
    {
        var random = new Random(4);
        var centers = secondRegion ? new[] { (0.2, 0.25), (0.8, 0.75) } : new[] { (0.2, 0.25) };
        var points = new List<(double X, double Y)>();
        foreach (var (cx, cy) in centers)
            for (int i = 0; i < 15; i++)
                points.Add((cx + (random.NextDouble() - 0.5) * 0.08, cy + (random.NextDouble() - 0.5) * 0.08));
        for (int i = 0; i < 40; i++) points.Add((random.NextDouble(), random.NextDouble()));

        double Value((double X, double Y) p) => 1 + centers.Select((c, k) =>
            (p.X - c.Item1) * (p.X - c.Item1) + (p.Y - c.Item2) * (p.Y - c.Item2) + (k == 1 ? secondOffset : 0)).Min();
        return points.Select((p, i) => StudyTrials.Trial(i, StudyTrials.Point(("x", p.X), ("y", p.Y)), Value(p))).ToList();
    }

    [Fact]
    public void Two_separated_good_regions_are_two_modes_of_similar_accuracy()
    {
        var result = ModeAnalysis.Analyze(Space, Trials(secondOffset: 0), new ModeAnalysisOptions { GoodFraction = 0.3 });

        result.GoodTrials.Should().Be(21);
        result.Modes.Should().HaveCount(2);
        result.MultipleGoodModes.Should().BeTrue();
        result.Modes.Should().OnlyContain(m => m.ReachesBest && m.Size >= 8);
        var xs = result.Modes.Select(m => m.Representative.GetDouble("x")).Order().ToArray();
        xs[0].Should().BeApproximately(0.2, 0.06);
        xs[1].Should().BeApproximately(0.8, 0.06);
        result.Modes.Sum(m => m.Size).Should().Be(result.GoodTrials);
        result.Modes.Should().OnlyContain(m => m.BestValue <= m.MeanValue);
        result.Silhouette.Should().BeGreaterThan(0.7);
        result.Verdict.Should().Contain("2 distinct modes");
    }

    [Fact]
    public void A_clearly_worse_second_region_does_not_count_as_an_equally_good_mode()
    {
        var result = ModeAnalysis.Analyze(Space, Trials(secondOffset: 0.05), new ModeAnalysisOptions { GoodFraction = 0.45 });
        result.Modes.Should().HaveCount(2);
        result.MultipleGoodModes.Should().BeFalse();
        result.Modes[0].ReachesBest.Should().BeTrue();
        result.Modes[1].ReachesBest.Should().BeFalse();
    }

    [Fact]
    public void One_good_region_is_one_mode()
    {
        var result = ModeAnalysis.Analyze(Space, Trials(0, secondRegion: false));
        result.Modes.Should().ContainSingle();
        result.MultipleGoodModes.Should().BeFalse();
        result.GoodTrials.Should().Be(11, "20% of 55, rounded up");
        result.Verdict.Should().StartWith("One mode");
    }

    [Fact]
    public void Clustering_is_deterministic()
    {
        var a = ModeAnalysis.Analyze(Space, Trials(0));
        var b = ModeAnalysis.Analyze(Space, Trials(0));
        a.Modes.Select(m => m.RepresentativeTrial).Should().Equal(b.Modes.Select(m => m.RepresentativeTrial));
    }
}
