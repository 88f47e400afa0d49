using FluentAssertions;
using RcML.Committor;
using RcML.Data;
using RcML.Simulation;
using Xunit;

namespace RcML.Tests.Simulation;

/// <summary>rcml simulate --cvs molecular: the model system seen through 90 molecular-style CVs.</summary>
public class MolecularCvsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Simulate_writes_90_molecular_cvs_that_load_as_features_with_periodic_angles()
    {
        string a = _dir.File("a.csv"), b = _dir.File("b.csv");
        string[] args = ["simulate", "--system", "double-well", "--cvs", "molecular", "--points", "50", "--shots", "4", "--seed", "7"];
        var run = Programs.Rcml([.. args, "--out", a]);
        run.ExitCode.Should().Be(0, run.ToString());
        Programs.Rcml([.. args, "--out", b]).ExitCode.Should().Be(0);
        File.ReadAllText(b).Should().Be(File.ReadAllText(a), "the CVs depend only on the configurations and the seed");

        var data = ShootingData.Load(a, new ShootingDataOptions { Periodic = [MolecularCvs.PeriodicPattern] });
        data.Count.Should().Be(50);
        data.FeatureNames.Should().Equal(MolecularCvs.Names).And.HaveCount(90).And.NotContain(["x", "y", "ref_x", "ref_y"]);
        data.Features.Count(f => f.Kind == InputKind.PeriodicDegrees).Should().Be(16);
        data.References.Keys.Should().Contain(["ref_x", "ref_y", "ref_committor"]);
        for (int c = 0; c < 16; c++) data.FeatureValues[c].Should().OnlyContain(v => v >= -180 && v < 180);

        // An informative CV follows the hidden coordinate; a noise column does not.
        var x = data.References["ref_x"];
        double Correlation(float[] u, float[] v)
        {
            double mu = u.Average(), mv = v.Average();
            double cov = u.Zip(v).Sum(p => (p.First - mu) * (p.Second - mv));
            return cov / Math.Sqrt(u.Sum(p => (p - mu) * (p - mu)) * v.Sum(p => (p - mv) * (p - mv)));
        }
        float[] Column(string name) => data.FeatureValues[data.FeatureNames.ToList().IndexOf(name)];
        Math.Abs(Correlation(Column("lin_1"), x)).Should().BeGreaterThan(0.9);
        Math.Abs(Correlation(Column("noise_1"), x)).Should().BeLessThan(0.5);

        var bad = Programs.Rcml("simulate", "--cvs", "atoms", "--out", _dir.File("c.csv"));
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("--cvs");
    }
}
