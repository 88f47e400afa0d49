using FluentAssertions;
using RcML.Analysis;
using RcML.Committor;
using Xunit;

namespace RcML.Tests.Analysis;

public class AttributionAgreementTests
{
    private static (float[][] Columns, float[] A, float[] B) Data(int inputs)
    {
        var random = new Random(3);
        int n = 300;
        var columns = Enumerable.Range(0, inputs).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var a = new float[n];
        var b = new float[n];
        for (int r = 0; r < n; r++)
        {
            double p = 1 / (1 + Math.Exp(-2 * columns[0][r]));
            for (int s = 0; s < 10; s++) if (random.NextDouble() < p) b[r]++; else a[r]++;
        }
        return (columns, a, b);
    }

    private static ModelAttribution Attribute(string label, CommittorNetworkSpec spec, int inputs)
    {
        var (columns, a, b) = Data(inputs);
        return new ModelAttribution(label, null, FeatureAttribution.Compute(spec, columns, a, b, new FeatureAttributionOptions { Permutations = 2 }));
    }

    [Fact]
    public void Identical_models_agree_perfectly()
    {
        var spec = AttributionTestNetworks.Linear(0, inputs: 4) with
        {
            Layers = [new DenseLayer { In = 4, Out = 1, Weight = [2, 1, 0.5f, 0.1f], Bias = [0] }],
        };
        var models = new[] { Attribute("a", spec, 4), Attribute("b", spec, 4), Attribute("c", spec, 4) };
        foreach (var method in Enum.GetValues<AttributionMethod>())
        {
            var result = AttributionAgreement.Compare(models, method, top: 2);
            result.MeanPairwiseCorrelation.Should().BeApproximately(1, 1e-12, method.ToString());
            result.RankCorrelation.SelectMany(r => r).Should().OnlyContain(c => Math.Abs(c - 1) < 1e-12);
            result.SharedTopCvs.Should().Equal("x", "noise1");
        }
    }

    [Fact]
    public void Models_relying_on_different_CVs_disagree()
    {
        var models = new[]
        {
            Attribute("x only", AttributionTestNetworks.Linear(0, inputs: 3), 3),
            Attribute("noise1 only", AttributionTestNetworks.Linear(1, inputs: 3), 3),
        };
        var result = AttributionAgreement.Compare(models, AttributionMethod.IntegratedGradients, top: 1);
        result.MeanPairwiseCorrelation.Should().BeLessThan(0.5);
        result.SharedTopCvs.Should().BeEmpty();
        result.TopCvs[0].Should().Equal("x");
        result.TopCvs[1].Should().Equal("noise1");
    }

    [Fact]
    public void Ranks_share_ties()
    {
        AttributionAgreement.Ranks([0.5, 0, 0, 0.2]).Should().Equal(4, 1.5, 1.5, 3);
    }
}
