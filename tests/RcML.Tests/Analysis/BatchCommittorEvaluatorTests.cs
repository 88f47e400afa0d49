using FluentAssertions;
using RcML.Analysis;
using RcML.Onnx;
using RcML.Tests.Onnx;
using Xunit;

namespace RcML.Tests.Analysis;

/// <summary>The batched (libtorch) evaluation that attribution uses agrees with the row-by-row double-precision evaluator.</summary>
public class BatchCommittorEvaluatorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Q_and_raw_input_gradients_match_the_scalar_evaluator_for_every_activation(bool layerNorm)
    {
        var inputs = TestNetworks.MixedInputs;
        var rows = TestNetworks.Rows(inputs, 40, seed: 3);
        var columns = Enumerable.Range(0, inputs.Length).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
        foreach (var activation in TestNetworks.AllActivations)
        {
            var spec = TestNetworks.Create(7, inputs, [activation, activation], layerNorm);
            var scalar = new CommittorNetworkEvaluator(spec);
            using var batch = new BatchCommittorEvaluator(spec);
            var x = batch.Standardize(columns, rows.Length);
            var (q, gradient) = batch.WithGradient(x, rows.Length);
            batch.ReactionCoordinates(x, rows.Length).Should().Equal(q);
            var expected = new double[inputs.Length];
            for (int r = 0; r < rows.Length; r++)
            {
                var raw = TestNetworks.ToDouble(rows[r]);
                double want = scalar.ReactionCoordinate(raw, expected);
                q[r].Should().BeApproximately((float)want, 1e-4f, $"{activation}, row {r}");
                for (int i = 0; i < inputs.Length; i++)
                    batch.RawGradient(gradient.AsSpan(r * batch.Width, batch.Width), i, raw[i])
                        .Should().BeApproximately(expected[i], 1e-4 * (1 + Math.Abs(expected[i])), $"{activation}, row {r}, input {i}");
            }
        }
    }

    [Fact]
    public void Replacing_first_layer_columns_equals_evaluating_the_changed_rows()
    {
        var inputs = TestNetworks.MixedInputs;
        var spec = TestNetworks.Create(2, inputs, ["tanh"], layerNorm: true);
        var rows = TestNetworks.Rows(inputs, 30, seed: 4);
        var columns = Enumerable.Range(0, inputs.Length).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
        using var batch = new BatchCommittorEvaluator(spec);
        var x = batch.Standardize(columns, rows.Length);

        // Reverse the rows of the angle phi (expanded columns 1 and 2).
        var changed = columns.Select(c => c.ToArray()).ToArray();
        Array.Reverse(changed[1]);
        var y = batch.Standardize(changed, rows.Length);
        long[] replaced = [batch.ExpandedOffset[1], batch.ExpandedOffset[1] + 1];
        var difference = new float[rows.Length * 2];
        for (int r = 0; r < rows.Length; r++)
            for (int j = 0; j < 2; j++) difference[r * 2 + j] = y[r * batch.Width + replaced[j]] - x[r * batch.Width + replaced[j]];
        using var z = batch.FirstPreactivation(x, rows.Length);
        using var updated = batch.ReplaceColumns(z, replaced, difference);
        var viaUpdate = batch.FromFirstPreactivation(updated);
        var direct = batch.ReactionCoordinates(y, rows.Length);
        for (int r = 0; r < rows.Length; r++) viaUpdate[r].Should().BeApproximately(direct[r], 1e-5f);
    }
}
