using System.Text.Json;
using FluentAssertions;
using RcML.Analysis;
using RcML.Tests.Export;
using Xunit;

namespace RcML.Tests.Analysis;

public class IsocommittorTestTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Shots_drawn_from_the_predicted_committor_pass_and_a_window_mixing_A_and_B_committers_fails()
    {
        var random = new Random(8);
        int n = 800;
        // The model says 0.4-0.6 everywhere; truly, shots follow it (first case) or half commit to A and half to B.
        var predicted = Enumerable.Range(0, n).Select(_ => (float)(0.4 + 0.2 * random.NextDouble())).ToArray();
        var (a, b) = Draw(predicted, random);
        var good = IsocommittorTest.Compute(predicted, a, b);
        good.Configurations.Should().Be(n);
        good.Passed.Should().BeTrue(good.Verdict);
        good.ChiSquarePerDegreeOfFreedom.Should().BeLessThan(2.5);
        good.Histogram.Sum(h => h.Expected).Should().BeApproximately(n, 1e-6);
        good.Verdict.Should().StartWith("Passed");

        var truth = predicted.Select((_, r) => r % 2 == 0 ? 0.1f : 0.9f).ToArray();
        var (a2, b2) = Draw(truth, random);
        var bad = IsocommittorTest.Compute(predicted, a2, b2);
        bad.Passed.Should().BeFalse();
        bad.ChiSquarePerDegreeOfFreedom.Should().BeGreaterThan(10);
        bad.Verdict.Should().StartWith("Failed").And.Contain("wider");

        var none = IsocommittorTest.Compute(predicted, a, b, 0.9, 1.0);
        none.Passed.Should().BeNull();
        none.Verdict.Should().StartWith("Not enough");
    }

    [Fact]
    public void Evaluate_prints_the_test_and_puts_it_in_its_JSON()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 400);
        var model = ModelZips.Save(AttributionTestNetworks.IgnoresNoise(), _dir.File("m.zip"));
        var run = Programs.Rcml("evaluate", "--model", model, "--data", data, "--periodic", "phi", "--json", "--isocommittor-window", "0.3,0.7");
        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        json.RootElement.GetProperty("cross_entropy").GetDouble().Should().BeGreaterThan(0);
        var iso = json.RootElement.GetProperty("isocommittor");
        iso.GetProperty("window_low").GetDouble().Should().Be(0.3);
        iso.GetProperty("configurations").GetInt32().Should().BeGreaterThan(10);
        iso.GetProperty("histogram").GetArrayLength().Should().Be(10);
        iso.GetProperty("verdict").GetString().Should().NotBeNullOrEmpty();

        run = Programs.Rcml("evaluate", "--model", model, "--data", data, "--periodic", "phi");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("isocommittor test").And.Contain("Binomial(n, p_B)");
        Programs.Rcml("evaluate", "--model", model, "--data", data, "--isocommittor-window", "0.6,0.4").ExitCode.Should().Be(2);
    }

    private static (float[] A, float[] B) Draw(float[] p, Random random, int shots = 20)
    {
        var a = new float[p.Length];
        var b = new float[p.Length];
        for (int r = 0; r < p.Length; r++)
            for (int s = 0; s < shots; s++) if (random.NextDouble() < p[r]) b[r]++; else a[r]++;
        return (a, b);
    }
}
