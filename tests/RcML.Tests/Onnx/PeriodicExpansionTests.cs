using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Onnx;

public class PeriodicExpansionTests
{
    private sealed class Row
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Expanded
    {
        [VectorType(6)]
        public float[] Expanded6 { get; set; } = [];
    }

    private static readonly (int, InputKind)[] Periodic = [(1, InputKind.PeriodicDegrees), (2, InputKind.PeriodicRadians)];

    private static float[] Expected(float[] x) =>
    [
        x[0],
        (float)Math.Sin(x[1] * Math.PI / 180), (float)Math.Cos(x[1] * Math.PI / 180),
        (float)Math.Sin(x[2]), (float)Math.Cos(x[2]),
        x[3],
    ];

    [Fact]
    public void Expands_listed_positions_in_place_and_survives_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestNetworks.Rows(TestNetworks.MixedInputs, 8, seed: 2);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }));

        var model = PeriodicExpansion.Create(ml, "Expanded6", "Features", 4, Periodic).Fit(data);
        var scored = model.Transform(data);
        scored.Schema["Expanded6"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(6);
        var values = scored.GetColumn<float[]>("Expanded6").ToArray();
        for (int i = 0; i < rows.Length; i++)
            values[i].Should().BeEquivalentTo(Expected(rows[i]), o => o.WithStrictOrdering()
                .Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 3);
        var engine = fresh.Model.CreatePredictionEngine<Row, Expanded>(fresh.Model.Load(stream, out _));
        engine.Predict(new Row { Features = rows[0] }).Expanded6.Should().Equal(values[0]);
    }

    [Fact]
    public void Same_input_and_output_column_replaces_the_column()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestNetworks.Rows(TestNetworks.MixedInputs, 3, seed: 4);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }));

        var scored = PeriodicExpansion.Create(ml, "Features", "Features", 4, Periodic).Fit(data).Transform(data);

        scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should().Equal("Features");
        scored.Schema["Features"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(6);
    }

    [Fact]
    public void Listing_a_position_twice_is_rejected()
    {
        var act = () => PeriodicExpansion.Create(new MLContext(), "Out", "Features", 4,
            [(1, InputKind.PeriodicDegrees), (1, InputKind.PeriodicRadians)]);
        act.Should().Throw<ArgumentException>();
    }
}
