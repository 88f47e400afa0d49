using FluentAssertions;
using RcML.AutoML;
using Xunit;

namespace RcML.Tests.AutoML;

public class GaussianProcessTests
{
    [Fact]
    public void Gp_interpolates_a_smooth_function_and_fits_small_noise()
    {
        var rng = new Random(0);
        var x = Enumerable.Range(0, 25).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToArray();
        var y = GaussianProcessTuner.Standardize(x.Select(p => Math.Sin(6 * p[0]) + p[1] * p[1]).ToArray());
        var gp = GaussianProcess.Fit(x, y, rng, null, 2, 60);
        gp.NoiseVariance.Should().BeLessThan(0.01);
        for (var i = 0; i < x.Length; i++) gp.Predict(x[i]).Mean.Should().BeApproximately(y[i], 0.05);
        gp.Predict([0.5, 0.5]).Variance.Should().BeLessThan(gp.Predict([3.0, 3.0]).Variance);
    }

    [Fact]
    public void Gp_fits_large_noise_when_the_data_is_noisy()
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, 40).Select(_ => new[] { rng.NextDouble() }).ToArray();
        var y = GaussianProcessTuner.Standardize(x.Select(p => 0.3 * p[0] + rng.NextDouble()).ToArray());
        GaussianProcess.Fit(x, y, rng, null, 2, 60).NoiseVariance.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void Hyperparameter_gradient_matches_finite_differences()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 12).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }).ToArray();
        var y = GaussianProcessTuner.Standardize(x.Select(p => p[0] - 2 * p[1] * p[1] + 0.1 * rng.NextDouble()).ToArray());
        double[] theta = [-0.7, 0.2, 0.9, 0.3, -4.0];
        var grad = new double[theta.Length];
        GaussianProcess.NegLogPosterior(x, y, theta, grad);
        for (var k = 0; k < theta.Length; k++)
        {
            var tp = (double[])theta.Clone(); tp[k] += 1e-6;
            var tm = (double[])theta.Clone(); tm[k] -= 1e-6;
            var fd = (GaussianProcess.NegLogPosterior(x, y, tp, new double[5]) - GaussianProcess.NegLogPosterior(x, y, tm, new double[5])) / 2e-6;
            grad[k].Should().BeApproximately(fd, 1e-4 * Math.Max(1, Math.Abs(fd)), $"θ[{k}]");
        }
    }

    [Fact]
    public void Log_h_is_continuous_and_finite_far_in_the_tail()
    {
        Gaussian.LogH(-8.0 + 1e-9).Should().BeApproximately(Gaussian.LogH(-8.0 - 1e-9), 1e-4);
        Gaussian.LogH(-40).Should().BeLessThan(Gaussian.LogH(-39)).And.Match(v => double.IsFinite(v));
        Math.Exp(Gaussian.LogH(0)).Should().BeApproximately(1 / Math.Sqrt(2 * Math.PI), 1e-12);
    }

    [Fact]
    public void Output_warps_are_monotone()
    {
        double[] y = [3, 1, 100, 2, 1e6];
        foreach (var w in Enum.GetValues<OutputWarping>())
        {
            var t = GaussianProcessTuner.Warp(y, w);
            var order = y.Select((v, i) => i).OrderBy(i => y[i]).Select(i => t[i]).ToArray();
            order.Should().BeInAscendingOrder();
        }
    }

    [Fact]
    public void Clip_warping_flattens_the_worse_losses_and_keeps_the_better_ones()
    {
        double[] y = [0.2937, 0.2941, 0.77, 0.2935, 0.31, 5.0];
        GaussianProcessTuner.Warp(y, OutputWarping.Clip).Should().Equal(0.2937, 0.2941, 0.2941, 0.2935, 0.2941, 0.2941);
        GaussianProcessTuner.Warp(y, OutputWarping.Clip, clipQuantile: 0.2).Should().Equal(0.2937, 0.2937, 0.2937, 0.2935, 0.2937, 0.2937);
        // After standardization the good trials stay apart by a sizeable fraction of a standard deviation.
        var z = GaussianProcessTuner.Standardize(GaussianProcessTuner.Warp(y, OutputWarping.Clip));
        var plain = GaussianProcessTuner.Standardize(y);
        (z[0] - z[3]).Should().BeGreaterThan(100 * (plain[0] - plain[3]));
    }

    [Fact]
    public void Latin_hypercube_puts_one_point_in_each_stratum()
    {
        var d = GaussianProcessTuner.LatinHypercube(10, 3, new Random(0));
        for (var k = 0; k < 3; k++) d.Select(r => (int)(r[k] * 10)).Should().BeEquivalentTo(Enumerable.Range(0, 10));
    }
}
