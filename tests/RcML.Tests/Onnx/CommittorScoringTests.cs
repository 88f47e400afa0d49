using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Onnx;

public class CommittorScoringTests
{
    private sealed class CvRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    private sealed class CvRowNamed
    {
        [VectorType(4)]
        public float[] Cvs { get; set; } = [];
        public float Features { get; set; } // a user column that happens to be called Features must survive
    }

    private sealed class Prediction
    {
        public float ReactionCoordinate { get; set; }
        public float Committor { get; set; }
    }

    private static IDataView Data(MLContext ml, float[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new CvRow { Features = r }));

    [Theory]
    [InlineData("gelu", true)]
    [InlineData("elu", false)]
    [InlineData("softplus", true)]
    public void Ml_net_scores_match_the_evaluator_with_scalar_columns(string activation, bool layerNorm)
    {
        var ml = new MLContext(seed: 1);
        var spec = TestNetworks.Create(42, TestNetworks.MixedInputs, [activation, "tanh"], layerNorm);
        var rows = TestNetworks.Rows(spec.Inputs, 20, seed: 5);
        var evaluator = new CommittorNetworkEvaluator(spec);

        var transformer = CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec));
        var scored = transformer.Transform(Data(ml, rows));

        scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should().Equal("Features", "ReactionCoordinate", "Committor");
        scored.Schema.Select(c => c.Name).Should().NotContain(["Score", "Probability", "ReactionCoordinate.Vector"]);
        scored.Schema["ReactionCoordinate"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["Committor"].Type.Should().Be(NumberDataViewType.Single);
        var q = scored.GetColumn<float>("ReactionCoordinate").ToArray();
        var p = scored.GetColumn<float>("Committor").ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var x = TestNetworks.ToDouble(rows[i]);
            CommittorOnnxExporterTests.ShouldMatch(q[i], evaluator.ReactionCoordinate(x), $"q of row {i}");
            CommittorOnnxExporterTests.ShouldMatch(p[i], evaluator.Committor(x), $"p_B of row {i}");
        }
    }

    [Fact]
    public void Saved_model_loads_in_a_fresh_context_and_predicts_the_same()
    {
        var spec = TestNetworks.Create(8, TestNetworks.MixedInputs, ["silu", "leaky_relu"], layerNorm: true);
        var rows = TestNetworks.Rows(spec.Inputs, 10, seed: 9);
        var path = Path.Combine(Path.GetTempPath(), $"rcml-onnx-{Guid.NewGuid():N}.zip");
        try
        {
            var ml = new MLContext(seed: 1);
            var data = Data(ml, rows);
            var transformer = CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec));
            var before = transformer.Transform(data).GetColumn<float>("ReactionCoordinate").ToArray();
            ml.Model.Save(transformer, data.Schema, path);

            var fresh = new MLContext(seed: 2);
            var loaded = fresh.Model.Load(path, out var inputSchema);
            inputSchema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 4));
            var engine = fresh.Model.CreatePredictionEngine<CvRow, Prediction>(loaded);
            var evaluator = new CommittorNetworkEvaluator(spec);
            for (int i = 0; i < rows.Length; i++)
            {
                var prediction = engine.Predict(new CvRow { Features = rows[i] });
                prediction.ReactionCoordinate.Should().Be(before[i]);
                CommittorOnnxExporterTests.ShouldMatch(prediction.Committor, evaluator.Committor(TestNetworks.ToDouble(rows[i])), $"row {i}");
            }

            CommittorScoring.ReadSpec(path).ToJson().Should().Be(spec.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Cvs")]
    [InlineData("q")]
    [InlineData("p_B")]
    public void Feature_column_can_have_any_name(string featureColumn)
    {
        var ml = new MLContext(seed: 1);
        var spec = TestNetworks.Create(4, TestNetworks.MixedInputs, ["relu"], layerNorm: false);
        var rows = TestNetworks.Rows(spec.Inputs, 5, seed: 1);
        var raw = ml.Data.LoadFromEnumerable(rows.Select(r => new CvRowNamed { Cvs = r, Features = 7f }));
        var data = ml.Transforms.CopyColumns(featureColumn, "Cvs").Fit(raw).Transform(raw);

        var scored = CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec), featureColumn).Transform(data);

        scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should().Equal(
            new[] { "Cvs", "Features", featureColumn, "ReactionCoordinate", "Committor" }.Distinct());
        scored.GetColumn<float>("Features").Should().AllBeEquivalentTo(7f);
        var evaluator = new CommittorNetworkEvaluator(spec);
        scored.GetColumn<float>("ReactionCoordinate").Select((q, i) => (q, i)).ToList()
            .ForEach(t => CommittorOnnxExporterTests.ShouldMatch(t.q, evaluator.ReactionCoordinate(TestNetworks.ToDouble(rows[t.i])), $"row {t.i}"));
    }

    [Fact]
    public void ReadSpec_finds_the_network_inside_a_larger_pipeline()
    {
        var ml = new MLContext(seed: 1);
        var spec = TestNetworks.Create(6, TestNetworks.MixedInputs, ["sigmoid"], layerNorm: false);
        var data = ml.Data.LoadFromEnumerable(TestNetworks.Rows(spec.Inputs, 2, seed: 1).Select(r => new CvRowNamed { Cvs = r }));
        var pipeline = ml.Transforms.CopyColumns("Raw", "Cvs").Fit(data)
            .Append(CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec), "Raw"));
        using var stream = new MemoryStream();
        ml.Model.Save(pipeline, data.Schema, stream);
        stream.Position = 0;

        CommittorScoring.ReadSpec(stream).ToJson().Should().Be(spec.ToJson());
    }

    [Fact]
    public void Saved_model_refers_to_ml_net_assemblies_only()
    {
        var ml = new MLContext(seed: 1);
        var spec = TestNetworks.Create(3, TestNetworks.MixedInputs, ["tanh"], layerNorm: false);
        var data = Data(ml, TestNetworks.Rows(spec.Inputs, 2, seed: 1));
        using var stream = new MemoryStream();
        ml.Model.Save(CommittorScoring.CreateTransformer(ml, CommittorOnnxExporter.Export(spec)), data.Schema, stream);
        stream.Position = 0;

        // Each Model.key names the assembly of its loader; RcML must not be one of them.
        using var zip = new System.IO.Compression.ZipArchive(stream);
        var modelKeys = zip.Entries.Where(e => e.Name == "Model.key").ToList();
        modelKeys.Should().NotBeEmpty();
        foreach (var entry in modelKeys)
        {
            using var buffer = new MemoryStream();
            using (var entryStream = entry.Open())
                entryStream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            int Find(string text, System.Text.Encoding encoding) => bytes.AsSpan().IndexOf(encoding.GetBytes(text));
            Find("Microsoft.ML", System.Text.Encoding.Unicode).Should().BeGreaterThanOrEqualTo(0, entry.FullName);
            Find("RcML", System.Text.Encoding.Unicode).Should().Be(-1, entry.FullName);
            Find("RcML", System.Text.Encoding.UTF8).Should().Be(-1, entry.FullName);
        }
    }

    [Fact]
    public void ReadSpec_reports_a_zip_without_a_committor_network()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, TestNetworks.Rows(TestNetworks.MixedInputs, 2, seed: 1));
        var model = ml.Transforms.CopyColumns("Copy", "Features").Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var act = () => CommittorScoring.ReadSpec(stream);
        act.Should().Throw<InvalidDataException>();
    }
}
