using FluentAssertions;
using RcML.Analysis;
using RcML.Committor;
using Xunit;

namespace RcML.Tests.Analysis;

public class CvGroupsTests
{
    [Fact]
    public void Near_copies_group_by_rank_and_circular_correlation_and_independent_CVs_stay_alone()
    {
        var random = new Random(5);
        int n = 600;
        var x = Column(n, () => Gaussian(random));
        var cubeOfX = x.Select(v => v * v * v + 0.01f * (float)Gaussian(random)).ToArray(); // monotone: rank correlation ~1
        var phi = Column(n, () => random.NextDouble() * 360 - 180);
        var phiShifted = phi.Select(v => Wrap(v + 120 + 3 * Gaussian(random))).ToArray(); // same torsion, other atoms
        var cosOfPhi = phi.Select(v => (float)Math.Cos(v * Math.PI / 180) + 0.01f * (float)Gaussian(random)).ToArray();
        var other = Column(n, () => Gaussian(random));
        var otherAngle = Column(n, () => random.NextDouble() * 360 - 180);
        NetworkInput[] inputs =
        [
            new("x", InputKind.Linear), new("x3", InputKind.Linear), new("phi", InputKind.PeriodicDegrees),
            new("phi2", InputKind.PeriodicDegrees), new("cos_phi", InputKind.Linear), new("other", InputKind.Linear),
            new("psi", InputKind.PeriodicDegrees),
        ];
        var groups = CvGroups.Find(inputs, [x, cubeOfX, phi, phiShifted, cosOfPhi, other, otherAngle]);

        groups.Select(g => g.Members.ToArray()).Should().BeEquivalentTo(new[] { new[] { 0, 1 }, [2, 3, 4], [5], [6] },
            o => o.WithStrictOrdering());
        groups[0].MinCorrelation.Should().BeGreaterThan(0.95);
        CvGroups.Find(inputs, [x, cubeOfX, phi, phiShifted, cosOfPhi, other, otherAngle], threshold: 1).Should().HaveCount(7);
    }

    [Fact]
    public void The_group_of_a_copied_CV_ranks_first_and_keeps_the_importance_the_CV_has_without_copies()
    {
        // q = 2 a + 1.5 b; a is copied three times with small noise in the second data set.
        var random = new Random(3);
        int n = 1500;
        var a = Column(n, () => Gaussian(random));
        var b = Column(n, () => Gaussian(random));
        var noise = Enumerable.Range(0, 3).Select(_ => Column(n, () => Gaussian(random))).ToArray();
        var copies = Enumerable.Range(0, 3).Select(_ => a.Select(v => v + 0.1f * (float)Gaussian(random)).ToArray()).ToArray();
        var (countA, countB) = Shots(n, r => 2 * a[r] + 1.5 * b[r], random);

        var plain = Attribute(["a", "b", "n1", "n2", "n3"], [a, b, .. noise], countA, countB);
        var copied = Attribute(["a", "b", "n1", "n2", "n3", "a1", "a2", "a3"], [a, b, .. noise, .. copies], countA, countB);

        var top = copied.GroupsSortedBy(AttributionMethod.Permutation)[0];
        top.Members.Should().BeEquivalentTo("a", "a1", "a2", "a3");
        copied.Groups.Should().HaveCount(5, "b and the three noise CVs stay alone");
        double alone = plain.Cvs.Single(c => c.Name == "a").CrossEntropyIncrease;
        top.CrossEntropyIncrease.Should().BeGreaterThanOrEqualTo(0.8 * alone,
            $"shuffling all copies removes what a alone carried without copies ({alone:F4} nats/shot)");
        copied.Cvs.Single(c => c.Name == "a").CrossEntropyIncrease.Should().BeLessThan(0.5 * alone, "one copy alone is replaceable by the others");
        top.IntegratedGradients.Should().BeApproximately(new[] { "a", "a1", "a2", "a3" }.Sum(m => copied.Cvs.Single(c => c.Name == m).IntegratedGradients), 1e-12);
    }

    private static FeatureAttributionResult Attribute(string[] names, float[][] columns, float[] countA, float[] countB)
    {
        int n = countA.Length, d = names.Length;
        var features = new float[n * d];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < d; c++) features[r * d + c] = columns[c][r];
        var inputs = names.Select(name => new NetworkInput(name, InputKind.Linear)).ToArray();
        var training = CommittorTraining.Train(new ShootingMatrix(features, n, d, countA, countB), null, inputs, new CommittorTrainerOptions
        {
            HiddenLayers = 1, Nodes = 16, LearningRate = 1e-2, MaxEpochs = 400, Patience = 40, Seed = 1, WeightDecay = 0,
        });
        return FeatureAttribution.Compute(training.Network, columns, countA, countB, new FeatureAttributionOptions { Permutations = 3, MaxGradientRows = 200, IntegrationSteps = 16 });
    }

    internal static (float[] A, float[] B) Shots(int n, Func<int, double> q, Random random, int shots = 20)
    {
        var countA = new float[n];
        var countB = new float[n];
        for (int r = 0; r < n; r++)
        {
            double p = 1 / (1 + Math.Exp(-q(r)));
            for (int s = 0; s < shots; s++) if (random.NextDouble() < p) countB[r]++; else countA[r]++;
        }
        return (countA, countB);
    }

    internal static float[] Column(int n, Func<double> draw) => Enumerable.Range(0, n).Select(_ => (float)draw()).ToArray();

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float Wrap(double degrees) => (float)(degrees - 360 * Math.Floor((degrees + 180) / 360));
}
