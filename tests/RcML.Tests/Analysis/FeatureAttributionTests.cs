using FluentAssertions;
using RcML.Analysis;
using RcML.Committor;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Analysis;

public class FeatureAttributionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private ShootingData Data(int rows = 400) =>
        ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows), new ShootingDataOptions { Periodic = ["phi"] });

    [Fact]
    public void A_CV_the_network_ignores_gets_no_attribution_by_any_method()
    {
        var result = FeatureAttribution.Compute(AttributionTestNetworks.IgnoresNoise(), Data());

        result.Cvs.Select(c => c.Name).Should().Equal("phi", "x", "noise");
        var noise = result.Cvs.Single(c => c.Name == "noise");
        foreach (var method in Enum.GetValues<AttributionMethod>())
        {
            noise.Share(method).Should().BeLessThan(1e-9, method.ToString());
            result.Cvs.Sum(c => c.Share(method)).Should().BeApproximately(1, 1e-9);
            result.Cvs.Single(c => c.Name == "phi").Share(method).Should().BeGreaterThan(0.2, method.ToString());
            result.Cvs.Single(c => c.Name == "x").Share(method).Should().BeGreaterThan(0.2, method.ToString());
        }
        noise.CrossEntropyIncrease.Should().Be(0, "shuffling a column q does not read leaves q unchanged");
        result.Cvs.Single(c => c.Name == "x").CrossEntropyIncrease.Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void A_periodic_CV_is_attributed_as_one_angle_even_through_cos_alone()
    {
        // Only the cos(phi) weight is non-zero.
        var spec = new CommittorNetworkSpec
        {
            Inputs = [new("phi", InputKind.PeriodicDegrees), new("x", InputKind.Linear)],
            Mean = [0, 0, 0],
            Scale = [1, 1, 1],
            Layers = [new DenseLayer { In = 3, Out = 1, Weight = [0, 3, 0.01f], Bias = [0] }],
        };
        var (columns, a, b) = SampleFrom(spec, rows: 400);
        var result = FeatureAttribution.Compute(spec, columns, a, b, new FeatureAttributionOptions { Permutations = 2 });

        result.Cvs.Should().HaveCount(2, "one entry per raw CV, not per sin/cos feature");
        var phi = result.Cvs[0];
        phi.Kind.Should().Be(InputKind.PeriodicDegrees);
        phi.IntegratedGradients.Should().BeGreaterThan(0.9);
        phi.GradientTimesInput.Should().BeGreaterThan(0.9);
        phi.Permutation.Should().BeGreaterThan(0.9);
    }

    /// <summary>phi in degrees and x uniform, shot counts drawn from the network's own committor.</summary>
    private static (float[][] Columns, float[] A, float[] B) SampleFrom(CommittorNetworkSpec spec, int rows)
    {
        var evaluator = new RcML.Onnx.CommittorNetworkEvaluator(spec);
        var random = new Random(11);
        var phi = new float[rows];
        var x = new float[rows];
        var a = new float[rows];
        var b = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            phi[r] = (float)(random.NextDouble() * 360 - 180);
            x[r] = (float)(random.NextDouble() * 4 - 2);
            double p = evaluator.Committor([phi[r], x[r]]);
            for (int s = 0; s < 10; s++) if (random.NextDouble() < p) b[r]++; else a[r]++;
        }
        return ([phi, x], a, b);
    }

    [Fact]
    public void Integrated_gradients_are_complete_along_the_short_arc()
    {
        var result = FeatureAttribution.Compute(AttributionTestNetworks.IgnoresNoise(), Data(200),
            new FeatureAttributionOptions { IntegrationSteps = 64, Permutations = 1 });
        result.MeanCompletenessGap.Should().BeLessThan(2e-3, "q(x) - q(baseline) = sum of integrated gradients, up to the Riemann error");
    }

    [Fact]
    public void The_baseline_of_angles_near_the_branch_cut_is_their_circular_mean()
    {
        float[] phi = [170, 175, -175, -170, 180];
        float[] x = [0, 1, 2, 3, 4];
        var spec = new CommittorNetworkSpec
        {
            Inputs = [new("phi", InputKind.PeriodicDegrees), new("x", InputKind.Linear)],
            Mean = [0, 0, 0], Scale = [1, 1, 1],
            Layers = [new DenseLayer { In = 3, Out = 1, Weight = [1, 1, 1], Bias = [0] }],
        };
        var result = FeatureAttribution.Compute(spec, [phi, x], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], new FeatureAttributionOptions { Permutations = 1 });
        Math.Abs(result.Cvs[0].Baseline).Should().BeApproximately(180, 1e-3);
        result.Cvs[1].Baseline.Should().BeApproximately(2, 1e-6);
    }

    [Fact]
    public void A_model_reading_a_CV_the_data_lacks_is_refused_clearly()
    {
        var spec = AttributionTestNetworks.Linear(0) with { Inputs = [new("x", InputKind.Linear), new("psi", InputKind.Linear)] };
        var act = () => FeatureAttribution.Compute(spec, Data(50));
        act.Should().Throw<ArgumentException>().WithMessage("*'psi'*phi, x, noise*");
    }
}
