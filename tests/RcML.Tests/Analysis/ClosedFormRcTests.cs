using FluentAssertions;
using RcML.Analysis;
using RcML.Committor;
using RcML.Data;
using RcML.Simulation;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Analysis;

/// <summary>Closed-form RCs distilled from real trained networks on data whose committor is known.</summary>
public class ClosedFormRcTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void On_Muller_Brown_with_noise_CVs_the_formula_uses_only_x_and_y_and_comes_within_0_02_of_the_exact_committor()
    {
        // One simulation: the first 1,200 configurations to train and distill on, the other 400 to test.
        var data = Simulate("mb.csv", 11, points: 1600);
        int n = 1200;
        var train = data.FeatureValues.Select(c => c[..n]).ToArray();
        var spec = Train(data.Features, train, data.CountA[..n], data.CountB[..n]);

        var rc = ClosedFormRc.Distill(spec, train, data.CountA[..n], data.CountB[..n]);
        output.WriteLine($"{rc.Formula}\nCE {rc.CrossEntropy:F5}, network {rc.NetworkCrossEntropy:F5}; candidates {string.Join(", ", rc.Candidates.Select(c => c.Name))}");
        rc.Cvs.Select(c => c.Name).Should().BeSubsetOf(["x", "y"]).And.NotBeEmpty();

        var names = data.FeatureNames.ToList();
        var p = Enumerable.Range(n, data.Count - n)
            .Select(r => (float)(1 / (1 + Math.Exp(-rc.Evaluate(name => data.FeatureValues[names.IndexOf(name)][r]))))).ToArray();
        var metrics = CommittorMetrics.Compute(p, data.CountA[n..], data.CountB[n..], data.References["ref_committor"][n..]);
        output.WriteLine($"test: formula {metrics.CrossEntropy:F5}, exact {metrics.ReferenceCrossEntropy:F5}, excess {metrics.ExcessCrossEntropy:F5}");
        metrics.ExcessCrossEntropy.Should().BeLessThanOrEqualTo(0.02);
        rc.ToPlumed().Should().StartWith("rc_formula: CUSTOM ARG=").And.NotContain("\n");
    }

    [Fact]
    public void A_committor_in_two_angles_is_recovered_term_for_term()
    {
        // q = 2 sin(a) - 1.5 cos(b) + 0.5 with a, b in degrees, and 8 noise CVs.
        var random = new Random(21);
        int n = 2000;
        var a = CvGroupsTests.Column(n, () => random.NextDouble() * 360 - 180);
        var b = CvGroupsTests.Column(n, () => random.NextDouble() * 360 - 180);
        var noise = Enumerable.Range(0, 8).Select(_ => CvGroupsTests.Column(n, () => CvGroupsTests.Gaussian(random))).ToArray();
        const double toRadians = Math.PI / 180;
        var (countA, countB) = CvGroupsTests.Shots(n, r => 2 * Math.Sin(a[r] * toRadians) - 1.5 * Math.Cos(b[r] * toRadians) + 0.5, random);
        NetworkInput[] inputs = [new("a", InputKind.PeriodicDegrees), new("b", InputKind.PeriodicDegrees), .. Enumerable.Range(1, 8).Select(i => new NetworkInput($"n{i}", InputKind.Linear))];
        float[][] columns = [a, b, .. noise];
        var spec = Train(inputs, columns, countA, countB);

        var rc = ClosedFormRc.Distill(spec, columns, countA, countB);
        output.WriteLine(rc.Formula + "\n" + string.Join("\n", rc.Path.Select(s => $"{s.Terms} {s.Added} {s.HeldOutCrossEntropy:F5} ± {s.StandardError:F5}")));
        rc.Terms.Select(t => t.Term.Text).Should().BeEquivalentTo("sin(a)", "cos(b)");
        rc.Terms.Single(t => t.Term.Text == "sin(a)").Coefficient.Should().BeInRange(2 * 0.9, 2 * 1.1);
        rc.Terms.Single(t => t.Term.Text == "cos(b)").Coefficient.Should().BeInRange(-1.5 * 1.1, -1.5 * 0.9);
        rc.Intercept.Should().BeInRange(0.5 * 0.9, 0.5 * 1.1);
        rc.Cvs.Select(c => c.Name).Should().Equal("a", "b");
        rc.CSharp.Should().Contain("Math.Sin(a * Math.PI / 180)");
        rc.ToPlumed().Should().Contain("ARG=a,b VAR=a,b FUNC=").And.Contain("sin(0.017453292519943295*a)");
    }

    private ShootingData Simulate(string name, long seed, int points)
    {
        var path = _dir.File(name);
        ShootingCsv.Write(new ShootingSimulator(new ShootingSimulator.Options { Points = points, ShotsPerPoint = 20, NoiseDimensions = 6, Seed = seed }).Run(), path);
        return ShootingData.Load(path);
    }

    private static CommittorNetworkSpec Train(IReadOnlyList<NetworkInput> inputs, IReadOnlyList<float[]> columns, float[] countA, float[] countB)
    {
        int n = countA.Length, d = inputs.Count;
        var features = new float[n * d];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < d; c++) features[r * d + c] = columns[c][r];
        return CommittorTraining.Train(new ShootingMatrix(features, n, d, countA, countB), null, inputs, new CommittorTrainerOptions
        {
            HiddenLayers = 2, Nodes = 24, LearningRate = 1e-2, MaxEpochs = 600, Patience = 60, Seed = 1,
        }).Network;
    }
}
